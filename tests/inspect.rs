//! Reading a policy back without a document: the views of users, teams,
//! roles, keys, links and resources, and the iterators over them and over
//! grants.
//!
//! - On random models, every view says what the model declared (the
//!   reference model is the oracle, ids being its indices).
//! - After random removals, the iterators list exactly the live entities
//!   (liveness told apart through the public name lookups, not the views),
//!   no grant names a removed entity, the views agree with
//!   `to_document()`, and with the views of the policy that document
//!   rebuilds, id by id.

// clippy.toml allows these in `#[test]` functions only; the helpers index
// the models they generated and fail the test by panicking.
#![expect(
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test helpers over generated models"
)]

mod common;
mod generate;
#[allow(dead_code, reason = "only the model and its names are used here")]
mod reference;

use std::collections::BTreeSet;

use clearance::{
    ApiKey, Change, Channels, Condition, Effect, Grant, Grantee, KeyId, LinkId, Permissions as P,
    Policy, PolicyBuilder, Principal, ResourceId, ResourceKind as K, Role, Status, TeamId, User,
    UserId, UserType, UserTypes,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

use common::{build, resource, role_id, team_id, user_id};
use reference::{principal, Model};

// ---- a view, as comparable data ----

/// Everything the views say about a policy, in id order.
#[derive(Debug, PartialEq, Eq)]
#[expect(clippy::type_complexity, reason = "one row per view, compared whole")]
struct Described {
    resources: Vec<(u32, String, K, Option<u32>, u32)>,
    users: Vec<(u32, String, u32, UserType, Status, Channels, Vec<u32>)>,
    teams: Vec<(u32, String, u32, Vec<u32>)>,
    roles: Vec<(
        u32,
        String,
        Vec<(Vec<K>, P)>,
        Vec<String>,
        UserTypes,
        UserTypes,
    )>,
    keys: Vec<(u32, String, u32, P, Vec<u32>, Option<u64>, bool)>,
    links: Vec<(u32, String, u32, P, Option<u64>, bool)>,
    grants: Vec<(Grant, Condition)>,
    own_grants: Vec<(Grant, Condition)>,
}

fn describe(policy: &Policy) -> Described {
    Described {
        resources: policy
            .resources()
            .filter_map(|id| policy.resource(id))
            .map(|r| {
                (
                    r.id().index(),
                    r.name().to_string(),
                    r.kind(),
                    r.parent().map(ResourceId::index),
                    r.tenant().index(),
                )
            })
            .collect(),
        users: policy
            .users()
            .map(|u| {
                (
                    u.id().index(),
                    u.name().to_string(),
                    u.tenant().index(),
                    u.user_type(),
                    u.status(),
                    u.channels(),
                    u.teams().map(TeamId::index).collect(),
                )
            })
            .collect(),
        teams: policy
            .teams()
            .map(|t| {
                (
                    t.id().index(),
                    t.name().to_string(),
                    t.tenant().index(),
                    t.members().map(UserId::index).collect(),
                )
            })
            .collect(),
        roles: policy
            .roles()
            .map(|r| {
                (
                    r.id().index(),
                    r.name().to_string(),
                    r.rules().map(|(kinds, p)| (kinds.to_vec(), p)).collect(),
                    r.inherits().map(str::to_string).collect(),
                    r.only_for(),
                    r.open_to(),
                )
            })
            .collect(),
        keys: policy
            .keys()
            .map(|k| {
                (
                    k.id().index(),
                    k.name().to_string(),
                    k.owner().index(),
                    k.scope(),
                    k.within().map(ResourceId::index).collect(),
                    k.expires_at(),
                    k.is_revoked(),
                )
            })
            .collect(),
        links: policy
            .links()
            .map(|l| {
                (
                    l.id().index(),
                    l.name().to_string(),
                    l.resource().index(),
                    l.permissions(),
                    l.expires_at(),
                    l.is_revoked(),
                )
            })
            .collect(),
        grants: policy.grants().collect(),
        own_grants: policy.users().flat_map(|u| u.grants()).collect(),
    }
}

// ---- the properties ----

#[track_caller]
fn built(model: &Model) -> Policy {
    match reference::builder(model).build() {
        Ok(policy) => policy,
        Err(error) => panic!("the generated model does not build: {error}"),
    }
}

/// The views of a freshly built model say what the model declares.
fn views_say_what_the_model_declares(model: &Model) -> Result<(), TestCaseError> {
    let policy = built(model);
    let id = |index: usize| index as u32;

    let resources: Vec<_> = policy
        .resources()
        .filter_map(|r| policy.resource(r))
        .collect();
    prop_assert_eq!(resources.len(), model.resources.len());
    for (index, (view, def)) in resources.iter().zip(&model.resources).enumerate() {
        prop_assert_eq!(view.id().index(), id(index));
        prop_assert_eq!(view.name(), reference::resource_name(index));
        prop_assert_eq!(view.kind(), def.kind);
        prop_assert_eq!(view.parent().map(ResourceId::index), def.parent.map(id));
        prop_assert_eq!(view.tenant().index(), id(model.tenant_of(index)));
    }

    let users: Vec<_> = policy.users().collect();
    prop_assert_eq!(users.len(), model.users.len());
    for (index, (view, def)) in users.iter().zip(&model.users).enumerate() {
        prop_assert_eq!(view.id().index(), id(index));
        prop_assert_eq!(view.name(), reference::user_name(index));
        prop_assert_eq!(view.tenant().index(), id(def.tenant));
        prop_assert_eq!(view.user_type(), def.user_type);
        prop_assert_eq!(view.status(), def.status);
        prop_assert_eq!(view.channels(), model.channels_of(index));
        let teams: BTreeSet<u32> = def.teams.iter().map(|&t| id(t)).collect();
        prop_assert_eq!(
            view.teams().map(TeamId::index).collect::<Vec<_>>(),
            teams.into_iter().collect::<Vec<_>>()
        );
    }

    let teams: Vec<_> = policy.teams().collect();
    prop_assert_eq!(teams.len(), model.teams.len());
    for (index, (view, def)) in teams.iter().zip(&model.teams).enumerate() {
        prop_assert_eq!(view.id().index(), id(index));
        prop_assert_eq!(view.name(), reference::team_name(index));
        prop_assert_eq!(view.tenant().index(), id(def.tenant));
        let members: Vec<u32> = (0..model.users.len())
            .filter(|&u| model.users[u].teams.contains(&index))
            .map(id)
            .collect();
        prop_assert_eq!(
            view.members().map(UserId::index).collect::<Vec<_>>(),
            members
        );
    }

    let roles: Vec<_> = policy.roles().collect();
    prop_assert_eq!(roles.len(), model.roles.len());
    for (index, (view, def)) in roles.iter().zip(&model.roles).enumerate() {
        prop_assert_eq!(view.id().index(), id(index));
        prop_assert_eq!(view.name(), reference::role_name(index));
        let rules: Vec<(Vec<K>, P)> = view.rules().map(|(k, p)| (k.to_vec(), p)).collect();
        prop_assert_eq!(&rules, &def.rules);
        let inherits: Vec<String> = def
            .inherits
            .iter()
            .map(|&r| reference::role_name(r))
            .collect();
        prop_assert_eq!(view.inherits().collect::<Vec<_>>(), inherits);
        prop_assert_eq!(view.only_for(), def.eligible);
        prop_assert_eq!(view.open_to(), model.role_eligible(index));
        for kind in K::ALL {
            prop_assert_eq!(view.allows(kind), model.role_permissions(index, kind));
        }
    }

    let keys: Vec<_> = policy.keys().collect();
    prop_assert_eq!(keys.len(), model.keys.len());
    for (index, (view, def)) in keys.iter().zip(&model.keys).enumerate() {
        prop_assert_eq!(view.id().index(), id(index));
        prop_assert_eq!(view.name(), reference::key_name(index));
        prop_assert_eq!(view.owner().index(), id(def.owner));
        prop_assert_eq!(view.scope(), def.scope);
        let within: Vec<u32> = view.within().map(ResourceId::index).collect();
        prop_assert_eq!(within, def.within.map(id).into_iter().collect::<Vec<_>>());
        prop_assert_eq!(view.expires_at(), def.expires_at);
        prop_assert_eq!(view.is_revoked(), def.revoked);
    }

    let links: Vec<_> = policy.links().collect();
    prop_assert_eq!(links.len(), model.links.len());
    for (index, (view, def)) in links.iter().zip(&model.links).enumerate() {
        prop_assert_eq!(view.id().index(), id(index));
        prop_assert_eq!(view.name(), reference::link_name(index));
        prop_assert_eq!(view.resource().index(), id(def.resource));
        prop_assert_eq!(view.permissions(), def.permissions);
        prop_assert_eq!(view.expires_at(), def.expires_at);
        prop_assert_eq!(view.is_revoked(), def.revoked);
    }

    // Every declared grant once, each always applying; a user's own are
    // those to him.
    let declared = |g: &reference::GrantDef| {
        (
            Grant {
                principal: principal(g.who),
                scope: ResourceId::from_index(id(g.scope)),
                role: role_id(&policy, &reference::role_name(g.role)),
                effect: g.effect,
            },
            Condition::Always,
        )
    };
    let mut expected: Vec<_> = model.grants.iter().map(declared).collect();
    let mut listed: Vec<_> = policy.grants().collect();
    let key = |(g, _): &(Grant, Condition)| (g.scope, g.principal, g.role.index(), g.effect);
    expected.sort_by_key(key);
    listed.sort_by_key(key);
    prop_assert_eq!(listed, expected);
    for user in &users {
        let mut own: Vec<_> = user.grants().collect();
        let mut to_him: Vec<_> = model
            .grants
            .iter()
            .filter(|g| g.who == reference::Who::User(user.id().index() as usize))
            .map(declared)
            .collect();
        own.sort_by_key(key);
        to_him.sort_by_key(key);
        prop_assert_eq!(own, to_him);
    }
    Ok(())
}

/// One removal: which kind, and which of its entities (a little past them
/// too, which names nothing).
fn removal(model: &Model, (kind, which): (u8, Index)) -> Change {
    let pick = |count: usize| which.index(count + 1);
    match kind % 6 {
        0 => Change::RemoveUser {
            name: reference::user_name(pick(model.users.len())),
            by: None,
        },
        1 => Change::RemoveTeam {
            name: reference::team_name(pick(model.teams.len())),
        },
        2 => Change::RemoveKey {
            name: reference::key_name(pick(model.keys.len())),
        },
        3 => Change::RemoveLink {
            name: reference::link_name(pick(model.links.len())),
        },
        4 => Change::RemoveResource {
            name: reference::resource_name(pick(model.resources.len())),
        },
        _ => Change::RemoveRole {
            name: reference::role_name(pick(model.roles.len())),
        },
    }
}

fn after_removals_views_list_the_live_and_agree_with_the_document(
    model: &Model,
    removals: &[(u8, Index)],
) -> Result<(), TestCaseError> {
    let mut policy = built(model);
    for &raw in removals {
        // Some removals are refused (a role in use, a tenant with users):
        // the policy is then unchanged.
        let _ = policy.apply(removal(model, raw));
    }
    let ids = |count: usize| 0..count as u32 + 2;

    // Exactly the live entities, told live by their names (the public
    // lookups), not by the views.
    let listed: Vec<u32> = policy.users().map(|u| u.id().index()).collect();
    let live: Vec<u32> = ids(model.users.len())
        .filter(|&i| common::user_is_live(&policy, UserId::from_index(i)))
        .collect();
    prop_assert_eq!(&listed, &live, "users");
    for i in ids(model.users.len()) {
        prop_assert_eq!(
            policy.user(UserId::from_index(i)).is_some(),
            live.contains(&i)
        );
    }
    let listed: Vec<u32> = policy.teams().map(|t| t.id().index()).collect();
    let live: Vec<u32> = ids(model.teams.len())
        .filter(|&i| common::team_is_live(&policy, TeamId::from_index(i)))
        .collect();
    prop_assert_eq!(&listed, &live, "teams");
    let listed: Vec<u32> = policy.roles().map(|r| r.id().index()).collect();
    // Roles have no id from an index: by the names the model gave them.
    let live: Vec<u32> = (0..model.roles.len())
        .filter_map(|i| policy.role_id(&reference::role_name(i)))
        .map(|id| id.index())
        .collect();
    prop_assert_eq!(&listed, &live, "roles");
    let listed: Vec<u32> = policy.keys().map(|k| k.id().index()).collect();
    let live: Vec<u32> = ids(model.keys.len())
        .filter(|&i| common::key_is_live(&policy, KeyId::from_index(i)))
        .collect();
    prop_assert_eq!(&listed, &live, "keys");
    let listed: Vec<u32> = policy.links().map(|l| l.id().index()).collect();
    let live: Vec<u32> = ids(model.links.len())
        .filter(|&i| common::link_is_live(&policy, LinkId::from_index(i)))
        .collect();
    prop_assert_eq!(&listed, &live, "links");
    for i in ids(model.resources.len()) {
        let id = ResourceId::from_index(i);
        prop_assert_eq!(
            policy.resource(id).is_some(),
            common::resource_is_live(&policy, id)
        );
    }

    // No grant names anything removed.
    for (grant, _) in policy.grants() {
        prop_assert!(common::resource_is_live(&policy, grant.scope), "{grant:?}");
        prop_assert!(common::role_is_live(&policy, grant.role), "{grant:?}");
        match grant.principal {
            Principal::User(user) => prop_assert!(common::user_is_live(&policy, user)),
            Principal::Team(team) => prop_assert!(common::team_is_live(&policy, team)),
            Principal::Everyone | Principal::Public => {}
        }
    }

    // The views agree with the document, by names.
    let document = policy.to_document();
    let names = |list: Vec<&str>| list.into_iter().map(str::to_string).collect::<Vec<_>>();
    prop_assert_eq!(
        names(policy.users().map(|u| u.name()).collect()),
        document
            .users
            .iter()
            .map(|u| u.name.clone())
            .collect::<Vec<_>>()
    );
    for (view, written) in policy.users().zip(&document.users) {
        prop_assert_eq!(
            policy.resource_name(view.tenant()),
            Some(written.tenant.as_str())
        );
        prop_assert_eq!(view.status(), written.status);
        prop_assert_eq!(view.user_type(), written.user_type);
        let teams: Vec<&str> = view.teams().filter_map(|t| policy.team_name(t)).collect();
        prop_assert_eq!(
            teams,
            written.teams.iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
    prop_assert_eq!(
        names(policy.teams().map(|t| t.name()).collect()),
        document
            .teams
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(
        names(policy.roles().map(|r| r.name()).collect()),
        document
            .roles
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(
        names(policy.keys().map(|k| k.name()).collect()),
        document
            .keys
            .iter()
            .map(|k| k.name.clone())
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(
        names(policy.links().map(|l| l.name()).collect()),
        document
            .links
            .iter()
            .map(|l| l.name.clone())
            .collect::<Vec<_>>()
    );
    prop_assert_eq!(
        names(
            policy
                .resources()
                .filter_map(|r| policy.resource(r))
                .map(|r| r.name())
                .collect()
        ),
        document
            .resources
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    );
    let by_name = |grant: &Grant, when: Condition| {
        let to = match grant.principal {
            Principal::User(user) => Grantee::user(policy.user_name(user).unwrap_or_default()),
            Principal::Team(team) => Grantee::team(policy.team_name(team).unwrap_or_default()),
            Principal::Everyone => Grantee::Everyone,
            Principal::Public => Grantee::Public,
        };
        format!(
            "{to} {:?} {:?} {} {when:?}",
            policy.resource_name(grant.scope).unwrap_or_default(),
            policy.role_name(grant.role).unwrap_or_default(),
            grant.effect
        )
    };
    let mut listed: Vec<String> = policy.grants().map(|(g, when)| by_name(&g, when)).collect();
    let mut written: Vec<String> = document
        .grants
        .iter()
        .map(|g| {
            format!(
                "{} {:?} {:?} {} {:?}",
                g.to, g.scope, g.role, g.effect, g.when
            )
        })
        .collect();
    listed.sort();
    written.sort();
    prop_assert_eq!(listed, written);

    // And the policy the document rebuilds shows the same views, id by id.
    let rebuilt = Policy::from_document(&document)
        .map_err(|error| TestCaseError::fail(format!("the snapshot does not load: {error}")))?;
    prop_assert_eq!(describe(&policy), describe(&rebuilt));
    Ok(())
}

proptest! {
    #![proptest_config(generate::config(256))]

    /// On random models, each view says what the model declared.
    #[test]
    fn the_views_of_a_built_model_say_what_it_declares(model in generate::model()) {
        views_say_what_the_model_declares(&model)?;
    }

    /// After random removals (and cascades: a user's keys and grants, a
    /// resource's subtree, keys and links), the iterators list the live
    /// entities only and agree with `to_document()`.
    #[test]
    fn after_removals_the_views_list_only_the_live_and_agree_with_the_document(
        model in generate::model(),
        removals in vec((any::<u8>(), any::<Index>()), 0..6),
    ) {
        after_removals_views_list_the_live_and_agree_with_the_document(&model, &removals)?;
    }
}

// ---- examples ----

/// acme / ws / f; roles viewer, editor (inherits viewer, native users
/// only); team ops with ann; ann holds editor on ws, ops viewer on f;
/// ann's key ci within ws.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("f", K::Folder, "ws")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder], P::VIEW))
            .role(
                Role::new("editor")
                    .inherits("viewer")
                    .allow([K::Folder], P::EDIT)
                    .only_for(UserTypes::NATIVE),
            )
            .team("ops", "acme")
            .user(User::new("ann", "acme").member_of("ops"))
            .user(User::new("bob", "acme").user_type(UserType::Connected))
            .grant(Grantee::user("ann"), "ws", "editor", Effect::Allow)
            .grant(Grantee::team("ops"), "f", "viewer", Effect::Override)
            .api_key(ApiKey::new("ci", "ann").within("ws").scope(P::VIEW)),
    )
}

#[test]
fn a_role_shows_its_rules_as_declared_and_what_it_allows_after_inheritance() {
    let policy = model();
    let editor = policy.role(role_id(&policy, "editor")).unwrap();
    assert_eq!(editor.name(), "editor");
    assert_eq!(
        editor.rules().collect::<Vec<_>>(),
        [(&[K::Folder][..], P::EDIT)]
    );
    assert_eq!(editor.inherits().collect::<Vec<_>>(), ["viewer"]);
    assert_eq!(editor.allows(K::Folder), P::VIEW | P::EDIT);
    assert_eq!(editor.allows(K::Workspace), P::VIEW);
    assert_eq!(editor.allows(K::Flow), P::empty());
    assert_eq!(editor.only_for(), UserTypes::NATIVE);
    assert_eq!(editor.open_to(), UserTypes::NATIVE);
}

#[test]
fn a_user_shows_its_own_grants_and_a_team_its_members() {
    let policy = model();
    let ann = user_id(&policy, "ann");
    let view = policy.user(ann).unwrap();
    assert_eq!(
        view.grants().collect::<Vec<_>>(),
        [(
            Grant {
                principal: Principal::User(ann),
                scope: resource(&policy, "ws"),
                role: role_id(&policy, "editor"),
                effect: Effect::Allow,
            },
            Condition::Always
        )]
    );
    let ops = policy.team(team_id(&policy, "ops")).unwrap();
    assert_eq!(ops.members().collect::<Vec<_>>(), [ann]);
    assert_eq!(view.teams().collect::<Vec<_>>(), [ops.id()]);
    let bob = policy.user(user_id(&policy, "bob")).unwrap();
    assert_eq!(bob.user_type(), UserType::Connected);
    assert_eq!(bob.grants().count(), 0);
}

#[test]
fn removed_entities_have_no_view_and_leave_no_grant_behind() {
    let mut policy = model();
    let ann = user_id(&policy, "ann");
    let ops = team_id(&policy, "ops");
    let ci = policy.key_id("ci").unwrap();
    for change in [
        Change::RemoveUser {
            name: "ann".into(),
            by: None,
        },
        Change::RemoveTeam { name: "ops".into() },
    ] {
        assert!(policy.apply(change.clone()).is_ok(), "{change}");
    }
    assert!(policy.user(ann).is_none());
    assert!(policy.team(ops).is_none());
    // Ann's key went with her.
    assert!(policy.key(ci).is_none());
    assert_eq!(policy.keys().count(), 0);
    assert_eq!(
        policy.users().map(|u| u.name()).collect::<Vec<_>>(),
        ["bob"]
    );
    assert_eq!(policy.teams().count(), 0);
    assert_eq!(policy.grants().count(), 0);
    // Removing the resource removes the view of it, and of what is below.
    let ws = resource(&policy, "ws");
    let f = resource(&policy, "f");
    let removed = policy.apply(Change::RemoveResource { name: "ws".into() });
    assert!(removed.is_ok(), "{removed:?}");
    assert!(policy.resource(ws).is_none());
    assert!(policy.resource(f).is_none());
    assert_eq!(
        policy
            .resources()
            .filter_map(|r| policy.resource(r))
            .map(|r| r.name())
            .collect::<Vec<_>>(),
        ["acme"]
    );
}
