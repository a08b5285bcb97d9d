//! Rendering a matrix: as a Markdown table
//! ([`Matrix::to_markdown`]) and as aligned plain text for terminals (its
//! `Display`), `Y` for allowed and `N` for denied.
//!
//! This file owns how a matrix looks. It must never ask the policy
//! anything (the cells are computed already) nor read a table (that is
//! `check.rs`).

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::Matrix;

impl Matrix<'_> {
    /// The matrix as a Markdown table: a header naming the columns, one row
    /// per capability, `Y` for allowed and `N` for denied. Columns are
    /// padded so that the source reads as a table too, and `|` in a label
    /// is escaped as `\|`.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View)], [("Nobody", nobody)]);
    /// assert_eq!(matrix.to_markdown(), "\
    /// | Capability | Nobody |
    /// |------------|--------|
    /// | View       | N      |
    /// ");
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let grid = self.grid(escape_pipes);
        let widths = widths(&grid);
        let mut out = String::new();
        for (index, line) in grid.iter().enumerate() {
            for (cell, &width) in line.iter().zip(&widths) {
                out.push_str("| ");
                push_padded(&mut out, cell, width);
                out.push(' ');
            }
            out.push_str("|\n");
            if index == 0 {
                for &width in &widths {
                    out.push('|');
                    push_repeated(&mut out, '-', width.saturating_add(2));
                }
                out.push_str("|\n");
            }
        }
        out
    }

    /// The header and every row as text, each cell through `escape`.
    fn grid(&self, escape: fn(&str) -> String) -> Vec<Vec<String>> {
        let header = core::iter::once(escape(&self.heading))
            .chain(self.columns.iter().map(|column| escape(&column.label)))
            .collect();
        let rows = self.rows.iter().enumerate().map(|(row_index, row)| {
            core::iter::once(escape(&row.label))
                .chain((0..self.columns.len()).map(|column_index| {
                    let allowed = self
                        .cell(row_index, column_index)
                        .is_some_and(|decision| decision.is_allowed());
                    String::from(if allowed { "Y" } else { "N" })
                }))
                .collect()
        });
        core::iter::once(header).chain(rows).collect()
    }
}

/// The matrix as aligned plain text for terminals: the header, a rule, one
/// line per capability, `Y` for allowed and `N` for denied.
///
/// ```
/// # use clearance::*;
/// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
/// # let acme = policy.resource_id("acme").unwrap();
/// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
/// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View), ("Manage billing", Action::ManageBilling)], [("Nobody", nobody)]);
/// assert_eq!(matrix.to_string(), "\
/// Capability      Nobody
/// --------------  ------
/// View            N
/// Manage billing  N
/// ");
/// # Ok::<(), BuildError>(())
/// ```
impl fmt::Display for Matrix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let grid = self.grid(|text| text.to_string());
        let widths = widths(&grid);
        let last = widths.len().saturating_sub(1);
        for (index, line) in grid.iter().enumerate() {
            let mut out = String::new();
            for (position, (cell, &width)) in line.iter().zip(&widths).enumerate() {
                if position > 0 {
                    out.push_str("  ");
                }
                push_padded(&mut out, cell, width);
            }
            writeln!(f, "{}", out.trim_end())?;
            if index == 0 {
                let mut rule = String::new();
                for (position, &width) in widths.iter().enumerate() {
                    push_repeated(&mut rule, '-', width);
                    if position < last {
                        rule.push_str("  ");
                    }
                }
                writeln!(f, "{rule}")?;
            }
        }
        Ok(())
    }
}

/// The width of each column of `grid`, in characters.
fn widths(grid: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = Vec::new();
    for line in grid {
        for (position, cell) in line.iter().enumerate() {
            let width = cell.chars().count();
            match widths.get_mut(position) {
                Some(known) => *known = (*known).max(width),
                None => widths.push(width),
            }
        }
    }
    widths
}

fn escape_pipes(text: &str) -> String {
    text.replace('|', "\\|")
}

fn push_padded(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    push_repeated(out, ' ', width.saturating_sub(text.chars().count()));
}

fn push_repeated(out: &mut String, c: char, count: usize) {
    out.extend(core::iter::repeat(c).take(count));
}
