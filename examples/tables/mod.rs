//! The product tables of the presets, as `PRODUCTS.md` writes them: one
//! file a product, each the only copy of its table. This example checks
//! each preset's matrix against its table; each preset's test
//! (`tests/presets_*.rs`) includes its product's file by `#[path]` and
//! checks the same table cell by cell.
//!
//! `named.rs`, beside them, is for the tests only (they include it by
//! `#[path]`; this example does not): it checks each action a preset's
//! docs name for a product row against that row.

pub mod boomi_flow;
pub mod flowcode;
pub mod smart_flows;
pub mod smartflow;
pub mod workspace_platform;
