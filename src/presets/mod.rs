//! Presets: the five reference products, each a ready role set, the rules
//! special to it, and a small demo model.
//!
//! Each module follows the same shape, so a product's engineers can start
//! from the closest one:
//!
//! - `roles()`: the product's roles, with doc comments citing which cells of
//!   its permission matrix come from the source documents (S), the fuller
//!   public docs (D), an inference (I), or a conservative default (?);
//! - `builder()`: a [`PolicyBuilder`](crate::PolicyBuilder) holding those
//!   roles and the product's policy settings (MFA, seats), ready for a
//!   tenant's resources, users and grants;
//! - `demo()`: a small model of the product, used by the tests and by
//!   `cargo run --example matrix -- <preset>`;
//! - `matrix(&policy)`: the product's permission matrix over the demo model,
//!   the same rows and columns as the table in its documentation.
//!
//! Nothing in the library depends on presets; they use only the public API.

pub mod boomi_flow;
pub mod flowcode;
pub mod smart_flows;
pub mod smartflow;
pub mod workspace_platform;
