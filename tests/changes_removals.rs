//! Removals: removing a user, a team, a resource or a tenant takes with it
//! what hangs on it, leaves every other id as it was, and leaves nothing
//! dangling: every id is either usable or unknown (DESIGN.md, "Changing
//! the model"; issue 3, "Changes").

mod common;

use clearance::{
    Action, ApiKey, Change, ChangeProblem, Channel, Effect, Entity, Grantee, Permissions as P,
    PublicLink, Reason, ResourceId, ResourceKind as K, Subject, User,
};
use common::changes::{
    add, add_team, apply, grant_change, leave, membership, model, refused, remove_key, remove_link,
    remove_resource, remove_role, remove_team, remove_user, revoke_invitation, EXPIRY,
};
use common::{
    assert_decision, assert_gets_nothing, assert_nothing_dangles, key, key_id, link, resource,
    user, user_id, By, Expected,
};

#[test]
fn removing_a_user_removes_its_memberships_grants_and_keys() {
    let mut policy = model();
    let bob = user(&policy, "bob");
    let bob_key = key(&policy, "bob-key");
    apply(&mut policy, remove_user("bob"));
    assert_eq!(policy.user_id("bob"), None);
    assert_eq!(policy.key_id("bob-key"), None);
    for resource_name in ["flow", "ws", "acme"] {
        assert_gets_nothing(&policy, &bob, resource_name, Reason::UnknownSubject);
        assert_gets_nothing(&policy, &bob_key, resource_name, Reason::UnknownSubject);
    }
    // bob's grant of "deleter" was its only one: the role is free to go.
    apply(&mut policy, remove_role("deleter"));
    // The team keeps its other members and its grants.
    apply(&mut policy, membership("cy", "ops"));
    assert_decision(
        &policy,
        &user(&policy, "cy"),
        Action::Edit,
        "flow",
        Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy),
    );
    assert_nothing_dangles(&policy);
}

#[test]
fn a_removed_user_can_be_added_again_under_a_new_id_with_nothing_of_the_old() {
    let mut policy = model();
    let old = user_id(&policy, "bob");
    let old_key = key_id(&policy, "bob-key");
    apply(&mut policy, remove_user("bob"));
    apply(&mut policy, Change::AddUser(User::new("bob", "acme")));
    apply(&mut policy, Change::AddKey(ApiKey::new("bob-key", "bob")));
    let new = user_id(&policy, "bob");
    assert_ne!(new, old, "user ids are never reused");
    assert_ne!(
        key_id(&policy, "bob-key"),
        old_key,
        "key ids are never reused"
    );
    // Neither the team nor the own grant of the old bob came back.
    let bob = user(&policy, "bob");
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    assert_decision(&policy, &bob, Action::Delete, "flow", Reason::NotMember);
    assert_decision(
        &policy,
        &key(&policy, "bob-key"),
        Action::View,
        "flow",
        Reason::NotMember,
    );
    assert_gets_nothing(
        &policy,
        &Subject::user(old, Channel::Web),
        "flow",
        Reason::UnknownSubject,
    );
    assert_gets_nothing(
        &policy,
        &Subject::key(old_key),
        "flow",
        Reason::UnknownSubject,
    );
    assert_nothing_dangles(&policy);
}

#[test]
fn removing_a_resource_removes_its_subtree_and_the_grants_keys_and_links_in_it() {
    let mut policy = model();
    apply(
        &mut policy,
        grant_change(Grantee::team("ops"), "folder", "viewer", Effect::Deny),
    );
    let folder = resource(&policy, "folder");
    let flow = resource(&policy, "flow");
    let folder_key = key(&policy, "folder-key");
    let flow_link = link(&policy, "flow-link");
    apply(&mut policy, remove_resource("folder"));
    for name in ["folder", "flow"] {
        assert_eq!(policy.resource_id(name), None, "{name}");
    }
    assert_eq!(policy.key_id("folder-key"), None);
    assert_eq!(policy.link_id("flow-link"), None);
    for removed in [folder, flow] {
        for who in ["ann", "bob"] {
            let decision = policy.authorize(&user(&policy, who), Action::View, removed);
            assert_eq!(
                decision.reason(),
                Reason::UnknownResource,
                "{who} on {removed}"
            );
            assert!(policy.effective(&user(&policy, who), removed).is_empty());
        }
    }
    for subject in [folder_key, flow_link] {
        assert_gets_nothing(&policy, &subject, "ws", Reason::UnknownSubject);
    }
    // What stands outside the subtree is untouched.
    assert_decision(
        &policy,
        &link(&policy, "ws-link"),
        Action::View,
        "other",
        Expected::Granted(By::Public, "ws", "viewer").reason(&policy),
    );
    // bob's grant on the folder went with it: its role is free to go.
    apply(&mut policy, remove_role("deleter"));
    // A new folder of the same name starts without the old one's grants.
    apply(&mut policy, add("folder", K::Folder, Some("ws")));
    apply(&mut policy, add("flow", K::Flow, Some("folder")));
    assert_ne!(
        resource(&policy, "folder"),
        folder,
        "resource ids are never reused"
    );
    assert_decision(
        &policy,
        &user(&policy, "bob"),
        Action::View,
        "flow",
        Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy),
    );
    assert_nothing_dangles(&policy);
}

#[test]
fn removing_a_team_removes_its_memberships_and_grants() {
    let mut policy = model();
    apply(&mut policy, remove_team("ops"));
    assert_eq!(policy.team_id("ops"), None);
    let bob = user(&policy, "bob");
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    assert_decision(
        &policy,
        &bob,
        Action::Edit,
        "flow",
        Reason::RoleLacks { missing: P::EDIT },
    );
    // A new team of the same name has neither the members nor the grants.
    apply(&mut policy, add_team("ops", "acme"));
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    apply(&mut policy, membership("bob", "ops"));
    assert_decision(&policy, &bob, Action::Edit, "other", Reason::NotMember);
    assert_nothing_dangles(&policy);
}

#[test]
fn a_tenant_root_is_removed_only_once_it_has_no_users_or_teams() {
    let mut policy = model();
    let gws = resource(&policy, "gws");
    let gus_key = key(&policy, "gus-key");
    let in_use = ChangeProblem::InUse {
        entity: Entity::Resource,
        name: "globex".into(),
        by: "its users or teams".into(),
    };
    let remove = || remove_resource("globex");
    assert_eq!(refused(&mut policy, remove()), in_use);
    apply(&mut policy, remove_user("gus"));
    assert_eq!(refused(&mut policy, remove()), in_use);
    apply(&mut policy, remove_team("gops"));
    apply(&mut policy, remove());
    assert_eq!(policy.resource_id("globex"), None);
    assert_eq!(
        policy
            .authorize(&user(&policy, "ann"), Action::View, gws)
            .reason(),
        Reason::UnknownResource
    );
    assert_gets_nothing(&policy, &gus_key, "ws", Reason::UnknownSubject);
    assert_nothing_dangles(&policy);
}

#[test]
fn a_removed_resource_or_key_points_to_nothing() {
    let mut policy = model();
    let folder = resource(&policy, "folder");
    let bob_key = key_id(&policy, "bob-key");
    apply(&mut policy, remove_resource("folder"));
    apply(&mut policy, remove_user("bob"));
    let tenant = policy.tenant_of(folder);
    assert!(
        tenant.is_none() || tenant == Some(resource(&policy, "acme")),
        "tenant_of(removed folder) is {tenant:?}"
    );
    assert_eq!(policy.parent(folder), None);
    let owner = policy.key_owner(bob_key);
    assert!(
        match owner {
            None => true,
            Some(owner) => (owner.index() as usize) < policy.user_count(),
        },
        "key_owner(removed key) is {owner:?}"
    );
}

#[test]
fn after_many_removals_every_id_is_either_usable_or_unknown() {
    let mut policy = model();
    let log = vec![
        add("sub", K::Folder, Some("folder")),
        add("deep", K::Flow, Some("sub")),
        Change::AddKey(ApiKey::new("deep-key", "bob").within("sub")),
        Change::AddLink(PublicLink::new("deep-link", "deep", P::VIEW)),
        grant_change(Grantee::team("ops"), "sub", "viewer", Effect::Override),
        grant_change(Grantee::user("cy"), "deep", "viewer", Effect::Allow),
        grant_change(Grantee::Everyone, "deep", "deleter", Effect::Deny),
        remove_user("bob"),
        remove_resource("folder"),
        Change::AddUser(User::new("bob", "acme").member_of("ops")),
        add("folder", K::Folder, Some("ws2")),
        Change::AddKey(ApiKey::new("bob-key", "bob").within("folder")),
        grant_change(Grantee::user("bob"), "folder", "deleter", Effect::Allow),
        remove_team("ops"),
        add_team("ops", "acme"),
        membership("bob", "ops"),
        grant_change(Grantee::team("ops"), "ws2", "editor", Effect::Allow),
        leave("bob", "ops"),
        Change::Invite {
            user: User::new("ivo", "acme").member_of("ops"),
            until: EXPIRY,
        },
        revoke_invitation("ivo"),
        remove_user("gus"),
        remove_team("gops"),
        remove_resource("globex"),
        add("globex", K::Organization, None),
        add("gws", K::Workspace, Some("globex")),
        Change::AddUser(User::new("gus", "globex")),
        Change::AddKey(ApiKey::new("gus-key", "gus").within("gws")),
        remove_key("bob-key"),
        remove_link("ws-link"),
        Change::AddLink(PublicLink::new("ws2-link", "folder", P::VIEW)),
        remove_resource("ws"),
        remove_role("ws-admin"),
        remove_user("cy"),
        remove_resource("folder"),
        remove_role("deleter"),
        remove_user("bob"),
    ];
    for (step, change) in log.into_iter().enumerate() {
        let described = change.to_string();
        if let Err(error) = policy.apply(change) {
            panic!("step {step}: {error}");
        }
        let found = common::dangling(&policy);
        assert!(
            found.is_empty(),
            "after step {step} ({described}):\n{}",
            found.join("\n")
        );
    }
    // The walk saw every kind of entity removed and alive.
    assert!(policy.resource_count() > 12 && policy.user_count() > 8);
    assert_eq!(policy.key_id("deep-key"), None);
    assert_eq!(policy.link_id("deep-link"), None);
    assert!(policy.key_id("gus-key").is_some() && policy.link_id("flow-link").is_none());
}

#[test]
fn a_resource_id_from_the_builder_stays_valid_across_unrelated_changes() {
    let mut policy = model();
    let flow: ResourceId = resource(&policy, "flow");
    let bob = user(&policy, "bob");
    apply(&mut policy, add("x", K::Folder, Some("ws2")));
    apply(&mut policy, remove_user("cy"));
    assert_eq!(policy.resource_id("flow"), Some(flow));
    assert_decision(
        &policy,
        &bob,
        Action::Edit,
        "flow",
        Expected::Granted(By::Team("ops"), "ws", "editor").reason(&policy),
    );
}

#[test]
fn removing_a_resource_leaves_a_newer_key_of_a_removed_keys_name_alone() {
    let mut policy = model();
    apply(&mut policy, remove_key("folder-key"));
    apply(
        &mut policy,
        Change::AddKey(ApiKey::new("folder-key", "ann")),
    );
    let new = key_id(&policy, "folder-key");
    apply(&mut policy, remove_resource("folder"));
    assert_eq!(policy.key_id("folder-key"), Some(new));
    assert_nothing_dangles(&policy);
}
