//! The table of Boomi Flow in `PRODUCTS.md` §4, written once:
//! `examples/matrix.rs` checks and prints the preset's matrix against it, and
//! `tests/presets_boomi_flow.rs` (which includes this file by `#[path]`)
//! checks it cell by cell.

/// `PRODUCTS.md` §4, as written there: every cell D.
pub const TABLE: &str = "
| Privilege | Administrator | Standard user |
|---|---|---|
| Flows, Pages, Values, Connectors, Assets | Y | Y |
| Organization | Y | N |
| Tenant | Y | N |
| Environments | Y | N |
| API (the API tool) | Y | N |
| Import/Export, Players, Macros, Dashboards, Auditing | Y | Y |
";
