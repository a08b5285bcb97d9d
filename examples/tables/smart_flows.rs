//! The table of Smart Flows in `PRODUCTS.md` §1, written once:
//! `examples/matrix.rs` checks and prints the preset's matrix against it, and
//! `tests/presets_smart_flows.rs` (which includes this file by `#[path]`)
//! checks it cell by cell.

/// `PRODUCTS.md` §1, as written there. `?` reads as denied; "reduced" (the
/// Designer's Project Console) is not the full console: denied too (see
/// [`read`]).
pub const TABLE: &str = "
| Capability | Administrator | Designer | Super User | User |
|---|---|---|---|---|
| Project Console (full) | Y (S) | reduced: no changes that could break the project (S) | N (D) | N (D) |
| Template Builder add-in | Y (S) | Y (S) | N (I) | N (D) |
| Flow Execution Panel, run own flows | Y (I) | Y (I) | Y (S) | Y (S) |
| Run other users' flows | Y (I) | ? | Y (S) | N (S) |
| See all executions (reporting) | Y (D) | ? | N (I) | N (I) |
| Assign and manage other users' roles | Y (S) | N (I) | N | N |
| Settings and licensing pages | Y (D) | ? | N | N |
| Create/deactivate native users, set passwords | Y (D) | ? | N | N |
| Generate or remove API keys | Y (D) | ? | N | N |
";

/// How the table's own words read, for `Matrix::check_with`: the
/// Designer's "reduced" Project Console is a deny of the full console.
/// Every other cell reads the usual way.
pub fn read(cell: &str) -> Option<bool> {
    cell.starts_with("reduced").then_some(false)
}
