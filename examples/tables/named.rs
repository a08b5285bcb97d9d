//! Checks the "product privilege → action and resource to ask" table of a
//! preset's docs against its product's table: each action of the table,
//! asked by every column, must give that row's answer. A product row that
//! names several actions (settings *and* billing) is checked once per
//! action, so no named action can answer otherwise than the product.
//!
//! Each preset's test (`tests/presets_*.rs`) includes this file by
//! `#[path]`, next to its product's table; `examples/matrix.rs` does not
//! need it.

use std::fmt::Write as _;

use clearance::{Action, Matrix, Policy, ResourceId, Subject};

/// Asks each `(row, action, resource)` of `asks` for every column, and
/// checks the answers against the row of `table` labelled `row` (read as
/// [`Matrix::check_with`] reads it, with `read` first). Returns every
/// action whose answers differ, each with the cells that differ.
///
/// # Errors
///
/// The report of the actions that differ from their row, or of a row the
/// table does not have.
pub fn check(
    policy: &Policy,
    table: &str,
    read: fn(&str) -> Option<bool>,
    asks: &[(&str, Action, ResourceId)],
    columns: &[(&str, Subject)],
) -> Result<(), String> {
    let lines: Vec<&str> = table
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let (header, rows) = lines.split_at(2.min(lines.len()));
    let mut report = String::new();
    for &(label, action, resource) in asks {
        let first_cell = |line: &&&str| {
            line.trim_start_matches('|')
                .split('|')
                .next()
                .map(str::trim)
                == Some(label)
        };
        let Some(row) = rows.iter().find(first_cell) else {
            let _ = writeln!(report, "{action}: the table has no row {label:?}");
            continue;
        };
        let one_row = format!("{}\n{row}", header.join("\n"));
        let matrix = Matrix::compute(policy, [(label, action, resource)], columns.iter().copied());
        if let Err(error) = matrix.check_with(&one_row, read) {
            let _ = writeln!(report, "{action} for {label:?}: {error}");
        }
    }
    if report.is_empty() {
        Ok(())
    } else {
        Err(report)
    }
}
