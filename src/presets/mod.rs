//! Presets: the five reference products, each a ready role set, the rules
//! special to it, and a small demo model.
//!
//! Each module follows the same shape, so a product's engineers can start
//! from the closest one:
//!
//! - `roles()`: the product's roles, with doc comments citing which cells of
//!   its permission matrix come from the source documents (S), the fuller
//!   public docs (D), an inference (I), or a conservative default (?);
//! - `builder()`: a [`PolicyBuilder`] holding those roles and the
//!   product's policy settings (MFA, seats), ready for a tenant's
//!   resources, users and grants;
//! - `demo()`: a small model of the product, used by the tests and by
//!   `cargo run --example matrix -- <preset>`;
//! - `matrix(&policy)`: the product's permission matrix over the demo model,
//!   the same rows and columns as the table in its documentation.
//!
//! Nothing in the library depends on presets; they use only the public API.
//! The few steps every preset takes alike (a builder holding its roles, a
//! user holding a role on its tenant, a grant as a change, a demo name
//! looked up for a matrix) are written once, below, as private helpers.

pub mod boomi_flow;
pub mod flowcode;
pub mod smart_flows;
pub mod smartflow;
pub mod workspace_platform;

use alloc::string::String;
use alloc::vec::Vec;

use crate::{
    Author, Change, Channel, Condition, Effect, Grantee, Policy, PolicyBuilder, ResourceId, Role,
    Subject, User, UserId,
};

/// A builder holding `roles`, in order: what each preset's `builder()`
/// starts from.
fn builder_with(roles: Vec<Role>) -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    for role in roles {
        builder.role(role);
    }
    builder
}

/// Declares `user`, holding `role` on its tenant root (an allow, always):
/// how the presets seat a person with a tenant-wide role.
fn user_holding<'b>(
    builder: &'b mut PolicyBuilder,
    user: User,
    role: &str,
) -> &'b mut PolicyBuilder {
    let (name, tenant) = (user.name.clone(), user.tenant.clone());
    builder
        .user(user)
        .grant(Grantee::user(name), tenant, role, Effect::Allow)
}

/// The change that grants `role` on `scope` to `grantee` (an allow,
/// always), authorized as `by` when given.
fn grant_change(
    grantee: Grantee,
    scope: impl Into<String>,
    role: impl Into<String>,
    by: Option<Author>,
) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by,
    }
}

/// The id of the resource named `name`, or an id no policy knows: a
/// matrix over a policy without the demo's names denies those cells as
/// unknown, never panics.
fn resource_or_unknown(policy: &Policy, name: &str) -> ResourceId {
    policy
        .resource_id(name)
        .unwrap_or(ResourceId::from_index(u32::MAX))
}

/// The user named `name` asking through `channel`, or (as
/// [`resource_or_unknown`]) a subject no policy knows.
fn user_asking(policy: &Policy, name: &str, channel: Channel) -> Subject {
    let id = policy.user_id(name).unwrap_or(UserId::from_index(u32::MAX));
    Subject::user(id, channel)
}
