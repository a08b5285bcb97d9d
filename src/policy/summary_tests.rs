//! Tests of the path summaries ([`Node::path_filter`],
//! [`Node::path_scopes`]) on the layout itself: what
//! [`summarise_paths`](super::store::summarise_paths) promises, checked
//! against the paths after every change, where a decision could hide a
//! missing bit no subject of the model has.
//!
//! Owns: those checks. Must never: be compiled outside tests.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::builder::PolicyBuilder;
use crate::change::Change;
use crate::directory::User;
use crate::grant::{Effect, Grantee};
use crate::label::Condition;
use crate::permission::Permissions;
use crate::resource::ResourceKind;
use crate::role::Role;

/// Every node's path summaries.
fn summaries(policy: &Policy) -> Vec<(u64, u64)> {
    let of = |node: &Node| (node.path_filter, node.path_scopes);
    policy.nodes.iter().map(of).collect()
}

/// The bits of `node`'s path now: its nodes' filters and scope bits.
fn path_bits(policy: &Policy, node: u32) -> (u64, u64) {
    let (mut bits, mut at) = ((0, 0), node);
    while let Some(node) = policy.nodes.get(at as usize) {
        bits = (bits.0 | node.filter, bits.1 | 1 << node.scope_bit);
        at = node.parent;
    }
    bits
}

/// Whether `have` holds every bit of `need`.
fn holds(have: (u64, u64), need: (u64, u64)) -> bool {
    have.0 & need.0 == need.0 && have.1 & need.1 == need.1
}

/// A xorshift step: the next of a fixed sequence, below `n`.
fn next(seed: &mut u64, n: usize) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed % n as u64) as usize
}

/// The name `seed` picks next from `names`.
fn pick(names: &[String], seed: &mut u64) -> String {
    names[next(seed, names.len())].clone()
}

/// What `summarise_paths` promises, checked on the layout itself
/// after each of 3,000 changes (grants and revokes to teams,
/// `Everyone` and `Public`, moves, added and removed resources): every
/// live node's summaries hold every bit of its path, and no node's
/// summaries lose a bit, so each is rewritten at most 128 times.
#[test]
fn path_summaries_hold_their_path_and_only_gain_bits() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", ResourceKind::Organization)
        .role(Role::new("viewer").allow_everywhere(Permissions::VIEW));
    let mut names: Vec<String> = alloc::vec!["acme".into()];
    for w in 0..6 {
        builder.resource(format!("w{w}"), ResourceKind::Workspace, "acme");
        names.push(format!("w{w}"));
        for f in 0..4 {
            builder.resource(format!("w{w}f{f}"), ResourceKind::Folder, format!("w{w}"));
            names.push(format!("w{w}f{f}"));
        }
    }
    for t in 0..20 {
        builder.team(format!("t{t}"), "acme");
    }
    builder.user(User::new("ann", "acme").member_of("t0"));
    let Ok(mut policy) = builder.build() else {
        panic!("the model builds");
    };
    let (mut seed, mut granted) = (0x2545_F491_4F6C_DD1D_u64, Vec::new());
    let (mut before, mut accepted) = (summaries(&policy), 0);
    for step in 0..3_000 {
        let change = match next(&mut seed, 16) {
            0..=5 => {
                let grantee = match next(&mut seed, 22) {
                    20 => Grantee::Everyone,
                    21 => Grantee::Public,
                    t => Grantee::team(format!("t{t}")),
                };
                let effect = [Effect::Allow, Effect::Override, Effect::Deny][next(&mut seed, 3)];
                let grant = (grantee, pick(&names, &mut seed), effect);
                granted.push(grant.clone());
                Change::Grant {
                    grantee: grant.0,
                    scope: grant.1,
                    role: "viewer".into(),
                    effect,
                    when: Condition::Always,
                    by: None,
                }
            }
            6..=9 if !granted.is_empty() => {
                let (grantee, scope, effect) = granted.swap_remove(next(&mut seed, granted.len()));
                Change::Revoke {
                    grantee,
                    scope,
                    role: "viewer".into(),
                    effect,
                    by: None,
                }
            }
            10..=12 => Change::MoveResource {
                name: pick(&names, &mut seed),
                parent: pick(&names, &mut seed),
            },
            13 | 14 => {
                let parent = pick(&names, &mut seed);
                names.push(format!("n{step}"));
                Change::AddResource {
                    name: format!("n{step}"),
                    kind: ResourceKind::Folder,
                    parent: Some(parent),
                }
            }
            _ => Change::RemoveResource {
                name: pick(&names, &mut seed),
            },
        };
        accepted += usize::from(policy.apply(change).is_ok());
        // Names of what is live, to pick from next.
        names.retain(|name| policy.resource_id(name).is_some());
        let now = summaries(&policy);
        for (node, (old, new)) in before.iter().zip(&now).enumerate() {
            assert!(holds(*new, *old), "step {step}: node {node} lost a bit");
        }
        for (node, record) in (0u32..).zip(&policy.nodes) {
            let bits = path_bits(&policy, node);
            assert!(
                !record.is_live() || holds((record.path_filter, record.path_scopes), bits),
                "step {step}: node {node} lacks a bit of its path"
            );
        }
        before = now;
    }
    assert!(accepted > 1_500, "only {accepted} changes were accepted");
}
