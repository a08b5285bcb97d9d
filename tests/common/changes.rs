//! The model and the helpers of the tests of changes (`tests/changes_*.rs`):
//! the model every one of them starts from, applying a change that must
//! apply or must be refused, a story of changes with the rows that must
//! hold after each, and each [`Change`] by the names it refers to.

use clearance::{
    ApiKey, Change, ChangeProblem, Effect, Grantee, Permissions as P, Policy, PolicyBuilder,
    PublicLink, ResourceKind as K, Revision, Role, Status, Subject, User, UserType, UserTypes,
};

use super::{build, failing_rows, Row};

/// The invitation of "ivy" expires at this time (exclusive).
pub const EXPIRY: u64 = 1_000;

/// ```text
/// acme (organization)
/// ├── ws (workspace)         ann: ws-admin; ops: editor; the public: viewer
/// │   ├── folder (folder)    bob: deleter
/// │   │   └── flow (flow)
/// │   └── other (flow)
/// └── ws2 (workspace)
/// globex (organization)
/// └── gws (workspace)        gops: editor
/// ```
///
/// Roles: viewer (view) < editor (edit, execute on folders and flows) <
/// ws-admin (manage members, create; no delete); deleter (delete on flows);
/// native-viewer (view, native users only). Users of acme: ann, bob (in
/// ops), cy (connected), dee (suspended), ivy (invited until [`EXPIRY`]);
/// of globex: gus (in gops). Keys: bob-key, folder-key (ann's, limited to
/// folder), gus-key. Links: flow-link, ws-link (view).
pub fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("ws", K::Workspace, "acme")
            .resource("folder", K::Folder, "ws")
            .resource("flow", K::Flow, "folder")
            .resource("other", K::Flow, "ws")
            .resource("ws2", K::Workspace, "acme")
            .tenant("globex", K::Organization)
            .resource("gws", K::Workspace, "globex")
            .role(Role::new("viewer").allow([K::Workspace, K::Folder, K::Flow], P::VIEW))
            .role(
                Role::new("editor")
                    .inherits("viewer")
                    .allow([K::Folder, K::Flow], P::EDIT | P::EXECUTE),
            )
            .role(Role::new("ws-admin").inherits("editor").allow(
                [K::Workspace, K::Folder, K::Flow],
                P::MANAGE_MEMBERS | P::CREATE,
            ))
            .role(Role::new("deleter").allow([K::Flow], P::DELETE))
            .role(
                Role::new("native-viewer")
                    .allow([K::Workspace, K::Folder, K::Flow], P::VIEW)
                    .only_for(UserTypes::NATIVE),
            )
            .team("ops", "acme")
            .team("gops", "globex")
            .user(User::new("ann", "acme"))
            .user(User::new("bob", "acme").member_of("ops"))
            .user(User::new("cy", "acme").user_type(UserType::Connected))
            .user(User::new("dee", "acme").status(Status::Suspended))
            .user(User::new("ivy", "acme").status(Status::Invited { until: EXPIRY }))
            .user(User::new("gus", "globex").member_of("gops"))
            .grant(Grantee::user("ann"), "ws", "ws-admin", Effect::Allow)
            .grant(Grantee::team("ops"), "ws", "editor", Effect::Allow)
            .grant(Grantee::user("bob"), "folder", "deleter", Effect::Allow)
            .grant(Grantee::Public, "ws", "viewer", Effect::Allow)
            .grant(Grantee::team("gops"), "gws", "editor", Effect::Allow)
            .api_key(ApiKey::new("bob-key", "bob"))
            .api_key(ApiKey::new("folder-key", "ann").within("folder"))
            .api_key(ApiKey::new("gus-key", "gus"))
            .link(PublicLink::new("flow-link", "flow", P::VIEW))
            .link(PublicLink::new("ws-link", "ws", P::VIEW)),
    )
}

/// Applies a change that must apply, and returns the new revision.
#[track_caller]
pub fn apply(policy: &mut Policy, change: Change) -> Revision {
    match policy.apply(change) {
        Ok(revision) => revision,
        Err(error) => panic!("{error}"),
    }
}

/// Applies a change that must be refused, through [`Policy::apply`] and
/// through [`Policy::apply_all`]; checks that both leave the policy exactly
/// as before and describe the change by its `Display`; returns the problem.
#[track_caller]
pub fn refused(policy: &mut Policy, change: Change) -> ChangeProblem {
    let before = policy.clone();
    let described = change.to_string();
    let error = match policy.apply(change.clone()) {
        Ok(revision) => panic!("{described:?} was applied ({revision}), but must be refused"),
        Err(error) => error,
    };
    assert_eq!(
        *policy, before,
        "{described}: a refused change changed the policy"
    );
    assert_eq!(error.index(), 0, "{error}");
    assert_eq!(error.change(), described);
    assert_eq!(
        error.to_string(),
        format!("change #0 ({described}) refused: {}", error.problem())
    );
    match policy.apply_all([change]) {
        Ok(revision) => panic!("{described:?} was applied in a batch ({revision})"),
        Err(batch) => assert_eq!(batch, error, "apply and apply_all disagree"),
    }
    assert_eq!(
        *policy, before,
        "{described}: a refused batch changed the policy"
    );
    error.problem().clone()
}

/// Applies each change in turn, then checks the rows that must hold after
/// it (subjects resolved with `subject`); reports every failing row with
/// its step.
#[track_caller]
pub fn story(
    policy: &mut Policy,
    subject: impl Fn(&Policy, &str) -> Subject,
    steps: Vec<(Change, Vec<Row>)>,
) {
    for (step, (change, rows)) in steps.into_iter().enumerate() {
        let described = change.to_string();
        apply(policy, change);
        let failures = failing_rows(policy, &subject, &rows);
        assert!(
            failures.is_empty(),
            "after step {step} ({described}):\n{}",
            failures.join("\n")
        );
    }
}

pub fn add(name: &str, kind: K, parent: Option<&str>) -> Change {
    Change::AddResource {
        name: name.into(),
        kind,
        parent: parent.map(Into::into),
    }
}

pub fn grant_change(grantee: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        when: clearance::Condition::Always,
        by: None,
    }
}

pub fn revoke_change(grantee: Grantee, scope: &str, role: &str, effect: Effect) -> Change {
    Change::Revoke {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        by: None,
    }
}

pub fn membership(user: &str, team: &str) -> Change {
    Change::AddMembership {
        user: user.into(),
        team: team.into(),
    }
}

pub fn add_team(name: &str, tenant: &str) -> Change {
    Change::AddTeam {
        name: name.into(),
        tenant: tenant.into(),
    }
}

pub fn move_to(name: &str, parent: &str) -> Change {
    Change::MoveResource {
        name: name.into(),
        parent: parent.into(),
    }
}

pub fn leave(user: &str, team: &str) -> Change {
    Change::RemoveMembership {
        user: user.into(),
        team: team.into(),
    }
}

pub fn accept(user: &str, at: u64) -> Change {
    Change::AcceptInvitation {
        user: user.into(),
        at,
    }
}

pub fn remove_resource(name: &str) -> Change {
    Change::RemoveResource { name: name.into() }
}

pub fn remove_role(name: &str) -> Change {
    Change::RemoveRole { name: name.into() }
}

pub fn remove_team(name: &str) -> Change {
    Change::RemoveTeam { name: name.into() }
}

pub fn remove_user(name: &str) -> Change {
    Change::RemoveUser {
        name: name.into(),
        by: None,
    }
}

pub fn revoke_key(name: &str) -> Change {
    Change::RevokeKey { name: name.into() }
}

pub fn remove_key(name: &str) -> Change {
    Change::RemoveKey { name: name.into() }
}

pub fn revoke_link(name: &str) -> Change {
    Change::RevokeLink { name: name.into() }
}

pub fn remove_link(name: &str) -> Change {
    Change::RemoveLink { name: name.into() }
}

pub fn suspend(user: &str) -> Change {
    Change::Suspend {
        user: user.into(),
        by: None,
    }
}

pub fn reactivate(user: &str) -> Change {
    Change::Reactivate {
        user: user.into(),
        by: None,
    }
}

pub fn deactivate(user: &str) -> Change {
    Change::Deactivate {
        user: user.into(),
        by: None,
    }
}

pub fn expire(user: &str) -> Change {
    Change::ExpireInvitation { user: user.into() }
}

pub fn revoke_invitation(user: &str) -> Change {
    Change::RevokeInvitation { user: user.into() }
}
