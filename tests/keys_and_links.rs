//! API keys and public links. A key acts for its owner and never exceeds
//! it: the owner's permissions ∩ the key's scope, optionally only within one
//! subtree. A link reaches one resource and its subtree with its own
//! permissions ∩ what `Public` grants there, and nothing else reaches it
//! (DESIGN.md §2, steps 5 and 7).

mod common;

use clearance::{
    Action, ApiKey, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, PublicLink, Reason,
    ResourceKind as K, Role, User,
};
use common::{assert_rows, build, effective, key, link, user, By, Expected, Row};
use Expected::{Denied, Granted, Is};

/// ```text
/// acme (organization)
/// ├── eng (workspace)          ann: editor; builders: exporter
/// │   ├── build (folder)
/// │   │   └── deploy (flow)
/// │   └── tools (folder)       everyone: viewer
/// │       └── lint (flow)
/// └── site (workspace)         the public: public-viewer
///     ├── forms (folder)
///     │   ├── survey (form)    the public: submitter
///     │   └── contact (form)
///     └── hidden (form)        the public: public-viewer (deny)
/// ```
///
/// ann is in builders; bob holds nothing. All keys are ann's.
fn model() -> Policy {
    build(
        PolicyBuilder::new()
            .tenant("acme", K::Organization)
            .resource("eng", K::Workspace, "acme")
            .resource("build", K::Folder, "eng")
            .resource("deploy", K::Flow, "build")
            .resource("tools", K::Folder, "eng")
            .resource("lint", K::Flow, "tools")
            .resource("site", K::Workspace, "acme")
            .resource("forms", K::Folder, "site")
            .resource("survey", K::Form, "forms")
            .resource("contact", K::Form, "forms")
            .resource("hidden", K::Form, "site")
            .role(Role::new("editor").allow(
                [K::Workspace, K::Folder, K::Flow],
                P::VIEW | P::EDIT | P::DELETE | P::EXECUTE,
            ))
            .role(Role::new("exporter").allow([K::Flow], P::EXPORT))
            .role(Role::new("viewer").allow_everywhere(P::VIEW))
            .role(Role::new("public-viewer").allow([K::Workspace, K::Folder, K::Form], P::VIEW))
            .role(Role::new("submitter").allow([K::Form], P::EDIT))
            .team("builders", "acme")
            .user(User::new("ann", "acme").member_of("builders"))
            .user(User::new("bob", "acme"))
            .grant(Grantee::user("ann"), "eng", "editor", Effect::Allow)
            .grant(Grantee::team("builders"), "eng", "exporter", Effect::Allow)
            .grant(Grantee::Everyone, "tools", "viewer", Effect::Allow)
            .grant(Grantee::Public, "site", "public-viewer", Effect::Allow)
            .grant(Grantee::Public, "survey", "submitter", Effect::Allow)
            .grant(Grantee::Public, "hidden", "public-viewer", Effect::Deny)
            .api_key(ApiKey::new("full-key", "ann"))
            .api_key(ApiKey::new("read-key", "ann").scope(P::VIEW | P::EXECUTE))
            .api_key(ApiKey::new("build-key", "ann").within("build"))
            .api_key(
                ApiKey::new("build-read-key", "ann")
                    .within("build")
                    .scope(P::VIEW),
            )
            .link(PublicLink::new("survey-link", "survey", P::VIEW | P::EDIT))
            .link(PublicLink::new("survey-view-link", "survey", P::VIEW))
            .link(PublicLink::new(
                "contact-link",
                "contact",
                P::VIEW | P::EDIT,
            ))
            .link(PublicLink::new("forms-link", "forms", P::VIEW))
            .link(PublicLink::new("hidden-link", "hidden", P::VIEW))
            .link(PublicLink::new(
                "lint-link",
                "lint",
                P::VIEW | P::EDIT | P::EXPORT,
            )),
    )
}

const BY_ANN: Expected = Granted(By::User("ann"), "eng", "editor");

#[test]
fn key_acts_for_its_owner_with_its_owners_teams_and_everyone() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("full-key", Action::Edit, "deploy", BY_ANN),
        ("full-key", Action::Export, "deploy", Granted(By::Team("builders"), "eng", "exporter")),
        ("full-key", Action::View, "lint", Granted(By::Everyone, "tools", "viewer")),
    ];
    assert_rows(&policy, key, rows);
    let ann = user(&policy, "ann");
    let full_key = key(&policy, "full-key");
    for resource in ["acme", "eng", "deploy", "lint", "survey"] {
        assert_eq!(
            effective(&policy, &full_key, resource),
            effective(&policy, &ann, resource),
            "a key without limits has exactly its owner's permissions on {resource:?}"
        );
    }
}

#[test]
fn key_scope_limits_the_owners_permissions() {
    let policy = model();
    let view_and_edit = Action::Custom(P::VIEW | P::EDIT);
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("read-key", Action::View, "deploy", BY_ANN),
        ("read-key", Action::Execute, "deploy", BY_ANN),
        ("read-key", Action::Edit, "deploy", Is(Reason::KeyLacks { missing: P::EDIT })),
        ("read-key", Action::Export, "deploy", Is(Reason::KeyLacks { missing: P::EXPORT })),
        ("read-key", view_and_edit, "deploy", Is(Reason::KeyLacks { missing: P::EDIT })),
    ];
    assert_rows(&policy, key, rows);
    assert_eq!(
        effective(&policy, &key(&policy, "read-key"), "deploy"),
        P::VIEW | P::EXECUTE
    );
}

#[test]
fn key_never_exceeds_its_owner() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // The key's scope is everything, but the owner's roles lack PUBLISH.
        ("full-key", Action::Publish, "deploy", Is(Reason::RoleLacks { missing: P::PUBLISH })),
        // What the owner lacks is reported before what the key's scope lacks.
        ("read-key", Action::Publish, "deploy", Is(Reason::RoleLacks { missing: P::PUBLISH })),
        // Public grants are not the owner's.
        ("full-key", Action::View, "survey", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, key, rows);
    let ann = user(&policy, "ann");
    let resources = [
        "acme", "eng", "build", "deploy", "tools", "lint", "site", "survey",
    ];
    for name in ["full-key", "read-key", "build-key", "build-read-key"] {
        let subject = key(&policy, name);
        for resource in resources {
            let owner = effective(&policy, &ann, resource);
            let key_has = effective(&policy, &subject, resource);
            assert!(
                owner.contains(key_has),
                "{name} has {key_has:?} on {resource:?}, more than its owner's {owner:?}"
            );
        }
    }
}

#[test]
fn key_limited_to_a_subtree_reaches_nothing_outside_it() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("build-key", Action::Edit, "build", BY_ANN),
        ("build-key", Action::Edit, "deploy", BY_ANN),
        // A sibling subtree, and the ancestors of the key's subtree.
        ("build-key", Action::Edit, "lint", Is(Reason::KeyOutOfScope)),
        ("build-key", Action::View, "eng", Is(Reason::KeyOutOfScope)),
        // The subtree is checked before grants: outside it, the key reaches
        // nothing, whatever its owner holds there.
        ("build-key", Action::View, "acme", Is(Reason::KeyOutOfScope)),
        // Subtree and scope together: outside the subtree is reported first.
        ("build-read-key", Action::View, "deploy", BY_ANN),
        ("build-read-key", Action::Edit, "deploy", Is(Reason::KeyLacks { missing: P::EDIT })),
        ("build-read-key", Action::Edit, "lint", Is(Reason::KeyOutOfScope)),
    ];
    assert_rows(&policy, key, rows);
    let build_key = key(&policy, "build-key");
    assert_eq!(effective(&policy, &build_key, "lint"), P::empty());
    assert_eq!(effective(&policy, &build_key, "eng"), P::empty());
    assert_eq!(
        effective(&policy, &build_key, "deploy"),
        effective(&policy, &user(&policy, "ann"), "deploy")
    );
}

#[test]
fn link_gives_its_permissions_intersected_with_the_public_grants() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("survey-link", Action::View, "survey", Granted(By::Public, "site", "public-viewer")),
        ("survey-link", Action::Edit, "survey", Granted(By::Public, "survey", "submitter")),
        // The public grants would allow EDIT; this link gives only VIEW.
        ("survey-view-link", Action::Edit, "survey", Is(Reason::LinkLacks { missing: P::EDIT })),
        // This link gives EDIT, but the public may only view "contact": a
        // link never exceeds the resource's public permission. The grants
        // step fails first, so the reason is what the public's roles lack.
        ("contact-link", Action::Edit, "contact", Is(Reason::RoleLacks { missing: P::EDIT })),
        ("contact-link", Action::View, "contact", Granted(By::Public, "site", "public-viewer")),
        ("survey-link", Action::Delete, "survey", Is(Reason::RoleLacks { missing: P::DELETE })),
    ];
    assert_rows(&policy, link, rows);
    assert_eq!(
        effective(&policy, &link(&policy, "survey-link"), "survey"),
        P::VIEW | P::EDIT
    );
    assert_eq!(
        effective(&policy, &link(&policy, "survey-view-link"), "survey"),
        P::VIEW
    );
    assert_eq!(
        effective(&policy, &link(&policy, "contact-link"), "contact"),
        P::VIEW
    );
}

#[test]
fn link_reaches_its_resource_and_subtree_only() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("forms-link", Action::View, "forms", Granted(By::Public, "site", "public-viewer")),
        ("forms-link", Action::View, "survey", Granted(By::Public, "site", "public-viewer")),
        // A sibling and the parent have public grants, but are not the link's.
        ("survey-link", Action::View, "contact", Is(Reason::LinkOutOfScope)),
        ("survey-link", Action::View, "forms", Is(Reason::LinkOutOfScope)),
        ("survey-link", Action::View, "site", Is(Reason::LinkOutOfScope)),
        // Where no public grant reaches, the link is still out of scope first.
        ("survey-link", Action::View, "lint", Is(Reason::LinkOutOfScope)),
    ];
    assert_rows(&policy, link, rows);
    assert_eq!(
        effective(&policy, &link(&policy, "survey-link"), "contact"),
        P::empty()
    );
}

#[test]
fn link_gets_nothing_from_user_team_or_everyone_grants() {
    let policy = model();
    // "lint" is reached by ann's, builders' and everyone's grants, not the public's.
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("lint-link", Action::View, "lint", Is(Reason::NotMember)),
        ("lint-link", Action::Export, "lint", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, link, rows);
    assert_eq!(
        effective(&policy, &link(&policy, "lint-link"), "lint"),
        P::empty()
    );
}

#[test]
fn public_grants_reach_only_links() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("bob", Action::View, "survey", Is(Reason::NotMember)),
        ("ann", Action::View, "survey", Is(Reason::NotMember)),
    ];
    assert_rows(&policy, user, rows);
}

#[test]
fn public_deny_beats_the_public_allow() {
    let policy = model();
    #[rustfmt::skip]
    let rows: &[Row] = &[
        ("hidden-link", Action::View, "hidden", Denied("hidden", By::Public)),
    ];
    assert_rows(&policy, link, rows);
}
