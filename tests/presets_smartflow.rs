//! The Smartflow preset (PRODUCTS.md §2): its permission matrix, checked
//! cell by cell against the table of PRODUCTS.md, and one test per rule
//! special to Smartflow.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::presets::smartflow::{self, Group, AMERICAS, EUROPE};
use clearance::{
    Action, Author, Change, ChangeProblem, Channel, Condition, Effect, Grant, Grantee, Labels,
    Permissions as P, Policy, Principal, Problem, Reason, ResourceId, ResourceKind as K, Subject,
};

/// The user named `name` asking through `channel`.
fn user(policy: &Policy, name: &str, channel: Channel) -> Subject {
    Subject::user(policy.user_id(name).expect("a demo user"), channel)
}

/// The user named `name` asking through the web portal.
fn web(policy: &Policy, name: &str) -> Subject {
    user(policy, name, Channel::Web)
}

/// The holder of the public link named `name`.
fn link(policy: &Policy, name: &str) -> Subject {
    Subject::link(policy.link_id(name).expect("a demo link"))
}

/// The resource named `name`.
fn at(policy: &Policy, name: &str) -> ResourceId {
    policy.resource_id(name).expect("a demo resource")
}

/// The demo model.
fn demo() -> Policy {
    smartflow::demo().expect("the demo builds")
}

/// The decision's reason, for a subject asking `action` on the resource `name`.
#[track_caller]
fn reason(policy: &Policy, subject: Subject, action: Action, name: &str) -> Reason {
    policy
        .authorize(&subject, action, at(policy, name))
        .reason()
}

/// Whether `subject` may do `action` on the resource named `name`.
fn allowed(policy: &Policy, subject: Subject, action: Action, name: &str) -> bool {
    policy
        .authorize(&subject, action, at(policy, name))
        .is_allowed()
}

/// Log in to the apps, asked for on the tenant root.
const LOG_IN_TO_APPS: Action = Action::Custom(smartflow::LOG_IN_TO_APPS);
/// Log in to the portal, asked for on the tenant root.
const LOG_IN_TO_PORTAL: Action = Action::Custom(smartflow::LOG_IN_TO_PORTAL);

/// The table of `PRODUCTS.md` §2, as written there: the one copy, which
/// `examples/matrix.rs` checks and prints too.
#[path = "../examples/tables/smartflow.rs"]
mod product_table;

/// Checks the named actions of a preset's docs against a product table.
#[path = "../examples/tables/named.rs"]
mod named;

/// "A Domain Admin has unrestricted access to all applications in
/// Smartflow." "An Interface user has access to the Smartflow Web API.
/// They can add, edit, or remove data in Smartflow through standard REST
/// requests to the Web API." Each action the module docs' table names for
/// a row, asked by each user group through its own channel, gives that
/// row's answer in the permission overview.
#[test]
fn each_named_action_of_the_table_gives_the_products_answer() {
    let policy = demo();
    let acme = at(&policy, "acme");
    let handbook = at(&policy, "handbook");
    let dataset = at(&policy, "customers");
    let (kb, build, datasets) = (
        "Add to knowledge base",
        "Build forms, views or flows",
        "Maintain datasets",
    );
    let asks = [
        ("Log in to web portal", LOG_IN_TO_PORTAL, acme),
        ("Log in to apps", LOG_IN_TO_APPS, acme),
        ("Open views", Action::View, at(&policy, "open-orders")),
        (
            "Fill in forms",
            Action::Edit,
            at(&policy, "inspection-0042"),
        ),
        ("View knowledge base", Action::View, handbook),
        (kb, Action::Create, handbook),
        (kb, Action::Edit, handbook),
        (build, Action::Edit, at(&policy, "inspection")),
        (build, Action::Edit, at(&policy, "open-orders")),
        (build, Action::Edit, at(&policy, "approval")),
        (datasets, Action::Edit, dataset),
        (datasets, Action::Create, dataset),
        (datasets, Action::Delete, dataset),
        (
            "Maintain users, roles, permissions",
            Action::ManageMembers,
            acme,
        ),
        ("View queues", Action::View, at(&policy, "approvals")),
    ];
    let columns = [
        ("Public", link(&policy, "inspection-link")),
        ("Portal", web(&policy, "pia")),
        ("Normal", web(&policy, "nina")),
        ("Domain Admin", web(&policy, "dana")),
        ("Interface", user(&policy, "ivan", Channel::Api)),
    ];
    named::check(&policy, product_table::TABLE, |_| None, &asks, &columns)
        .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn the_matrix_is_the_table_of_products_md() {
    let policy = demo();
    smartflow::matrix(&policy)
        .check(product_table::TABLE)
        .unwrap();
}

#[test]
fn the_matrix_renders_with_the_products_rows_and_columns() {
    let policy = demo();
    assert_eq!(
        smartflow::matrix(&policy).to_markdown(),
        "\
| Action                             | Public | Portal | Normal | Domain Admin | Interface |
|------------------------------------|--------|--------|--------|--------------|-----------|
| Log in to web portal               | N      | Y      | Y      | Y            | N         |
| Log in to apps                     | N      | N      | Y      | Y            | N         |
| Open views                         | N      | Y      | Y      | Y            | N         |
| Fill in forms                      | Y      | Y      | Y      | Y            | Y         |
| View knowledge base                | N      | Y      | Y      | Y            | N         |
| Add to knowledge base              | N      | N      | Y      | Y            | N         |
| Build forms, views or flows        | N      | N      | Y      | Y            | N         |
| Maintain datasets                  | N      | N      | Y      | Y            | Y         |
| Maintain users, roles, permissions | N      | N      | N      | Y            | Y         |
| View queues                        | N      | N      | Y      | Y            | N         |
"
    );
}

#[test]
fn the_conditional_cells_need_the_builder_or_maintenance_role_or_equivalent_direct_grants() {
    let policy = demo();
    // Footnotes ² (Builder) and ³ (Maintenance), for Normal users.
    smartflow::system_roles_matrix(&policy)
        .check(
            "
    | Action                             | Default only | Builder | Maintenance | Direct grants |
    |------------------------------------|--------------|---------|-------------|---------------|
    | Log in to web portal               | Y            | Y       | Y           | Y             |
    | Log in to apps                     | Y            | Y       | Y           | Y             |
    | Open views                         | Y            | Y       | Y           | Y             |
    | Fill in forms                      | Y            | Y       | Y           | Y             |
    | View knowledge base                | Y            | Y       | Y           | Y             |
    | Add to knowledge base              | N            | N       | Y³          | Y³            |
    | Build forms, views or flows        | N            | Y²      | N           | Y²            |
    | Maintain datasets                  | N            | Y²      | N           | Y²            |
    | Maintain users, roles, permissions | N            | N       | N           | N             |
    | View queues                        | N            | N       | Y³          | Y³            |
    ",
        )
        .unwrap();

    // A direct grant may also be narrower than the role: one dataset only.
    let mut policy = demo();
    policy
        .apply_all([
            Change::AddResource {
                name: "suppliers".into(),
                kind: K::Dataset,
                parent: Some("acme".into()),
            },
            Change::Grant {
                grantee: Grantee::user("nora"),
                scope: "customers".into(),
                role: smartflow::ACCESS_DATASETS.into(),
                effect: Effect::Allow,
                when: Condition::Always,
                by: Some(Author::web("dana", 0)),
            },
        ])
        .unwrap();
    let nora = web(&policy, "nora");
    assert!(allowed(&policy, nora, Action::Edit, "customers"));
    assert!(matches!(
        reason(&policy, nora, Action::Edit, "suppliers"),
        Reason::RoleLacks { .. }
    ));
    // The grant is the dataset permission only: no building.
    assert!(!allowed(&policy, nora, Action::Edit, "inspection"));
}

#[test]
fn portal_users_log_in_to_the_web_portal_only() {
    let policy = demo();
    let apps = smartflow::log_in(Channel::App).unwrap();
    let portal = smartflow::log_in(Channel::Web).unwrap();
    assert!(allowed(&policy, web(&policy, "pia"), portal, "acme"));
    // Through the apps' channel, not even the log-in is looked at.
    assert_eq!(
        reason(&policy, user(&policy, "pia", Channel::App), apps, "acme"),
        Reason::ChannelNotAllowed {
            channel: Channel::App
        }
    );
    assert_eq!(
        reason(
            &policy,
            user(&policy, "pia", Channel::App),
            Action::View,
            "open-orders"
        ),
        Reason::ChannelNotAllowed {
            channel: Channel::App
        }
    );
    // And the group's role does not give the apps' log-in either.
    assert_eq!(
        reason(&policy, web(&policy, "pia"), apps, "acme"),
        Reason::RoleLacks {
            missing: smartflow::LOG_IN_TO_APPS
        }
    );
}

#[test]
fn normal_users_log_in_to_the_portal_and_the_apps_but_not_the_web_api() {
    let policy = demo();
    for channel in [Channel::Web, Channel::App] {
        let action = smartflow::log_in(channel).unwrap();
        assert!(allowed(
            &policy,
            user(&policy, "nora", channel),
            action,
            "acme"
        ));
    }
    assert_eq!(
        reason(
            &policy,
            user(&policy, "nina", Channel::Api),
            Action::Edit,
            "customers"
        ),
        Reason::ChannelNotAllowed {
            channel: Channel::Api
        }
    );
    // Domain Admins have unrestricted access, the Web API included.
    assert!(allowed(
        &policy,
        user(&policy, "dana", Channel::Api),
        Action::Edit,
        "customers"
    ));
}

#[test]
fn interface_users_use_the_web_api_only() {
    let policy = demo();
    for channel in [Channel::Web, Channel::App] {
        assert_eq!(
            reason(
                &policy,
                user(&policy, "ivan", channel),
                Action::Edit,
                "customers"
            ),
            Reason::ChannelNotAllowed { channel }
        );
    }
    let api = user(&policy, "ivan", Channel::Api);
    assert!(allowed(&policy, api, Action::Edit, "customers"));
    assert!(allowed(&policy, api, Action::Edit, "inspection-0042"));
    assert!(allowed(&policy, api, Action::ManageMembers, "acme"));
    // No usage rights: no log-in, no views, even through the API.
    assert!(!allowed(&policy, api, LOG_IN_TO_PORTAL, "acme"));
    assert!(!allowed(&policy, api, Action::View, "open-orders"));

    // An Interface account can never be given the web or the apps.
    let mut builder = smartflow::builder();
    smartflow::add_tenant(&mut builder, "acme");
    builder
        .user(smartflow::user("ivy", "acme", Group::Interface).channels(clearance::Channels::WEB));
    let error = builder.build().unwrap_err();
    assert!(error
        .problems()
        .iter()
        .any(|problem| matches!(problem, Problem::ChannelsNotAllowed { .. })));
}

#[test]
fn system_roles_are_for_native_accounts_only() {
    // Builder through the API would let an Interface user build forms,
    // which the table denies: the role is refused to it at build time.
    let mut builder = smartflow::builder();
    smartflow::add_tenant(&mut builder, "acme");
    smartflow::add_user(
        &mut builder,
        "ivy",
        "acme",
        Group::Interface,
        Labels::empty(),
    );
    builder.grant(
        Grantee::user("ivy"),
        "acme",
        smartflow::BUILDER,
        Effect::Allow,
    );
    let error = builder.build().unwrap_err();
    assert!(error
        .problems()
        .iter()
        .any(|problem| matches!(problem, Problem::IneligibleRole { role, .. } if role == smartflow::BUILDER)));
}

#[test]
fn public_users_reach_one_form_through_its_link_and_never_log_in() {
    let policy = demo();
    let holder = link(&policy, "inspection-link");
    assert!(allowed(&policy, holder, Action::View, "inspection-0042"));
    for (action, name) in [
        (LOG_IN_TO_PORTAL, "acme"),
        (LOG_IN_TO_APPS, "acme"),
        (Action::View, "open-orders"),
        (Action::View, "inspection-us-3"),
        (Action::View, "feedback-0001"),
    ] {
        assert_eq!(
            reason(&policy, holder, action, name),
            Reason::LinkOutOfScope,
            "{action} on {name}"
        );
    }
}

#[test]
fn a_public_link_is_limited_by_the_form_templates_public_permission() {
    let policy = demo();
    // Every link asks to read, edit and save; the template decides.
    // `inspection`: the public may edit and save.
    let inspection = link(&policy, "inspection-link");
    assert!(allowed(
        &policy,
        inspection,
        Action::View,
        "inspection-0042"
    ));
    assert!(allowed(
        &policy,
        inspection,
        Action::Edit,
        "inspection-0042"
    ));
    // `feedback`: the public may only read.
    let feedback = link(&policy, "feedback-link");
    assert!(allowed(&policy, feedback, Action::View, "feedback-0001"));
    assert_eq!(
        reason(&policy, feedback, Action::Edit, "feedback-0001"),
        Reason::RoleLacks { missing: P::EDIT }
    );
    // `audit`: nothing for the public.
    let audit = link(&policy, "audit-link");
    assert_eq!(
        reason(&policy, audit, Action::View, "audit-0001"),
        Reason::NotMember
    );

    // Changing the template's Public permission changes every link at once.
    let mut policy = policy;
    policy
        .apply(Change::Revoke {
            grantee: Grantee::Public,
            scope: "inspection".into(),
            role: smartflow::PUBLIC_EDIT.into(),
            effect: Effect::Allow,
            by: Some(Author::web("dana", 0)),
        })
        .unwrap();
    assert!(!allowed(
        &policy,
        inspection,
        Action::View,
        "inspection-0042"
    ));
}

#[test]
fn only_a_domain_admin_can_make_a_domain_admin() {
    let mut policy = demo();
    let before = policy.clone();
    let nora = web(&policy, "nora");
    assert!(!allowed(&policy, nora, Action::ManageMembers, "acme"));

    // A Normal user with every system role may not maintain users at all.
    let error = policy
        .apply(smartflow::make_domain_admin(
            "nora",
            "acme",
            Author::web("nina", 0),
        ))
        .unwrap_err();
    assert!(matches!(
        error.problem(),
        ChangeProblem::Refused {
            reason: Reason::RoleLacks { .. },
            ..
        }
    ));

    // An Interface user maintains users, but cannot hand out more than it
    // holds itself: making a Domain Admin is an escalation.
    let interface = Author {
        channel: Channel::Api,
        ..Author::web("ivan", 0)
    };
    let error = policy
        .apply(smartflow::make_domain_admin("nora", "acme", interface))
        .unwrap_err();
    assert!(matches!(
        error.problem(),
        ChangeProblem::Refused {
            reason: Reason::WouldEscalate { .. },
            ..
        }
    ));
    let grant = Grant {
        principal: Principal::User(policy.user_id("nora").unwrap()),
        scope: at(&policy, "acme"),
        role: policy.role_id(smartflow::DOMAIN_ADMIN).unwrap(),
        effect: Effect::Allow,
    };
    assert!(matches!(
        policy
            .can_grant(&user(&policy, "ivan", Channel::Api), &grant)
            .reason(),
        Reason::WouldEscalate { .. }
    ));

    // A Domain Admin of another company cannot either.
    let error = policy
        .apply(smartflow::make_domain_admin(
            "nora",
            "acme",
            Author::web("gus", 0),
        ))
        .unwrap_err();
    // Refused as a crossing before his rights are asked; he is told
    // `acme` is unknown, as a company that does not exist would be.
    assert!(matches!(
        error.problem(),
        ChangeProblem::CrossesTenants { name, .. } if name == "acme"
    ));
    assert!(matches!(
        error.for_caller().problem(),
        ChangeProblem::Unknown { name, .. } if name == "acme"
    ));
    // Refusals change nothing.
    assert_eq!(policy, before);

    // A Domain Admin can; the new Domain Admin can in turn.
    assert!(policy.can_grant(&web(&policy, "dana"), &grant).is_allowed());
    policy
        .apply(smartflow::make_domain_admin(
            "nora",
            "acme",
            Author::web("dana", 0),
        ))
        .unwrap();
    assert!(allowed(&policy, nora, Action::ManageMembers, "acme"));
    policy
        .apply(smartflow::make_domain_admin(
            "ben",
            "acme",
            Author::web("nora", 0),
        ))
        .unwrap();
    assert!(allowed(
        &policy,
        web(&policy, "ben"),
        Action::ManageMembers,
        "acme"
    ));
}

#[test]
fn the_default_role_cannot_be_removed_from_a_normal_user() {
    let mut policy = demo();
    let nora_in_the_apps = user(&policy, "nora", Channel::App);
    let revoke_from_nora = || Change::Revoke {
        grantee: Grantee::user("nora"),
        scope: "acme".into(),
        role: smartflow::DEFAULT.into(),
        effect: Effect::Allow,
        by: Some(Author::web("dana", 0)),
    };

    // Removing the Default role from the user: there is no such grant to
    // remove, since the user holds Default through the Normal group.
    let error = policy.apply(revoke_from_nora()).unwrap_err();
    assert!(matches!(error.problem(), ChangeProblem::NotGranted));
    assert!(allowed(&policy, nora_in_the_apps, LOG_IN_TO_APPS, "acme"));

    // Even a per-user grant of Default, once removed, leaves the group's.
    policy
        .apply(Change::Grant {
            grantee: Grantee::user("nora"),
            scope: "acme".into(),
            role: smartflow::DEFAULT.into(),
            effect: Effect::Allow,
            when: Condition::Always,
            by: Some(Author::web("dana", 0)),
        })
        .unwrap();
    policy.apply(revoke_from_nora()).unwrap();
    let decision = policy.authorize(&nora_in_the_apps, LOG_IN_TO_APPS, at(&policy, "acme"));
    assert!(decision.is_allowed());
    assert_eq!(
        policy.explain(decision.reason()).to_string(),
        r#"team "acme/normal" holds the role "default" on organization "acme""#
    );

    // Other system roles are removed per user as usual.
    let ben = web(&policy, "ben");
    assert!(allowed(&policy, ben, Action::Edit, "inspection"));
    policy
        .apply(Change::Revoke {
            grantee: Grantee::user("ben"),
            scope: "acme".into(),
            role: smartflow::BUILDER.into(),
            effect: Effect::Allow,
            by: Some(Author::web("dana", 0)),
        })
        .unwrap();
    assert!(!allowed(&policy, ben, Action::Edit, "inspection"));
    assert!(allowed(&policy, ben, LOG_IN_TO_PORTAL, "acme"));
}

/// "A Normal user must have at least the Default system role to be able
/// to access Smartflow. You may add additional roles to the user, but must
/// not remove the Default role from the user." No path takes it away: not
/// a revoke of the Normal group's grant, not a deny of it (to the user or
/// to everyone), not an override that cuts the group's grant.
#[test]
fn no_change_takes_the_default_role_from_a_normal_user() {
    let mut policy = demo();
    let dana = Some(Author::web("dana", 0));
    let grant = |grantee: Grantee, scope: &str, role: &str, effect: Effect| Change::Grant {
        grantee,
        scope: scope.into(),
        role: role.into(),
        effect,
        when: Condition::Always,
        by: dana.clone(),
    };
    let attempts = [
        Change::Revoke {
            grantee: Grantee::team("acme/normal"),
            scope: "acme".into(),
            role: smartflow::DEFAULT.into(),
            effect: Effect::Allow,
            by: dana.clone(),
        },
        grant(
            Grantee::user("nora"),
            "acme",
            smartflow::DEFAULT,
            Effect::Deny,
        ),
        grant(
            Grantee::Everyone,
            "inspection",
            smartflow::DEFAULT,
            Effect::Deny,
        ),
        grant(
            Grantee::team("acme/normal"),
            "inspection",
            smartflow::BUILDER,
            Effect::Override,
        ),
    ];
    for change in attempts {
        let described = change.to_string();
        let error = policy.apply(change).expect_err(&described);
        assert!(
            matches!(error.problem(), ChangeProblem::RequiredRole { role, .. } if role == smartflow::DEFAULT),
            "{described}: {error}"
        );
    }
    assert!(allowed(
        &policy,
        web(&policy, "nora"),
        LOG_IN_TO_PORTAL,
        "acme"
    ));
}

/// "A Normal user must have at least the Default system role to be able
/// to access Smartflow": a Normal user without it (a model built so)
/// holding only Builder may not build, nor log in.
#[test]
fn a_normal_user_without_the_default_role_may_do_nothing() {
    let mut builder = smartflow::builder();
    smartflow::add_tenant(&mut builder, "acme");
    smartflow::add_user(&mut builder, "nick", "acme", Group::Normal, Labels::empty());
    builder
        .resource("orders", K::Flow, "acme")
        .grant(
            Grantee::user("nick"),
            "acme",
            smartflow::BUILDER,
            Effect::Allow,
        )
        .grant(
            Grantee::user("nick"),
            "acme",
            smartflow::DEFAULT,
            Effect::Deny,
        );
    let policy = builder.build().expect("a model built so builds");
    let default = policy.role_id(smartflow::DEFAULT).expect("the role");
    for (action, resource) in [(Action::Edit, "orders"), (LOG_IN_TO_PORTAL, "acme")] {
        assert_eq!(
            reason(&policy, web(&policy, "nick"), action, resource),
            Reason::RequiredRoleMissing { role: default },
            "{action:?}"
        );
    }
}

/// "A user must be associated with a user group. By default, a new user is
/// associated with Normal user group, which can be changed through user
/// maintenance in the portal." Each user is in exactly one group: joining
/// a second or leaving the only one is refused; changing it is one move.
#[test]
fn a_user_is_in_exactly_one_user_group() {
    let mut policy = demo();
    let normal = smartflow::group_team("acme", Group::Normal);
    let portal = smartflow::group_team("acme", Group::Portal);
    let join = Change::AddMembership {
        user: "pia".into(),
        team: normal.clone(),
    };
    let leave = Change::RemoveMembership {
        user: "pia".into(),
        team: portal.clone(),
    };
    for change in [join, leave] {
        let described = change.to_string();
        let error = policy.apply(change).expect_err(&described);
        assert_eq!(
            error.code(),
            "not_in_exactly_one_team",
            "{described}: {error}"
        );
    }
    let no_group = Change::AddUser(clearance::User::new("new", "acme"));
    assert_eq!(
        policy.apply(no_group).expect_err("no group").code(),
        "not_in_exactly_one_team"
    );
    // Portal to Normal: the portal and now the apps, with Default.
    assert!(!allowed(
        &policy,
        user(&policy, "pia", Channel::App),
        LOG_IN_TO_APPS,
        "acme"
    ));
    policy
        .apply_all(smartflow::move_to_group(
            "pia",
            "acme",
            Group::Portal,
            Group::Normal,
        ))
        .expect("a move between groups");
    assert!(allowed(
        &policy,
        user(&policy, "pia", Channel::App),
        LOG_IN_TO_APPS,
        "acme"
    ));
}

#[test]
fn the_distribution_query_filters_forms_for_portal_and_public_users() {
    let mut policy = demo();
    let (pia, pete) = (web(&policy, "pia"), web(&policy, "pete"));
    // Forms for everyone, for Europe, for the Americas.
    assert!(allowed(&policy, pia, Action::Edit, "inspection-0042"));
    assert!(allowed(&policy, pia, Action::Edit, "inspection-eu-7"));
    // The group's other grants reach the form; the form permissions do not,
    // and the reason says which grant's condition (the distribution query)
    // does not hold.
    let denied = reason(&policy, pia, Action::View, "inspection-us-3");
    assert!(
        matches!(denied, Reason::ConditionUnmet { .. }),
        "{denied:?}"
    );
    assert_eq!(
        policy.explain(denied).to_string(),
        r#"the grant of the role "portal forms" to team "acme/portal" on organization "acme" applies only when the subject has every label of the resource, which does not hold here"#
    );
    assert!(allowed(&policy, pete, Action::View, "inspection-us-3"));
    assert!(!allowed(&policy, pete, Action::View, "inspection-eu-7"));
    // Normal users and Domain Admins are not filtered.
    for name in ["nora", "dana"] {
        for form in ["inspection-eu-7", "inspection-us-3"] {
            assert!(allowed(&policy, web(&policy, name), Action::View, form));
        }
    }
    // A link holder has no attributes: a distributed form stays closed to
    // it, even where the template lets the public edit and save.
    let closed = reason(
        &policy,
        link(&policy, "inspection-eu-link"),
        Action::View,
        "inspection-eu-7",
    );
    assert!(
        matches!(
            closed,
            Reason::ConditionUnmet {
                principal: Principal::Public,
                ..
            }
        ),
        "{closed:?}"
    );

    // The query's result is data: new attributes, or a new query, apply at once.
    policy
        .apply_all([
            Change::SetUserLabels {
                user: "pia".into(),
                labels: EUROPE | AMERICAS,
            },
            Change::SetLabels {
                resource: "inspection-eu-7".into(),
                labels: Labels::empty(),
            },
        ])
        .unwrap();
    assert!(allowed(&policy, pia, Action::View, "inspection-us-3"));
    assert!(allowed(&policy, pete, Action::View, "inspection-eu-7"));
    assert!(allowed(
        &policy,
        link(&policy, "inspection-eu-link"),
        Action::Edit,
        "inspection-eu-7"
    ));
}

#[test]
fn an_inactive_user_cannot_log_in() {
    let mut policy = demo();
    let nora = web(&policy, "nora");
    policy
        .apply(Change::Deactivate {
            user: "nora".into(),
            by: None,
        })
        .unwrap();
    assert_eq!(
        reason(&policy, nora, LOG_IN_TO_PORTAL, "acme"),
        Reason::Deactivated
    );
    policy
        .apply(Change::Suspend {
            user: "pia".into(),
            by: None,
        })
        .unwrap();
    assert_eq!(
        reason(&policy, web(&policy, "pia"), LOG_IN_TO_PORTAL, "acme"),
        Reason::Suspended
    );
}

#[test]
fn each_group_is_a_user_type_with_its_channels() {
    use clearance::{Channels, UserType};
    let expected = [
        (Group::Portal, UserType::Native, Channels::WEB),
        (
            Group::Normal,
            UserType::Native,
            Channels::WEB | Channels::APP,
        ),
        (
            Group::DomainAdmin,
            UserType::Native,
            Channels::WEB | Channels::APP | Channels::API,
        ),
        (Group::Interface, UserType::Interface, Channels::API),
    ];
    for (group, user_type, channels) in expected {
        assert_eq!(group.user_type(), user_type, "{group:?}");
        assert_eq!(group.channels(), channels, "{group:?}");
        assert!(
            smartflow::group_team("acme", group).starts_with("acme/"),
            "{group:?}"
        );
    }
    assert_eq!(Group::default(), Group::Normal);
}

#[test]
fn companies_are_isolated() {
    let policy = demo();
    let gwen = web(&policy, "gwen");
    assert!(allowed(&policy, gwen, LOG_IN_TO_PORTAL, "globex"));
    assert_eq!(
        reason(&policy, gwen, Action::View, "inspection-0042"),
        Reason::WrongTenant
    );
    assert_eq!(
        reason(
            &policy,
            web(&policy, "dana"),
            Action::ManageMembers,
            "globex"
        ),
        Reason::WrongTenant
    );
}
