//! Random models with labels and conditional grants, for the properties of
//! `tests/attack_reviews.rs` and `tests/attack_quadratic.rs`: a model of
//! `tests/generate` (whose reference knows no labels), plus labels on some
//! resources and users and conditional grants to `Everyone` (allow,
//! override and deny, of roles some user types may not hold).
#![allow(dead_code, reason = "each test binary uses a different part")]
#![expect(clippy::panic, reason = "test helpers over generated models")]

use clearance::{Change, Condition, Effect, Grantee, Labels, Policy};
use proptest::collection::vec;
use proptest::prelude::*;

use crate::generate;
use crate::reference::{self, Model, Who};

/// What is added to a generated model.
#[derive(Debug, Clone)]
pub struct Extra {
    /// (resource, labels) over labels 0 to 3.
    pub resource_labels: Vec<(usize, u8)>,
    /// (user, labels).
    pub user_labels: Vec<(usize, u8)>,
    /// (scope, role, effect roll, condition roll) of grants to `Everyone`.
    pub grants: Vec<(usize, usize, u8, u8)>,
}

/// A generated model and what to add to it.
pub fn model() -> impl Strategy<Value = (Model, Extra)> {
    (
        generate::model(),
        vec((0..30usize, 0..16u8), 0..12),
        vec((0..12usize, 0..16u8), 0..8),
        vec((0..30usize, 0..4usize, 0..3u8, 0..3u8), 0..6),
    )
        .prop_map(|(model, resource_labels, user_labels, grants)| {
            (
                model,
                Extra {
                    resource_labels,
                    user_labels,
                    grants,
                },
            )
        })
}

/// The effect of a roll in `0..3`.
pub fn effect(roll: u8) -> Effect {
    match roll % 3 {
        0 => Effect::Allow,
        1 => Effect::Override,
        _ => Effect::Deny,
    }
}

/// The condition of a roll in `0..3`.
pub fn condition(roll: u8) -> Condition {
    match roll % 3 {
        0 => Condition::Always,
        1 => Condition::LabelsIntersect,
        _ => Condition::LabelsContain,
    }
}

/// Builds the model with its additions (skipping a grant of the same
/// identity as one it holds, which a build may refuse).
pub fn build(model: &Model, extra: &Extra) -> Policy {
    let mut b = reference::builder(model);
    let resources = model.resources.len();
    for &(resource, bits) in &extra.resource_labels {
        b.labels(
            reference::resource_name(resource % resources),
            Labels::from_bits_retain(u64::from(bits)),
        );
    }
    let mut made: Vec<(usize, usize, Effect)> = model
        .grants
        .iter()
        .filter(|grant| grant.who == Who::Everyone)
        .map(|grant| (grant.scope, grant.role, grant.effect))
        .collect();
    for &(scope, role, effect_roll, condition_roll) in &extra.grants {
        let identity = (
            scope % resources,
            role % model.roles.len(),
            effect(effect_roll),
        );
        if made.contains(&identity) {
            continue;
        }
        made.push(identity);
        b.grant_when(
            Grantee::Everyone,
            reference::resource_name(identity.0),
            reference::role_name(identity.1),
            identity.2,
            condition(condition_roll),
        );
    }
    let mut policy = b
        .build()
        .unwrap_or_else(|error| panic!("a generated model builds: {error}"));
    for &(user, bits) in &extra.user_labels {
        let change = Change::SetUserLabels {
            user: reference::user_name(user % model.users.len()),
            labels: Labels::from_bits_retain(u64::from(bits)),
        };
        policy
            .apply(change)
            .unwrap_or_else(|error| panic!("labels apply: {error}"));
    }
    policy
}
