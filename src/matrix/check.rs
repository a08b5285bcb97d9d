//! Checking a matrix against an expected one, written as a Markdown table
//! such as a product's documentation gives ([`Matrix::check`]): reading the
//! table, and reporting every cell that differs ([`Mismatch`],
//! [`CheckError`]).
//!
//! This file owns the reading of expected tables and the report of their
//! differences. It must never change a decision to fit a table, nor render
//! a matrix (that is `render.rs`); a table it cannot read is a
//! [`TableError`] naming the line, never a guess.

use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::Matrix;
use crate::decision::Decision;
use crate::error::TableError;

#[cfg(doc)]
use crate::policy::Policy;

impl Matrix<'_> {
    /// Checks the matrix against `expected`, a Markdown table such as a
    /// product's documentation gives, and reports every cell that differs.
    ///
    /// The table's first line is its header: the first cell is a heading
    /// (any text), the others name columns of this matrix. Then comes the
    /// delimiter row (`|---|---|`), then one row per capability, labelled in
    /// its first cell with a row label of this matrix. The table may list a
    /// subset of the rows and columns, in any order. Blank lines and
    /// indentation are ignored, and `\|` stands for a `|` inside a cell.
    ///
    /// A cell is read by its start:
    ///
    /// | cell starts with | expects |
    /// |---|---|
    /// | `Y`, `yes`, `✓` (any case) | allowed |
    /// | `N`, `no`, `-`, `✗` (any case) | denied |
    /// | `?` (unknown: the conservative default) | denied |
    ///
    /// Whatever follows the first word is a note and is ignored: sources
    /// `Y (S)`, `N (I)`, `Y (D: view)`, footnotes `Y²`, `Y¹`, `Y3`. Any other
    /// cell (`limited`, `reduced: …`) is an error; map such product-specific
    /// words with [`check_with`](Matrix::check_with).
    ///
    /// # Errors
    ///
    /// [`CheckError::Table`] if the table is malformed (nothing is compared
    /// then): the [`TableError`] names the line, 1-based within `expected`,
    /// and the offending text. [`CheckError::Mismatches`] lists every cell
    /// whose decision differs from the table, each with the decision's
    /// reason as [`Policy::explain`] words it.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new()
    /// #     .tenant("acme", ResourceKind::Organization)
    /// #     .resource("sync", ResourceKind::Flow, "acme")
    /// #     .role(Role::new("viewer").allow([ResourceKind::Flow], Permissions::VIEW))
    /// #     .user(User::new("bo", "acme"))
    /// #     .grant(Grantee::user("bo"), "sync", "viewer", Effect::Allow)
    /// #     .build()?;
    /// # let sync = policy.resource_id("sync").unwrap();
    /// # let bo = Subject::user(policy.user_id("bo").unwrap(), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, sync, [("View", Action::View), ("Edit", Action::Edit)], [("Viewer", bo)]);
    ///
    /// matrix.check("
    ///     | Action | Viewer |
    ///     |--------|--------|
    ///     | View   | Y (S)  |
    ///     | Edit   | ?      |
    /// ")?;
    ///
    /// let error = matrix.check("
    ///     | Action | Viewer |
    ///     |--------|--------|
    ///     | Edit   | Y²     |
    /// ").unwrap_err();
    /// assert_eq!(error.to_string(), r#"1 of 1 cells differ from the expected matrix:
    /// - line 4, row "Edit", column "Viewer": the table says "Y²" (allowed), the policy denies: the roles held here do not include edit"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, expected: &str) -> Result<(), CheckError> {
        self.check_with(expected, |_| None)
    }

    /// [`check`](Matrix::check), with `read` deciding first what a cell
    /// expects: `Some(true)` for allowed, `Some(false)` for denied, `None`
    /// to read the cell the usual way. `read` receives the cell's text,
    /// trimmed. This is where a product's own words get their meaning, as
    /// the preset documents it.
    ///
    /// # Errors
    ///
    /// As [`check`](Matrix::check).
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new()
    /// #     .tenant("acme", ResourceKind::Organization)
    /// #     .role(Role::new("viewer").allow([ResourceKind::Organization], Permissions::VIEW))
    /// #     .user(User::new("bo", "acme"))
    /// #     .grant(Grantee::user("bo"), "acme", "viewer", Effect::Allow)
    /// #     .build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// # let bo = Subject::user(policy.user_id("bo").unwrap(), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, acme, [("All settings", Action::ManageSettings)], [("Viewer", bo)]);
    /// let table = "
    ///     | Action       | Viewer  |
    ///     |--------------|---------|
    ///     | All settings | limited |
    /// ";
    ///
    /// // `limited` means no settings at all in this model.
    /// matrix.check_with(table, |cell| (cell == "limited").then_some(false))?;
    ///
    /// // Without the mapping, the word is an error that names its line.
    /// let error = matrix.check(table).unwrap_err();
    /// assert!(matches!(error, CheckError::Table(TableError::UnreadableCell { line: 4, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_with<F>(&self, expected: &str, read: F) -> Result<(), CheckError>
    where
        F: FnMut(&str) -> Option<bool>,
    {
        let expectations = self.read_table(expected, read)?;
        let cells: Vec<Mismatch> = expectations
            .iter()
            .filter_map(|expectation| self.mismatch(expectation))
            .collect();
        if cells.is_empty() {
            Ok(())
        } else {
            Err(CheckError::Mismatches {
                cells,
                checked: expectations.len(),
            })
        }
    }

    /// Reads the expected table into one expectation per cell, or the first
    /// reason it cannot be read.
    fn read_table<F>(&self, text: &str, mut read: F) -> Result<Vec<Expectation>, TableError>
    where
        F: FnMut(&str) -> Option<bool>,
    {
        let mut lines = text
            .lines()
            .zip(1..)
            .map(|(text, line)| (line, text.trim()))
            .filter(|(_, text)| !text.is_empty());

        let (header_line, header_text) = lines.next().ok_or(TableError::Empty)?;
        let header = split_row(header_text).ok_or_else(|| TableError::NotARow {
            line: header_line,
            text: header_text.to_string(),
        })?;
        let no_header = || TableError::NoHeader {
            line: header_line,
            text: header_text.to_string(),
        };
        let (delimiter_line, delimiter_text) = lines.next().ok_or_else(no_header)?;
        let delimiter = split_row(delimiter_text)
            .filter(|cells| cells.iter().all(|cell| is_delimiter(cell)))
            .ok_or_else(no_header)?;

        let labels = header.get(1..).unwrap_or_default();
        if labels.is_empty() {
            return Err(TableError::NoColumns {
                line: header_line,
                text: header_text.to_string(),
            });
        }
        let mut columns = Vec::with_capacity(labels.len());
        for (position, label) in labels.iter().enumerate() {
            if labels.get(..position).unwrap_or_default().contains(label) {
                return Err(TableError::DuplicateColumn {
                    line: header_line,
                    label: label.clone(),
                });
            }
            let column = self
                .column_index(label)
                .ok_or_else(|| TableError::UnknownColumn {
                    line: header_line,
                    label: label.clone(),
                    known: self.columns.iter().map(|c| c.label.clone()).collect(),
                })?;
            columns.push(column);
        }
        if delimiter.len() != header.len() {
            return Err(TableError::WrongCellCount {
                line: delimiter_line,
                expected: header.len(),
                found: delimiter.len(),
                text: delimiter_text.to_string(),
            });
        }

        let mut expectations = Vec::new();
        // Row index -> the line it was given on.
        let mut seen = BTreeMap::new();
        for (line, text) in lines {
            let cells = split_row(text).ok_or_else(|| TableError::NotARow {
                line,
                text: text.to_string(),
            })?;
            let wrong_count = || TableError::WrongCellCount {
                line,
                expected: header.len(),
                found: cells.len(),
                text: text.to_string(),
            };
            if cells.len() != header.len() {
                return Err(wrong_count());
            }
            let (label, values) = cells.split_first().ok_or_else(wrong_count)?;
            let row = self
                .row_index(label)
                .ok_or_else(|| TableError::UnknownRow {
                    line,
                    label: label.clone(),
                    known: self.rows.iter().map(|r| r.label.clone()).collect(),
                })?;
            if let Some(&first) = seen.get(&row) {
                return Err(TableError::DuplicateRow {
                    line,
                    label: label.clone(),
                    first,
                });
            }
            seen.insert(row, line);
            for ((value, &column), column_label) in values.iter().zip(&columns).zip(labels) {
                let allowed = read(value).or_else(|| read_cell(value)).ok_or_else(|| {
                    TableError::UnreadableCell {
                        line,
                        row: label.clone(),
                        column: column_label.clone(),
                        text: value.clone(),
                    }
                })?;
                expectations.push(Expectation {
                    line,
                    row,
                    column,
                    allowed,
                    written: value.clone(),
                });
            }
        }
        Ok(expectations)
    }

    /// The mismatch of one expected cell, if the decision differs.
    fn mismatch(&self, expectation: &Expectation) -> Option<Mismatch> {
        let actual = self.cell(expectation.row, expectation.column)?;
        if actual.is_allowed() == expectation.allowed {
            return None;
        }
        Some(Mismatch {
            line: expectation.line,
            row: self.rows.get(expectation.row)?.label.clone(),
            column: self.columns.get(expectation.column)?.label.clone(),
            written: expectation.written.clone(),
            expected: expectation.allowed,
            actual,
            reason: self.policy.explain(actual.reason()).to_string(),
        })
    }
}

/// One cell of an expected table, read.
struct Expectation {
    line: usize,
    row: usize,
    column: usize,
    allowed: bool,
    written: String,
}

/// One cell where the policy's decision differs from the expected table:
/// part of a [`CheckError::Mismatches`].
///
/// ```
/// # use clearance::*;
/// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// # let acme = policy.resource_id("acme").unwrap();
/// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
/// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View)], [("Guest", nobody)]);
/// let error = matrix.check("| | Guest |\n|-|-|\n| View | Y (S) |").unwrap_err();
/// let mismatch = &error.mismatches()[0];
/// assert_eq!((mismatch.line(), mismatch.row(), mismatch.column()), (3, "View", "Guest"));
/// assert_eq!((mismatch.written(), mismatch.expected()), ("Y (S)", true));
/// assert_eq!(mismatch.actual().reason(), Reason::UnknownSubject);
/// assert_eq!(mismatch.reason(), "the user, API key or link is not known to this policy");
/// # Ok::<(), BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    line: usize,
    row: String,
    column: String,
    written: String,
    expected: bool,
    actual: Decision,
    reason: String,
}

impl Mismatch {
    /// The line of the cell's row, 1-based within the expected table's text.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }

    /// The row's label.
    #[must_use]
    pub fn row(&self) -> &str {
        &self.row
    }

    /// The column's label.
    #[must_use]
    pub fn column(&self) -> &str {
        &self.column
    }

    /// The cell as written in the table, notes included (`Y (I)`, `?`).
    #[must_use]
    pub fn written(&self) -> &str {
        &self.written
    }

    /// What the table expects: `true` for allowed, `false` for denied.
    #[must_use]
    pub fn expected(&self) -> bool {
        self.expected
    }

    /// The policy's decision.
    pub fn actual(&self) -> Decision {
        self.actual
    }

    /// The decision's reason, with names, as [`Policy::explain`] words it.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// `line 7, row "Edit flows", column "Viewer": the table says "Y (S)"
/// (allowed), the policy denies: <reason>`.
impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (expected, actual) = if self.expected {
            ("allowed", "denies")
        } else {
            ("denied", "allows")
        };
        write!(
            f,
            "line {}, row {:?}, column {:?}: the table says {:?} ({expected}), the policy {actual}: {}",
            self.line, self.row, self.column, self.written, self.reason
        )
    }
}

/// Why [`Matrix::check`] failed: the expected table could not be read, or
/// some of its cells differ from the policy's decisions (all of them are
/// listed).
///
/// `Debug` writes the same report as `Display`, so that a test that
/// `unwrap`s a check, or returns its error, shows the list of cells rather
/// than a nested structure.
///
/// ```
/// # use clearance::*;
/// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// # let acme = policy.resource_id("acme").unwrap();
/// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
/// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View), ("Edit", Action::Edit)], [("Guest", nobody)]);
/// let error = matrix.check("
/// | Capability | Guest |
/// |---|---|
/// | View | Y |
/// | Edit | yes |
/// ").unwrap_err();
/// assert_eq!(error.mismatches().len(), 2);
/// assert_eq!(format!("{error:?}"), error.to_string());
/// assert!(error.to_string().starts_with("2 of 2 cells differ from the expected matrix:\n- line 4, row \"View\""));
/// # Ok::<(), BuildError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckError {
    /// The expected table is malformed; nothing was compared.
    Table(TableError),
    /// The table was read, and these cells differ from the policy.
    Mismatches {
        /// Every differing cell, in the table's order (never empty).
        cells: Vec<Mismatch>,
        /// How many cells the table holds.
        checked: usize,
    },
}

impl CheckError {
    /// Every differing cell (empty for a malformed table).
    ///
    /// ```
    /// # use clearance::*;
    /// let error = CheckError::Table(TableError::Empty);
    /// assert!(error.mismatches().is_empty());
    /// ```
    #[must_use]
    pub fn mismatches(&self) -> &[Mismatch] {
        match self {
            CheckError::Table(_) => &[],
            CheckError::Mismatches { cells, .. } => cells,
        }
    }
}

impl From<TableError> for CheckError {
    fn from(error: TableError) -> CheckError {
        CheckError::Table(error)
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckError::Table(error) => write!(f, "the expected matrix cannot be read: {error}"),
            CheckError::Mismatches { cells, checked } => {
                write!(
                    f,
                    "{} of {checked} cells differ from the expected matrix:",
                    cells.len()
                )?;
                for cell in cells {
                    write!(f, "\n- {cell}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The report itself: a failing test shows it through `{:?}`.
        fmt::Display::fmt(self, f)
    }
}

// The table error is part of the message, not a separate source: a report
// that walked sources would print it twice.
impl core::error::Error for CheckError {}

/// The cells of a table row, trimmed, with `\|` read as `|`; `None` if the
/// line holds no `|`. Leading and trailing pipes are optional, as in
/// GitHub's Markdown.
fn split_row(line: &str) -> Option<Vec<String>> {
    let line = line.trim();
    if !line.contains('|') {
        return None;
    }
    let mut cells = Vec::new();
    let mut cell = String::new();
    // The piece before a leading `|` is empty, not a cell.
    let mut before_leading_pipe = line.starts_with('|');
    let mut ends_with_pipe = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        ends_with_pipe = false;
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => {
                if before_leading_pipe {
                    before_leading_pipe = false;
                    cell.clear();
                } else {
                    cells.push(cell.trim().to_string());
                    cell.clear();
                }
                ends_with_pipe = true;
            }
            _ => cell.push(c),
        }
    }
    if !ends_with_pipe {
        cells.push(cell.trim().to_string());
    }
    Some(cells)
}

/// Whether `cell` belongs to a delimiter row: dashes, optionally colons
/// for alignment (`---`, `:--`, `:-:`).
fn is_delimiter(cell: &str) -> bool {
    let dashes = cell.strip_prefix(':').unwrap_or(cell);
    let dashes = dashes.strip_suffix(':').unwrap_or(dashes);
    !dashes.is_empty() && dashes.chars().all(|c| c == '-')
}

/// What a cell expects, read by its start (see [`Matrix::check`]); `None`
/// if it is neither yes nor no.
fn read_cell(text: &str) -> Option<bool> {
    // Emphasis around a verdict (`**Y**`) is decoration.
    let text = text.trim().trim_start_matches(['*', '_', '`']);
    match text.chars().next()? {
        '✓' | '✔' => return Some(true),
        // `?` is unknown: expect the conservative answer, denied.
        '✗' | '✘' | '-' | '–' | '—' | '?' => return Some(false),
        _ => {}
    }
    // The first word only: the rest is notes (`Y (S)`, `Y²`, `N (I)`).
    let end = text
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let word = text.get(..end)?;
    if word.eq_ignore_ascii_case("y") || word.eq_ignore_ascii_case("yes") {
        Some(true)
    } else if word.eq_ignore_ascii_case("n") || word.eq_ignore_ascii_case("no") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{is_delimiter, read_cell, split_row};
    use alloc::string::String;
    use alloc::vec::Vec;

    #[test]
    fn cells_read_by_their_first_word() {
        let cases: &[(&str, Option<bool>)] = &[
            ("Y", Some(true)),
            ("y", Some(true)),
            ("Yes", Some(true)),
            ("Y (S)", Some(true)),
            ("Y²", Some(true)),
            ("Y¹", Some(true)),
            ("Y3", Some(true)),
            ("Y (D: view)", Some(true)),
            ("Y (Web API)", Some(true)),
            ("✓", Some(true)),
            ("**Y**", Some(true)),
            ("N", Some(false)),
            ("no", Some(false)),
            ("N (I)", Some(false)),
            ("-", Some(false)),
            ("✗", Some(false)),
            ("?", Some(false)),
            ("limited", None),
            ("reduced: no changes that could break the project (S)", None),
            ("None", None),
            ("Yellow", None),
            ("", None),
        ];
        for &(cell, expected) in cases {
            assert_eq!(read_cell(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn rows_split_on_unescaped_pipes_with_optional_outer_pipes() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("| a | b |", Some(&["a", "b"])),
            ("a | b", Some(&["a", "b"])),
            ("| a | b", Some(&["a", "b"])),
            ("a | b |", Some(&["a", "b"])),
            (r"| a \| b | c |", Some(&["a | b", "c"])),
            ("| | x |", Some(&["", "x"])),
            ("no pipes", None),
        ];
        for &(line, expected) in cases {
            let cells = split_row(line);
            let cells: Option<Vec<&str>> = cells
                .as_ref()
                .map(|cells| cells.iter().map(String::as_str).collect());
            assert_eq!(cells.as_deref(), expected, "{line:?}");
        }
    }

    #[test]
    fn delimiter_cells_are_dashes_with_optional_colons() {
        for cell in ["-", "---", ":--", "--:", ":-:"] {
            assert!(is_delimiter(cell), "{cell:?}");
        }
        for cell in ["", ":", "::", "-x-", "Y"] {
            assert!(!is_delimiter(cell), "{cell:?}");
        }
    }
}
