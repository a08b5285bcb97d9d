//! The table of Flowcode 2 in `PRODUCTS.md` §5, written once:
//! `examples/matrix.rs` checks and prints the preset's matrix against it, and
//! `tests/presets_flowcode.rs` (which includes this file by `#[path]`) checks
//! it cell by cell.

/// `PRODUCTS.md` §5, as written there: every cell S.
pub const TABLE: &str = "
| Action | WS Admin | WS Editor | WS Viewer |
|---|---|---|---|
| Manage page: members, teams, domains, integrations, settings | Y | N | N |
| Create, edit, delete flows and assets | Y | Y | N |
| View analytics, download flows | Y | Y | Y |
| Toggle fine-grained permissions of members | Y | N | N |
";
