//! Roles required on every resource of a kind (issue 16, item 2's second
//! form): "A model can require that accounts of a user type hold a role
//! (at the tenant root, or at a scope kind)." Each account must hold the
//! role on every resource of the kind in its tenant and everywhere below
//! them; no change may leave one without it, and adding or moving a
//! resource of the kind is such a change.

mod common;

use clearance::{
    Action, Change, ChangeProblem, Effect, Grantee, Permissions as P, Policy, PolicyBuilder,
    Reason, RequiredOf, ResourceId, ResourceKind as K, Role, Status, User, UserType, UserTypes,
};
use common::changes::{
    add, apply, grant_change as grant, membership, move_to, refused, revoke_change as revoke,
};
use common::{build, resource, user};
use proptest::prelude::*;

/// acme: sales (workspace) › deals (folder); hq (folder) › lab
/// (workspace); misc (folder). Team "staff" (ann, bob) holds viewer on
/// sales and on hq (so on lab); viewer is required of staff on every
/// workspace. Team "night" is denied viewer on lab. "root", a native
/// admin, holds viewer on acme; viewer is required of native admins on
/// every workspace too. globex has no workspace, and its native admin
/// "gus" holds nothing.
fn model() -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("sales", K::Workspace, "acme")
        .resource("deals", K::Folder, "sales")
        .resource("hq", K::Folder, "acme")
        .resource("lab", K::Workspace, "hq")
        .resource("misc", K::Folder, "acme")
        .tenant("globex", K::Organization)
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .role(Role::new("reader").allow_everywhere(P::VIEW))
        .role(Role::new("editor").allow_everywhere(P::EDIT))
        .team("staff", "acme")
        .team("night", "acme")
        .user(User::new("ann", "acme").member_of("staff"))
        .user(User::new("bob", "acme").member_of("staff"))
        .user(User::new("cy", "acme"))
        .user(User::new("root", "acme").user_type(UserType::NativeAdmin))
        .user(User::new("gus", "globex").user_type(UserType::NativeAdmin))
        .grant(Grantee::team("staff"), "sales", "viewer", Effect::Allow)
        .grant(Grantee::team("staff"), "hq", "viewer", Effect::Allow)
        .grant(Grantee::team("night"), "lab", "viewer", Effect::Deny)
        .grant(Grantee::user("root"), "acme", "viewer", Effect::Allow)
        .require_role_on_each(RequiredOf::Team("staff".into()), "viewer", K::Workspace)
        .require_role_on_each(
            RequiredOf::Types(UserTypes::NATIVE_ADMIN),
            "viewer",
            K::Workspace,
        );
    builder
}

/// Every path by which a change could leave a member of staff without
/// viewer on a workspace, and the account it would leave so.
fn paths() -> Vec<(Change, &'static str)> {
    vec![
        // A new workspace where staff holds nothing.
        (add("ops", K::Workspace, Some("acme")), "ann"),
        // A workspace moved out from under its carrier.
        (move_to("lab", "misc"), "ann"),
        (
            revoke(Grantee::team("staff"), "sales", "viewer", Effect::Allow),
            "ann",
        ),
        (
            revoke(Grantee::team("staff"), "hq", "viewer", Effect::Allow),
            "ann",
        ),
        // A deny below a workspace, above one, and of another role that
        // shares a permission with viewer.
        (
            grant(Grantee::team("staff"), "deals", "viewer", Effect::Deny),
            "ann",
        ),
        (
            grant(Grantee::user("bob"), "hq", "viewer", Effect::Deny),
            "bob",
        ),
        (
            grant(Grantee::Everyone, "sales", "reader", Effect::Deny),
            "ann",
        ),
        // An override below the carrier cuts what staff holds above it.
        (
            grant(Grantee::team("staff"), "deals", "editor", Effect::Override),
            "ann",
        ),
        // Joining a team denied it on a workspace.
        (membership("bob", "night"), "bob"),
        // A new member of staff who would hold it is fine; a native admin
        // without a grant is not.
        (
            Change::AddUser(User::new("di", "acme").user_type(UserType::NativeAdmin)),
            "di",
        ),
    ]
}

#[test]
fn no_path_leaves_an_account_without_a_role_required_on_a_kind() {
    let mut policy = build(&mut model());
    for (change, who) in paths() {
        let described = change.to_string();
        let problem = refused(&mut policy, change);
        assert_eq!(
            problem,
            ChangeProblem::RequiredRole {
                user: who.into(),
                role: "viewer".into(),
            },
            "{described}"
        );
    }
}

/// What touches no workspace, or is covered, takes nothing away.
#[test]
fn what_leaves_every_workspace_covered_applies() {
    let mut policy = build(&mut model());
    for change in [
        // A deny on a folder that is not in a workspace, nor above one.
        grant(Grantee::team("staff"), "misc", "viewer", Effect::Deny),
        // A folder anywhere; a workspace below a covered one.
        add("drafts", K::Folder, Some("acme")),
        add("inner", K::Workspace, Some("deals")),
        // A workspace moved under another carrier.
        move_to("inner", "hq"),
        // A new member of staff holds what staff holds.
        Change::AddUser(User::new("di", "acme").member_of("staff")),
        // Another tenant without workspaces requires nothing of gus.
        Change::AddUser(User::new("hal", "globex").user_type(UserType::NativeAdmin)),
    ] {
        apply(&mut policy, change);
    }
    // A workspace added with its grant, as one batch.
    policy
        .apply_all([
            add("ops", K::Workspace, Some("acme")),
            grant(Grantee::team("staff"), "ops", "viewer", Effect::Allow),
        ])
        .unwrap();
    // Once staff holds viewer on the root, any workspace may be added.
    apply(
        &mut policy,
        grant(Grantee::team("staff"), "acme", "viewer", Effect::Allow),
    );
    apply(&mut policy, add("more", K::Workspace, Some("acme")));
    // Except below the deny on misc, from the first change.
    let problem = refused(&mut policy, add("denied", K::Workspace, Some("misc")));
    assert!(
        matches!(problem, ChangeProblem::RequiredRole { .. }),
        "{problem}"
    );
    assert!(policy
        .users()
        .all(|view| view.lacks_required_role().is_none()));
}

/// An account's own grants and its teams' add up: staff holds viewer on
/// sales; ann holds it on hq (so on lab and lab2), bob on lab and lab2.
#[test]
fn own_grants_and_team_grants_cover_the_workspaces_together() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("sales", K::Workspace, "acme")
        .resource("hq", K::Folder, "acme")
        .resource("lab", K::Workspace, "hq")
        .resource("lab2", K::Workspace, "hq")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .team("staff", "acme")
        .user(User::new("ann", "acme").member_of("staff"))
        .user(User::new("bob", "acme").member_of("staff"))
        .grant(Grantee::team("staff"), "sales", "viewer", Effect::Allow)
        .grant(Grantee::user("ann"), "hq", "viewer", Effect::Allow)
        .grant(Grantee::user("bob"), "lab", "viewer", Effect::Allow)
        .grant(Grantee::user("bob"), "lab2", "viewer", Effect::Allow)
        .require_role_on_each(RequiredOf::Team("staff".into()), "viewer", K::Workspace);
    let mut policy = build(&mut builder);
    assert!(policy
        .users()
        .all(|view| view.lacks_required_role().is_none()));
    for (change, who) in [
        (
            revoke(Grantee::user("ann"), "hq", "viewer", Effect::Allow),
            "ann",
        ),
        (
            revoke(Grantee::user("bob"), "lab2", "viewer", Effect::Allow),
            "bob",
        ),
        (
            revoke(Grantee::team("staff"), "sales", "viewer", Effect::Allow),
            "ann",
        ),
        // ann's grant on hq covers a new workspace there; bob's do not.
        (add("lab3", K::Workspace, Some("hq")), "bob"),
    ] {
        let described = change.to_string();
        assert_eq!(
            refused(&mut policy, change),
            ChangeProblem::RequiredRole {
                user: who.into(),
                role: "viewer".into(),
            },
            "{described}"
        );
    }
    // Once bob holds it on hq too, his grants on lab and lab2 are spare.
    apply(
        &mut policy,
        grant(Grantee::user("bob"), "hq", "viewer", Effect::Allow),
    );
    apply(
        &mut policy,
        revoke(Grantee::user("bob"), "lab", "viewer", Effect::Allow),
    );
    apply(&mut policy, add("lab3", K::Workspace, Some("hq")));
}

/// Accounts whose teams carry the same grants of the role share one
/// answer, whatever other teams they are in (a team of one each, say, so
/// that a check does not pay for every team's carriers once per account);
/// a team that carries the role, or an own grant, still counts for its
/// account alone.
#[test]
fn accounts_share_an_answer_only_with_accounts_of_the_same_carrying_teams() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("w1", K::Workspace, "acme")
        .resource("w2", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .team("staff", "acme")
        .team("solo-ann", "acme")
        .team("solo-bob", "acme")
        .team("solo-cy", "acme")
        .team("solo-di", "acme")
        .user(
            User::new("ann", "acme")
                .member_of("staff")
                .member_of("solo-ann"),
        )
        .user(
            User::new("bob", "acme")
                .member_of("staff")
                .member_of("solo-bob"),
        )
        .user(
            User::new("cy", "acme")
                .member_of("staff")
                .member_of("solo-cy"),
        )
        .user(
            User::new("di", "acme")
                .member_of("staff")
                .member_of("solo-di"),
        )
        .grant(Grantee::Everyone, "w1", "viewer", Effect::Allow)
        .grant(Grantee::team("solo-ann"), "w2", "viewer", Effect::Allow)
        .grant(Grantee::user("cy"), "w2", "viewer", Effect::Allow)
        .require_role_on_each(RequiredOf::Team("staff".into()), "viewer", K::Workspace);
    let policy = build(&mut builder);
    let lacking: Vec<&str> = policy
        .users()
        .filter(|view| view.lacks_required_role().is_some())
        .map(|view| view.name())
        .collect();
    // ann by her team, cy by his own grant; bob and di by nothing.
    assert_eq!(lacking, ["bob", "di"]);
}

/// Teams' grants add up too, whichever team carries the most: north
/// holds viewer on two workspaces and south on the third; an account in
/// both holds it everywhere, an account in one of them lacks it.
#[test]
fn two_teams_cover_the_workspaces_together() {
    let mut builder = PolicyBuilder::new();
    builder
        .tenant("acme", K::Organization)
        .resource("w1", K::Workspace, "acme")
        .resource("w2", K::Workspace, "acme")
        .resource("w3", K::Workspace, "acme")
        .role(Role::new("viewer").allow_everywhere(P::VIEW))
        .team("north", "acme")
        .team("south", "acme")
        .user(
            User::new("ann", "acme")
                .member_of("north")
                .member_of("south"),
        )
        .user(
            User::new("bob", "acme")
                .member_of("south")
                .member_of("north"),
        )
        .user(User::new("cy", "acme").member_of("north"))
        .user(User::new("di", "acme").member_of("south"))
        .grant(Grantee::team("north"), "w1", "viewer", Effect::Allow)
        .grant(Grantee::team("north"), "w2", "viewer", Effect::Allow)
        .grant(Grantee::team("south"), "w3", "viewer", Effect::Allow)
        .require_role_on_each(RequiredOf::Types(UserTypes::NATIVE), "viewer", K::Workspace);
    let mut policy = build(&mut builder);
    let lacking: Vec<&str> = policy
        .users()
        .filter(|view| view.lacks_required_role().is_some())
        .map(|view| view.name())
        .collect();
    assert_eq!(lacking, ["cy", "di"]);
    // ann and bob hold it only through both teams: each revoke is refused.
    for (team, scope) in [("north", "w2"), ("south", "w3")] {
        let problem = refused(
            &mut policy,
            revoke(Grantee::team(team), scope, "viewer", Effect::Allow),
        );
        assert_eq!(
            problem,
            ChangeProblem::RequiredRole {
                user: "ann".into(),
                role: "viewer".into(),
            },
            "{team} on {scope}"
        );
    }
}

/// "An account that lacks it anyway (built that way) is denied
/// everything with its own `Reason`, whatever else it holds."
#[test]
fn an_account_built_without_its_role_on_one_workspace_is_denied_everything() {
    let mut builder = model();
    builder.grant(Grantee::user("ann"), "lab", "viewer", Effect::Deny);
    let policy = build(&mut builder);
    let viewer = policy.role_id("viewer").unwrap();
    let ann = user(&policy, "ann");
    for name in ["acme", "sales", "deals", "lab"] {
        assert_eq!(
            policy
                .authorize(&ann, Action::View, resource(&policy, name))
                .reason(),
            Reason::RequiredRoleMissing { role: viewer },
            "{name}"
        );
    }
    let lacking: Vec<&str> = policy
        .users()
        .filter(|view| view.lacks_required_role().is_some())
        .map(|view| view.name())
        .collect();
    assert_eq!(lacking, ["ann"]);
}

#[test]
fn a_role_required_on_a_kind_is_kept_by_documents() {
    let policy = build(&mut model());
    let document = policy.to_document();
    assert_eq!(document.required_roles[0].on_each, Some(K::Workspace));
    let reloaded = Policy::from_document(&document).unwrap();
    assert_eq!(reloaded, policy);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_value(&document).unwrap();
        assert_eq!(
            json["required_roles"][0],
            serde_json::json!({
                "of": { "team": "staff" },
                "role": "viewer",
                "on_each": "workspace"
            })
        );
        let back: clearance::PolicyDocument = serde_json::from_value(json).unwrap();
        assert_eq!(back, document);
    }
}

/// A requirement on the tenant root and one on the root's own kind are one
/// rule: the same changes are refused.
#[test]
fn a_role_required_on_the_roots_kind_is_required_on_the_root() {
    let on_root = |on_kind: bool| {
        let mut builder = PolicyBuilder::new();
        builder
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(Role::new("editor").allow_everywhere(P::EDIT))
            .team("staff", "acme")
            .user(User::new("ann", "acme").member_of("staff"))
            .grant(Grantee::team("staff"), "acme", "viewer", Effect::Allow);
        if on_kind {
            builder.require_role_on_each(
                RequiredOf::Team("staff".into()),
                "viewer",
                K::Organization,
            );
        } else {
            builder.require_role(RequiredOf::Team("staff".into()), "viewer");
        }
        build(&mut builder)
    };
    for change in [
        grant(Grantee::team("staff"), "ws", "viewer", Effect::Deny),
        grant(Grantee::team("staff"), "ws", "editor", Effect::Override),
        revoke(Grantee::team("staff"), "acme", "viewer", Effect::Allow),
        grant(Grantee::team("staff"), "ws", "editor", Effect::Allow),
        add("other", K::Workspace, Some("acme")),
    ] {
        let described = change.to_string();
        let outcomes: Vec<bool> = [false, true]
            .into_iter()
            .map(|on_kind| on_root(on_kind).apply(change.clone()).is_ok())
            .collect();
        assert_eq!(outcomes[0], outcomes[1], "{described}");
    }
}

const NAMES: [&str; 8] = ["acme", "sales", "deals", "hq", "lab", "misc", "n1", "n2"];
const GRANTEES: [&str; 5] = ["ann", "bob", "cy", "root", "di"];

fn change() -> impl Strategy<Value = Change> {
    let grantee = prop_oneof![
        prop::sample::select(&GRANTEES[..]).prop_map(Grantee::user),
        prop::sample::select(&["staff", "night"][..]).prop_map(Grantee::team),
        Just(Grantee::Everyone),
    ];
    let effect = prop::sample::select(&[Effect::Allow, Effect::Deny, Effect::Override][..]);
    let role = prop::sample::select(&["viewer", "reader", "editor"][..]);
    let name = || prop::sample::select(&NAMES[..]);
    prop_oneof![
        4 => (grantee.clone(), name(), role.clone(), effect.clone())
            .prop_map(|(g, scope, role, effect)| grant(g, scope, role, effect)),
        3 => (grantee, name(), role, effect)
            .prop_map(|(g, scope, role, effect)| revoke(g, scope, role, effect)),
        1 => (prop::sample::select(&GRANTEES[..]), prop::sample::select(&["staff", "night"][..]))
            .prop_map(|(user, team)| membership(user, team)),
        1 => (prop::sample::select(&GRANTEES[..]), prop::sample::select(&["staff", "night"][..]))
            .prop_map(|(user, team)| common::changes::leave(user, team)),
        2 => (name(), prop::sample::select(&[K::Workspace, K::Folder][..]), name())
            .prop_map(|(name, kind, parent)| add(name, kind, Some(parent))),
        2 => (name(), name()).prop_map(|(name, parent)| move_to(name, parent)),
        1 => name().prop_map(common::changes::remove_resource),
    ]
}

/// Whether resource `id` is a workspace or lies below one.
fn in_a_workspace(policy: &Policy, id: ResourceId) -> bool {
    let mut at = Some(id);
    while let Some(here) = at {
        let Some(view) = policy.resource(here) else {
            return false;
        };
        if view.kind() == K::Workspace {
            return true;
        }
        at = view.parent();
    }
    false
}

/// Every account the requirements apply to, that is marked as holding its
/// role, may view every workspace of its tenant and everything in them:
/// what the check calls held is held, as `effective` reads it.
fn held_means_effective(policy: &Policy) -> Result<(), TestCaseError> {
    let staff = policy.team_id("staff");
    for view in policy.users() {
        let applies = view.user_type() == UserType::NativeAdmin
            || staff.is_some_and(|team| view.teams().any(|t| t == team));
        if !applies || view.status() != Status::Active || view.lacks_required_role().is_some() {
            continue;
        }
        let subject = user(policy, view.name());
        for id in policy.resources() {
            let Some(resource) = policy.resource(id) else {
                continue;
            };
            if resource.tenant() != view.tenant() || !in_a_workspace(policy, id) {
                continue;
            }
            prop_assert!(
                policy.effective(&subject, id).contains(P::VIEW),
                "{} held viewer by the check, but may not view {}",
                view.name(),
                resource.name()
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever changes are applied, one by one or in batches, accepted
    /// or refused: an account that held its role keeps it, and what the
    /// check calls held is effective on every workspace and below.
    #[test]
    fn a_role_required_on_a_kind_stays_effective_under_any_changes(
        steps in prop::collection::vec(prop::collection::vec(change(), 1..3), 1..24)
    ) {
        let mut builder = model();
        builder.user(User::new("di", "acme"));
        let mut policy = build(&mut builder);
        held_means_effective(&policy)?;
        for batch in steps {
            let before = policy.clone();
            let result = if batch.len() == 1 {
                policy.apply(batch[0].clone()).map(|_| ())
            } else {
                policy.apply_all(batch).map(|_| ())
            };
            if result.is_err() {
                prop_assert_eq!(&policy, &before);
            }
            prop_assert!(policy.users().all(|view| view.lacks_required_role().is_none()));
            held_means_effective(&policy)?;
        }
    }
}
