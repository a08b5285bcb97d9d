//! The table of Smartflow in `PRODUCTS.md` §2, written once:
//! `examples/matrix.rs` checks and prints the preset's matrix against it, and
//! `tests/presets_smartflow.rs` (which includes this file by `#[path]`)
//! checks it cell by cell.

/// `PRODUCTS.md` §2, as written there: every cell S. The Normal column is
/// a Normal user with the Builder and Maintenance roles (² ³).
pub const TABLE: &str = "
| Action | Public | Portal | Normal | Domain Admin | Interface |
|---|---|---|---|---|---|
| Log in to web portal | N | Y | Y | Y | N |
| Log in to apps | N | N | Y | Y | N |
| Open views | N | Y | Y | Y | N |
| Fill in forms | Y¹ | Y | Y | Y | Y (Web API) |
| View knowledge base | N | Y | Y | Y | N |
| Add to knowledge base | N | N | Y³ | Y | N |
| Build forms, views or flows | N | N | Y² | Y | N |
| Maintain datasets | N | N | Y² | Y | Y |
| Maintain users, roles, permissions | N | N | N | Y | Y |
| View queues | N | N | Y³ | Y | N |
";
