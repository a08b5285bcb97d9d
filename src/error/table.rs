//! Table errors: why an expected permission matrix, written as a Markdown
//! table, could not be read ([`TableError`]).
//!
//! This file owns that type and its words, each naming the line and the
//! offending text. It must never read a table itself (the matrix's check
//! does).

use alloc::string::String;
use alloc::vec::Vec;

/// Why an expected permission matrix, written as a Markdown table for
/// [`Matrix::check`](crate::Matrix::check), could not be read.
///
/// Every variant names the line (1-based, counted within the text given to
/// `check`, blank lines included) and the offending text, so a failing test
/// points at the cell to fix.
///
/// ```
/// use clearance::TableError;
///
/// let error = TableError::UnreadableCell {
///     line: 4,
///     row: "All settings".into(),
///     column: "Viewer".into(),
///     text: "limited".into(),
/// };
/// assert!(error.to_string().starts_with(r#"line 4, row "All settings", column "Viewer": "limited""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// The text holds no line at all, so no header either.
    #[error("the table is empty; it needs a header such as `| Capability | Admin |`, a delimiter row `|---|---|` and one row per capability")]
    Empty,
    /// A line of the table holds no `|`: it is not a table row.
    #[error("line {line}: {text:?} is not a table row; cells are separated by `|`")]
    NotARow {
        /// The line.
        line: usize,
        /// Its text.
        text: String,
    },
    /// The first line is not followed by a delimiter row (`|---|---|`), so
    /// the table has no header.
    #[error("line {line}: {text:?} is not followed by a delimiter row such as `|---|---|`, so the table has no header")]
    NoHeader {
        /// The line that should be the header.
        line: usize,
        /// Its text.
        text: String,
    },
    /// The header names the row heading only, no column.
    #[error("line {line}: the header {text:?} names no column; after the row heading it needs one cell per column")]
    NoColumns {
        /// The header's line.
        line: usize,
        /// Its text.
        text: String,
    },
    /// A row (or the delimiter row) has another number of cells than the header.
    #[error("line {line}: {found} cells where the header has {expected}: {text:?}")]
    WrongCellCount {
        /// The line.
        line: usize,
        /// The header's number of cells, the row heading included.
        expected: usize,
        /// This row's number of cells.
        found: usize,
        /// Its text.
        text: String,
    },
    /// The header names the same column twice.
    #[error("line {line}: the header names column {label:?} twice")]
    DuplicateColumn {
        /// The header's line.
        line: usize,
        /// The repeated label.
        label: String,
    },
    /// Two rows have the same label.
    #[error("line {line}: row {label:?} was already given on line {first}")]
    DuplicateRow {
        /// The line of the second row.
        line: usize,
        /// The repeated label.
        label: String,
        /// The line of the first.
        first: usize,
    },
    /// The header names a column the matrix does not have.
    #[error("line {line}: the matrix has no column {label:?}; its columns are {known:?}")]
    UnknownColumn {
        /// The header's line.
        line: usize,
        /// The unknown label.
        label: String,
        /// The matrix's column labels.
        known: Vec<String>,
    },
    /// A row is labelled with a capability the matrix does not have.
    #[error("line {line}: the matrix has no row {label:?}; its rows are {known:?}")]
    UnknownRow {
        /// The row's line.
        line: usize,
        /// The unknown label.
        label: String,
        /// The matrix's row labels.
        known: Vec<String>,
    },
    /// A cell reads as neither allowed nor denied.
    #[error("line {line}, row {row:?}, column {column:?}: {text:?} is neither yes nor no; write Y, yes, ✓, N, no, ✗, - or ?, or map the word with `Matrix::check_with`")]
    UnreadableCell {
        /// The row's line.
        line: usize,
        /// The row's label.
        row: String,
        /// The column's label.
        column: String,
        /// The cell as written.
        text: String,
    },
}
