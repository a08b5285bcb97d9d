//! The table of the workspace platform in `PRODUCTS.md` §3, written once:
//! `examples/matrix.rs` checks and prints the preset's matrix against it, and
//! `tests/presets_workspace_platform.rs` (which includes this file by
//! `#[path]`) checks it cell by cell.

/// `PRODUCTS.md` §3, as written there. `?` reads as denied; the Viewer's
/// "limited" settings are its own settings only, no "All settings"
/// (`clearance::presets::workspace_platform::read_cell` reads it so).
pub const TABLE: &str = "
| Action | Admin | Editor | Viewer |
|---|---|---|---|
| User management: invite, change role, suspend, remove | Y | N | N |
| All settings | Y | ? | limited |
| View flows and executions | Y | Y | Y |
| Create and edit flows | Y (I) | Y | N |
| Manage connections | Y (I) | Y | N |
| Create and manage API keys | Y | ? | N (I) |
| Configure integrations | Y | ? | N (I) |
| Billing | Y (D: view) | N | N (I) |
";
