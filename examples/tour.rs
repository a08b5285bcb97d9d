//! A guided tour of `clearance`: `cargo run --example tour`.
//!
//! It builds, in code, the model of a small flow platform with two
//! customers (tenants), then asks a handful of questions and prints each
//! answer with the reason the library gives for it. The questions are
//! grouped by the rule they teach:
//!
//! 1. **Inheritance**: a grant on a workspace reaches every folder and flow
//!    below it, however deep.
//! 2. **Overrides**: a grant at item level replaces, for its holder, what
//!    was inherited from above (more, or less).
//! 3. **Deny wins**: a `Deny` grant removes permissions whatever allows them.
//! 4. **Lifecycle**: only active accounts act; suspended and invited ones
//!    get nothing, whatever they were granted.
//! 5. **Tenants**: nothing ever crosses from one customer to another.
//! 6. **Channels**: a system account never logs in; an integration account
//!    only uses the API.
//! 7. **Keys and links**: an API key never exceeds its owner or its scope;
//!    a public link never exceeds the form's public permission.
//! 8. **MFA**: admin powers need a session that passed multi-factor
//!    authentication.
//!
//! It ends with `Policy::effective`: every permission of one user on a few
//! resources at once, which is how a UI decides which buttons to show.
//!
//! Read this file top to bottom: the model is the documentation.

use std::error::Error;

use clearance::{
    Action, ApiKey, Channel, Credentials, Effect, Grantee, Permissions as P, Policy, PolicyBuilder,
    PublicLink, ResourceId, ResourceKind as K, Role, Status, Subject, User, UserType,
};

/// `clearance` has no clock: the host passes the time of each request in
/// seconds ([`Subject::at`]). The tour pretends it is this moment.
const NOW: u64 = 1_750_000_000;
const DAY: u64 = 24 * 60 * 60;

/// What the admin role can do that nobody else can. Listed once, because
/// the same set is guarded by MFA below.
const ADMIN_POWERS: P = P::MANAGE_MEMBERS
    .union(P::MANAGE_SETTINGS)
    .union(P::MANAGE_BILLING)
    .union(P::MANAGE_API_KEYS)
    .union(P::MANAGE_INTEGRATIONS)
    .union(P::VIEW_AUDIT);

/// The model, declared by names. `build` checks all of it at once: an
/// unknown name, a cycle or anything crossing tenants is an error that names
/// what is wrong, never a panic.
fn model() -> Result<Policy, clearance::BuildError> {
    let mut model = PolicyBuilder::new();

    // Resources: each tenant is the root of its own tree. Workspaces, nested
    // folders and items (flows, forms, connections) hang below.
    model
        .tenant("acme", K::Organization)
        .resource("marketing", K::Workspace, "acme")
        .resource("campaigns", K::Folder, "marketing")
        .resource("spring-launch", K::Folder, "campaigns")
        .resource("launch-emails", K::Flow, "spring-launch")
        .resource("budget-approval", K::Flow, "spring-launch")
        .resource("weekly-report", K::Flow, "campaigns")
        .resource("feedback-form", K::Form, "marketing")
        .resource("crm-connection", K::Connection, "marketing")
        .resource("finance", K::Workspace, "acme")
        .resource("payroll", K::Folder, "finance")
        .resource("run-payroll", K::Flow, "payroll")
        .tenant("globex", K::Organization)
        .resource("operations", K::Workspace, "globex")
        .resource("nightly-sync", K::Flow, "operations");

    // Roles give permissions per kind of resource: an editor edits flows but
    // only views (and creates in) the workspace that holds them. Each role
    // inherits the one below it, so nothing is listed twice.
    model
        .role(
            Role::new("viewer")
                .allow([K::Workspace, K::Folder, K::Flow, K::Form], P::VIEW)
                // Viewers may run a flow by hand, not schedule it.
                .allow([K::Flow], P::EXECUTE_LIMITED),
        )
        .role(
            Role::new("editor")
                .inherits("viewer")
                .allow([K::Workspace, K::Folder], P::CREATE)
                .allow([K::Folder, K::Flow, K::Form], P::EDIT | P::DELETE)
                // Run a flow in full, submit a form.
                .allow([K::Flow, K::Form], P::EXECUTE)
                .allow([K::Connection], P::VIEW | P::USE | P::EDIT),
        )
        .role(
            Role::new("admin")
                .inherits("editor")
                .allow([K::Organization, K::Workspace], P::VIEW | ADMIN_POWERS)
                .allow(
                    [K::Folder, K::Flow, K::Form, K::Connection],
                    P::SHARE | P::PUBLISH | P::EXECUTE_AS_OTHERS | P::VIEW_EXECUTIONS,
                ),
        )
        // What the public may do with a form: read it, fill it in and save.
        .role(Role::new("respondent").allow([K::Form], P::VIEW | P::EDIT))
        // Everything, everywhere. Only ever used with `Effect::Deny`, to shut
        // a door completely.
        .role(Role::new("full-access").allow_everywhere(P::all_named()));

    // Teams belong to one tenant; grants to a team reach its members.
    model
        .team("content-team", "acme")
        .team("contractors", "acme");

    // Users. A user's type (how the account exists) and status (whether it
    // may act now) are independent of what it is granted.
    model
        .user(User::new("olivia", "acme"))
        .user(User::new("eddie", "acme").member_of("content-team"))
        .user(
            User::new("carl", "acme")
                .member_of("content-team")
                .member_of("contractors"),
        )
        .user(User::new("vera", "acme"))
        .user(
            User::new("sam", "acme")
                .member_of("content-team")
                .status(Status::Suspended),
        )
        .user(
            User::new("ivy", "acme")
                .member_of("content-team")
                .status(Status::Invited {
                    until: NOW + 7 * DAY,
                }),
        )
        .user(User::new("scheduler", "acme").user_type(UserType::System))
        .user(User::new("erp-sync", "acme").user_type(UserType::Interface))
        .user(User::new("gus", "globex"));

    // Grants: (who, where, which role, effect). A grant reaches its scope and
    // everything below it.
    model
        // The organization admin: admin of the tenant root, hence of everything.
        .grant(Grantee::user("olivia"), "acme", "admin", Effect::Allow)
        .grant(Grantee::user("gus"), "globex", "admin", Effect::Allow)
        // The content team edits everything in marketing.
        .grant(
            Grantee::team("content-team"),
            "marketing",
            "editor",
            Effect::Allow,
        )
        // ...except the budget approval, where the team is only a viewer.
        // `Override` cuts what the team inherits from above, at this flow.
        .grant(
            Grantee::team("content-team"),
            "budget-approval",
            "viewer",
            Effect::Override,
        )
        // Contractors never touch the CRM credentials, whatever else they hold.
        .grant(
            Grantee::team("contractors"),
            "crm-connection",
            "full-access",
            Effect::Deny,
        )
        // Vera views marketing, and is editor of one flow in it.
        .grant(Grantee::user("vera"), "marketing", "viewer", Effect::Allow)
        .grant(
            Grantee::user("vera"),
            "launch-emails",
            "editor",
            Effect::Override,
        )
        // Background and integration accounts hold grants like anyone else;
        // their user type decides how (and whether) they may come in.
        .grant(
            Grantee::user("scheduler"),
            "marketing",
            "editor",
            Effect::Allow,
        )
        .grant(
            Grantee::user("erp-sync"),
            "finance",
            "editor",
            Effect::Allow,
        )
        // The most any public link to the feedback form may give.
        .grant(
            Grantee::Public,
            "feedback-form",
            "respondent",
            Effect::Allow,
        );

    // An API key acts for its owner, never with more: here only to view and
    // run flows, only inside the campaigns folder, and only for 90 days.
    model.api_key(
        ApiKey::new("ci-deploy", "eddie")
            .scope(P::VIEW | P::EXECUTE)
            .within("campaigns")
            .expires_at(NOW + 90 * DAY),
    );

    // A public link: anonymous access to one form, limited to what the link
    // gives *and* what the form's public grant allows.
    model.link(PublicLink::new(
        "feedback-link",
        "feedback-form",
        P::VIEW | P::EDIT,
    ));

    // Admin powers need a session that passed MFA.
    model.mfa_required(ADMIN_POWERS);

    model.build()
}

fn main() -> Result<(), Box<dyn Error>> {
    let policy = model()?;

    println!("clearance tour: one model, a few questions, and why each answer is what it is.");
    println!();
    println!("The model: two customers (tenants), acme and globex.");
    print_tree(&policy);
    println!();
    println!("Everyone below asks through the web portal, signed in with a password only,");
    println!("unless the first column says otherwise.");

    let ask = Ask { policy: &policy };
    let ci_key = ask.key("ci-deploy")?;
    let survey = ask.link("feedback-link")?;
    let sections = [
        Section {
            title: "Inheritance: a grant on a workspace reaches everything below it",
            rows: vec![
                // Eddie's team is editor of the marketing workspace; the flow
                // sits two folders down, and still inherits it.
                ask.user("eddie", Action::Edit, "launch-emails")?,
                // Olivia holds admin on the organization itself: she is admin
                // of every workspace, including ones she was never added to.
                ask.user("olivia", Action::Delete, "run-payroll")?,
                // Nobody added Eddie to the finance workspace: deny by default.
                ask.user("eddie", Action::View, "run-payroll")?,
            ],
        },
        Section {
            title: "Overrides: an item-level grant replaces what its holder inherits",
            rows: vec![
                // Vera is only a viewer of marketing, but an override makes
                // her editor of this one flow.
                ask.user("vera", Action::Edit, "launch-emails")?,
                // Everywhere else she is still just a viewer.
                ask.user("vera", Action::Edit, "weekly-report")?,
                // The content team is editor of marketing, but finance owns
                // the budget approval: an override pins the team to viewer
                // there, and cuts the editor grant inherited from above.
                ask.user("eddie", Action::Edit, "budget-approval")?,
            ],
        },
        Section {
            title: "Deny wins: a Deny grant removes permissions, whatever allows them",
            rows: vec![
                // Eddie, through the content team, may use the CRM connection...
                ask.user("eddie", Action::Use, "crm-connection")?,
                // ...Carl is in the same team, but also a contractor, and
                // contractors are denied the CRM connection.
                ask.user("carl", Action::Use, "crm-connection")?,
            ],
        },
        Section {
            title: "Lifecycle: only active accounts act",
            rows: vec![
                // Sam is in the content team, but suspended: nothing, at once.
                ask.user("sam", Action::View, "launch-emails")?,
                // Ivy was invited to the content team and has not accepted yet.
                ask.user("ivy", Action::View, "launch-emails")?,
                // A week and a day later the invitation has expired.
                ask.row(
                    "ivy, 8 days on",
                    ask.web("ivy")?.at(NOW + 8 * DAY),
                    Action::View,
                    "launch-emails",
                )?,
            ],
        },
        Section {
            title: "Tenants: nothing crosses from one customer to another",
            rows: vec![
                // Gus is admin of globex, and nothing at all in acme.
                ask.row(
                    "gus, of globex",
                    ask.web("gus")?,
                    Action::View,
                    "launch-emails",
                )?,
            ],
        },
        Section {
            title: "Channels: the kind of account decides how it may come in",
            rows: vec![
                // The scheduler is a system account: it holds a grant, but can
                // never log in through any channel.
                ask.user("scheduler", Action::Execute, "weekly-report")?,
                // ERP sync is an integration account: the API only.
                ask.user("erp-sync", Action::Edit, "run-payroll")?,
                ask.row(
                    "erp-sync, by API",
                    ask.resolve(Credentials::user("erp-sync", Channel::Api, NOW))?,
                    Action::Edit,
                    "run-payroll",
                )?,
            ],
        },
        Section {
            title: "Keys and links: never more than their owner, scope or public grant",
            rows: vec![
                // Eddie's CI key may view and run flows in the campaigns
                // folder; it acts for Eddie, so the reason is Eddie's grant.
                ask.row("eddie's CI key", ci_key, Action::Execute, "weekly-report")?,
                // Eddie may edit that flow, but his key may not.
                ask.row("eddie's CI key", ci_key, Action::Edit, "weekly-report")?,
                // Eddie may view the feedback form, but it is outside the key's folder.
                ask.row("eddie's CI key", ci_key, Action::View, "feedback-form")?,
                // Anyone holding the public link may fill in the form...
                ask.row("public link", survey, Action::Edit, "feedback-form")?,
                // ...and reach nothing else.
                ask.row("public link", survey, Action::View, "weekly-report")?,
            ],
        },
        Section {
            title: "MFA: admin powers need a session that passed multi-factor authentication",
            rows: vec![
                ask.row(
                    "olivia, no MFA",
                    ask.web("olivia")?,
                    Action::ManageMembers,
                    "marketing",
                )?,
                ask.row(
                    "olivia, with MFA",
                    ask.web("olivia")?.with_mfa(true),
                    Action::ManageMembers,
                    "marketing",
                )?,
            ],
        },
    ];
    print_sections(&sections);

    println!();
    print_buttons(&ask, "eddie")?;
    Ok(())
}

/// Asks the policy questions by name, and keeps each answer as a row to
/// print. A real host resolves a request's credentials once
/// (`Policy::resolve`), and then asks with ids only: `authorize` never sees
/// a string.
struct Ask<'p> {
    policy: &'p Policy,
}

impl Ask<'_> {
    fn resource_id(&self, name: &str) -> Result<ResourceId, String> {
        self.policy
            .resource_id(name)
            .ok_or_else(|| format!("the model has no resource named {name:?}"))
    }

    /// What the host knows about a request, resolved to the subject every
    /// decision takes; an unknown name is an error naming it.
    fn resolve(&self, credentials: Credentials<'_>) -> Result<Subject, String> {
        self.policy
            .resolve(credentials)
            .map_err(|error| error.to_string())
    }

    /// A user signed in to the web portal, with a password only, now.
    fn web(&self, name: &str) -> Result<Subject, String> {
        self.resolve(Credentials::user(name, Channel::Web, NOW))
    }

    /// A question from a user in the web portal.
    fn user(&self, name: &str, action: Action, resource: &str) -> Result<Row, String> {
        self.row(name, self.web(name)?, action, resource)
    }

    /// An API key asking (keys always come in through the API), now.
    fn key(&self, name: &str) -> Result<Subject, String> {
        self.resolve(Credentials::key(name, NOW))
    }

    /// Whoever holds a public link asking (through the link itself), now.
    fn link(&self, name: &str) -> Result<Subject, String> {
        self.resolve(Credentials::link(name, NOW))
    }

    /// The question itself: one call, one decision, one reason.
    fn row(
        &self,
        who: &str,
        subject: Subject,
        action: Action,
        resource: &str,
    ) -> Result<Row, String> {
        let decision = self
            .policy
            .authorize(&subject, action, self.resource_id(resource)?);
        // The verdict has its own column, so print the reason alone.
        let why = self.policy.explain(decision.reason()).to_string();
        Ok(Row {
            who: who.to_string(),
            action: action.to_string(),
            resource: resource.to_string(),
            allowed: decision.is_allowed(),
            why,
        })
    }
}

/// One answered question.
struct Row {
    who: String,
    action: String,
    resource: String,
    allowed: bool,
    why: String,
}

/// Questions under a heading.
struct Section {
    title: &'static str,
    rows: Vec<Row>,
}

/// Prints every section, with the columns aligned across all of them.
fn print_sections(sections: &[Section]) {
    let rows = || sections.iter().flat_map(|section| &section.rows);
    let who = rows().map(|row| row.who.len()).max().unwrap_or(0);
    let action = rows().map(|row| row.action.len()).max().unwrap_or(0);
    let resource = rows().map(|row| row.resource.len()).max().unwrap_or(0);
    for section in sections {
        println!();
        println!("{}", section.title);
        for row in &section.rows {
            let verdict = if row.allowed { "ALLOWED" } else { "denied" };
            println!(
                "  {:who$}  {:action$}  {:resource$}  {verdict:7}  {}",
                row.who, row.action, row.resource, row.why,
            );
        }
    }
}

/// Prints the resource forest, indented, with each resource's kind.
fn print_tree(policy: &Policy) {
    for index in 0..policy.resource_count() {
        let id = ResourceId::from_index(u32::try_from(index).unwrap_or(u32::MAX));
        let mut depth = 0;
        let mut at = id;
        while let Some(parent) = policy.parent(at) {
            depth += 1;
            at = parent;
        }
        let name = policy.resource_name(id).unwrap_or("?");
        let kind = policy.resource_kind(id).map_or("?", K::label);
        println!("  {:indent$}{name} ({kind})", "", indent = 2 * depth);
    }
}

/// `effective` answers every permission at once: one call per page, and the
/// UI shows or hides all of its buttons from the result.
fn print_buttons(ask: &Ask<'_>, name: &str) -> Result<(), String> {
    const BUTTONS: [(&str, P); 6] = [
        ("Open", P::VIEW),
        ("Create", P::CREATE),
        ("Edit", P::EDIT),
        ("Run", P::EXECUTE),
        ("Delete", P::DELETE),
        ("Share", P::SHARE),
    ];
    const RESOURCES: [&str; 6] = [
        "marketing",
        "spring-launch",
        "launch-emails",
        "budget-approval",
        "crm-connection",
        "run-payroll",
    ];
    let subject = ask.web(name)?;
    println!("Which buttons {name}'s pages show (effective permissions, one call per page):");
    let width = RESOURCES.iter().map(|r| r.len()).max().unwrap_or(0);
    print!("  {:width$}", "");
    for (label, _) in BUTTONS {
        print!("  {label:6}");
    }
    println!("  all permissions");
    for resource in RESOURCES {
        let permissions = ask.policy.effective(&subject, ask.resource_id(resource)?);
        print!("  {resource:width$}");
        for (_, button) in BUTTONS {
            let mark = if permissions.contains(button) {
                "yes"
            } else {
                "-"
            };
            print!("  {mark:6}");
        }
        // Display spells a set as documents and `FromStr` do: `view | edit`.
        println!("  {permissions}");
    }
    Ok(())
}
