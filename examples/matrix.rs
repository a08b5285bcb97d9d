//! Permission matrices: who may do what, as a table.
//!
//! ```sh
//! cargo run --example matrix                  # the demo model, built in code below
//! cargo run --example matrix -- demo --why    # the same, and the reason of every cell
//! cargo run --example matrix --features serde -- examples/policies/workspace-platform.json
//! cargo run --example matrix --features serde -- examples/policies/workspace-platform.json spring-launch view edit execute
//! ```
//!
//! The first argument names a model: one built into this example (`demo`;
//! the product presets join the list in [`MODELS`] as they are written), or
//! the path of a JSON policy document (with the `serde` feature: see
//! `Policy::from_document` and `examples/policies/`). The example prints
//! the model's matrix as a Markdown table (to paste into documentation)
//! and as aligned text, and with `--why` the reason behind every cell.
//!
//! For a built-in model, the rows and columns are the ones its product
//! documents, and the matrix is also checked against the product's table
//! (`Matrix::check_with`), the way a test would: a preset's table is in
//! `examples/tables/`, the one copy its test in `tests/presets_*.rs`
//! checks too.
//!
//! For a document, every user is a column (asking through the first
//! channel its type may use, in a session that passed MFA), and the rows
//! are actions at one resource: the second argument names it (by default,
//! the document's first flow), and any further arguments name the actions
//! as they are spelt (`view`, `edit`, `manage_members`, …; by default,
//! every named action).

use std::error::Error;
use std::process::ExitCode;

use clearance::{
    Action, ApiKey, Channel, Effect, Grantee, Matrix, Permissions as P, Policy, PolicyBuilder,
    ResourceId, ResourceKind as K, Role, Subject, User,
};

/// Each preset's product table, as `PRODUCTS.md` writes it: the one copy,
/// which the preset's test (`tests/presets_*.rs`) checks too.
mod tables;

/// `clearance` has no clock: the host passes the time of each request
/// ([`Subject::at`]). The example pretends it is this moment (mid-2025).
const NOW: u64 = 1_750_000_000;

/// The models this example knows by name. Each product preset adds one
/// entry here.
const MODELS: &[Named] = &[
    Named {
        name: "demo",
        about:
            "a workspace platform (the Admin / Editor / Viewer table of PRODUCTS.md §3), built in code",
        build: demo,
    },
    Named {
        name: "smart_flows",
        about: "the Smart Flows preset: four roles × the capabilities of PRODUCTS.md §1",
        build: smart_flows,
    },
    Named {
        name: "boomi_flow",
        about: "the Boomi Flow preset: Administrator and Standard user × the privileges of PRODUCTS.md §4",
        build: boomi_flow,
    },
    Named {
        name: "smartflow",
        about: "the Smartflow preset: actions × the five user groups of PRODUCTS.md §2",
        build: smartflow,
    },
    Named {
        name: "workspace_platform",
        about: "the workspace platform preset (002): Admin / Editor / Viewer × the actions of PRODUCTS.md §3",
        build: workspace_platform,
    },
    Named {
        name: "flowcode",
        about: "the Flowcode 2 preset: WS Admin / Editor / Viewer × the actions of PRODUCTS.md §5",
        build: flowcode,
    },
];

/// A model known by name: a line about it, and the function that builds it.
struct Named {
    name: &'static str,
    about: &'static str,
    build: fn() -> Result<Model, Box<dyn Error>>,
}

/// What a matrix is computed from: a policy, the capabilities to ask about
/// and the subjects who ask, each with the label it has in the table.
struct Model {
    title: String,
    policy: Policy,
    heading: &'static str,
    rows: Vec<(String, Action, ResourceId)>,
    columns: Vec<(String, Subject)>,
    /// The product's documented table, if it has one, and how to read the
    /// product's own words in it.
    documented: Option<Documented>,
}

/// A product's table, to check the model against.
struct Documented {
    table: &'static str,
    read: fn(&str) -> Option<bool>,
}

fn main() -> ExitCode {
    // Errors are for people: print their message, not their `Debug`.
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let why = args.iter().any(|arg| arg == "--why");
    args.retain(|arg| arg != "--why");

    let model = match args.first().map(String::as_str) {
        None => demo()?,
        Some(name) => match MODELS.iter().find(|known| known.name == name) {
            Some(known) => (known.build)()?,
            None if looks_like_a_path(name) => document(name, args.get(1..).unwrap_or_default())?,
            None => return Err(unknown_model(name).into()),
        },
    };

    let matrix =
        Matrix::compute(&model.policy, model.rows, model.columns).with_heading(model.heading);
    println!("{}", model.title);
    println!("(every user asks in a session that passed MFA, at time {NOW})");
    println!();
    println!("As Markdown:");
    println!();
    print!("{}", matrix.to_markdown());
    println!();
    println!("As text:");
    println!();
    print!("{matrix}");

    if why {
        println!();
        println!("Why:");
        for (row, column, decision) in matrix.cells() {
            let verdict = if decision.is_allowed() { "Y" } else { "N" };
            let reason = model.policy.explain(decision.reason());
            println!("  {row} / {column}: {verdict}, {reason}");
        }
    }

    if let Some(documented) = model.documented {
        println!();
        match matrix.check_with(documented.table, documented.read) {
            Ok(()) => {
                println!("Checked against the product's documented matrix: every cell agrees.")
            }
            // The report lists every cell that differs, with its reason.
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

/// The workspace platform of PRODUCTS.md §3, small: one organization with
/// one workspace, an admin of the organization, an editor and a viewer of
/// the workspace, and the editor's API key for a CI job.
fn demo() -> Result<Model, Box<dyn Error>> {
    let policy = PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .resource("automation", K::Workspace, "acme")
        .resource("sales", K::Folder, "automation")
        .resource("lead-routing", K::Flow, "sales")
        .resource("salesforce", K::Connection, "automation")
        .role(
            Role::new("viewer")
                .allow([K::Workspace, K::Folder, K::Flow], P::VIEW)
                // The preset's reading of "limited" execution: by hand only.
                .allow([K::Flow], P::EXECUTE_LIMITED),
        )
        .role(
            Role::new("editor")
                .inherits("viewer")
                .allow([K::Folder, K::Flow], P::CREATE | P::EDIT | P::DELETE)
                .allow([K::Flow], P::EXECUTE)
                .allow([K::Connection], P::VIEW | P::USE | P::EDIT),
        )
        .role(Role::new("admin").inherits("editor").allow(
            [K::Organization, K::Workspace],
            P::VIEW
                | P::MANAGE_MEMBERS
                | P::MANAGE_SETTINGS
                | P::MANAGE_API_KEYS
                | P::MANAGE_INTEGRATIONS
                | P::MANAGE_BILLING,
        ))
        .user(User::new("alma", "acme"))
        .user(User::new("eli", "acme"))
        .user(User::new("vic", "acme"))
        .grant(Grantee::user("alma"), "acme", "admin", Effect::Allow)
        .grant(Grantee::user("eli"), "automation", "editor", Effect::Allow)
        .grant(Grantee::user("vic"), "automation", "viewer", Effect::Allow)
        .api_key(ApiKey::new("eli-ci", "eli").scope(P::VIEW | P::EXECUTE))
        .build()?;

    let resource = |name: &str| {
        policy
            .resource_id(name)
            .ok_or_else(|| format!("the demo has no resource {name:?}"))
    };
    let user = |name: &str| {
        policy
            .user_id(name)
            .map(|id| Subject::user(id, Channel::Web).with_mfa(true).at(NOW))
            .ok_or_else(|| format!("the demo has no user {name:?}"))
    };
    let key = policy
        .key_id("eli-ci")
        .ok_or("the demo has no key \"eli-ci\"")?;

    // Each row at the resource it is about: members and settings at the
    // workspace, billing at the organization, flows at a flow.
    let (workspace, flow) = (resource("automation")?, resource("lead-routing")?);
    let rows = vec![
        (
            "User management".to_string(),
            Action::ManageMembers,
            workspace,
        ),
        ("All settings".into(), Action::ManageSettings, workspace),
        ("View flows and executions".into(), Action::View, flow),
        ("Run flows".into(), Action::Execute, flow),
        ("Create and edit flows".into(), Action::Edit, flow),
        (
            "Manage connections".into(),
            Action::Edit,
            resource("salesforce")?,
        ),
        (
            "Create and manage API keys".into(),
            Action::ManageApiKeys,
            workspace,
        ),
        (
            "Configure integrations".into(),
            Action::ManageIntegrations,
            workspace,
        ),
        ("Billing".into(), Action::ManageBilling, resource("acme")?),
    ];
    let columns = vec![
        ("Admin".to_string(), user("alma")?),
        ("Editor".into(), user("eli")?),
        ("Viewer".into(), user("vic")?),
        ("Editor's CI key".into(), Subject::key(key).at(NOW)),
    ];
    Ok(Model {
        title: "demo: a workspace platform, Admin / Editor / Viewer (PRODUCTS.md §3)".into(),
        policy,
        heading: "Action",
        rows,
        columns,
        documented: Some(Documented {
            // PRODUCTS.md §3, with a row for running flows and a column for
            // the key. `?` is read as
            // denied (the conservative default); "limited" settings for a
            // viewer are none at all in this model.
            table: "
| Action                     | Admin       | Editor | Viewer  | Editor's CI key |
|----------------------------|-------------|--------|---------|-----------------|
| User management            | Y           | N      | N       | N               |
| All settings               | Y           | ?      | limited | N               |
| View flows and executions  | Y           | Y      | Y       | Y               |
| Run flows                  | Y           | Y      | N       | Y               |
| Create and edit flows      | Y (I)       | Y      | N       | N               |
| Manage connections         | Y (I)       | Y      | N       | N               |
| Create and manage API keys | Y           | ?      | N (I)   | N               |
| Configure integrations     | Y           | ?      | N (I)   | N               |
| Billing                    | Y (D: view) | N      | N (I)   | N               |
",
            read: |cell| (cell == "limited").then_some(false),
        }),
    })
}

/// A preset's demo as a model: the rows and columns of its own matrix,
/// every subject in an MFA session at [`NOW`], checked against its table.
fn preset(
    title: &str,
    policy: Policy,
    matrix: for<'p> fn(&'p Policy) -> Matrix<'p>,
    heading: &'static str,
    documented: Documented,
) -> Model {
    let (rows, columns) = {
        let matrix = matrix(&policy);
        let rows = matrix
            .rows()
            .map(|(label, action, resource)| (label.to_string(), action, resource))
            .collect();
        let columns = matrix
            .columns()
            .map(|(label, subject)| (label.to_string(), subject.with_mfa(true).at(NOW)))
            .collect();
        (rows, columns)
    };
    Model {
        title: title.to_string(),
        policy,
        heading,
        rows,
        columns,
        documented: Some(documented),
    }
}

/// The Smart Flows preset's demo and matrix (`clearance::presets::smart_flows`).
fn smart_flows() -> Result<Model, Box<dyn Error>> {
    use clearance::presets::smart_flows;

    let policy = smart_flows::demo()?;
    Ok(preset(
        "smart_flows: Smart Flows, user roles × capabilities (PRODUCTS.md §1)",
        policy,
        smart_flows::matrix,
        "Capability",
        Documented {
            table: tables::smart_flows::TABLE,
            read: tables::smart_flows::read,
        },
    ))
}

/// The Boomi Flow preset's demo and matrix (`clearance::presets::boomi_flow`).
fn boomi_flow() -> Result<Model, Box<dyn Error>> {
    use clearance::presets::boomi_flow;

    let policy = boomi_flow::demo()?;
    Ok(preset(
        "boomi_flow: Boomi Flow, tenant roles × privileges (PRODUCTS.md §4)",
        policy,
        boomi_flow::matrix,
        "Privilege",
        Documented {
            table: tables::boomi_flow::TABLE,
            read: |_| None,
        },
    ))
}

/// The Smartflow preset's demo and matrix (`clearance::presets::smartflow`).
fn smartflow() -> Result<Model, Box<dyn Error>> {
    use clearance::presets::smartflow;

    let policy = smartflow::demo()?;
    Ok(preset(
        "smartflow: Smartflow, actions × user groups (PRODUCTS.md §2)",
        policy,
        smartflow::matrix,
        "Action",
        Documented {
            table: tables::smartflow::TABLE,
            read: |_| None,
        },
    ))
}

/// The workspace platform preset's demo and matrix
/// (`clearance::presets::workspace_platform`).
fn workspace_platform() -> Result<Model, Box<dyn Error>> {
    use clearance::presets::workspace_platform;

    let policy = workspace_platform::demo()?;
    Ok(preset(
        "workspace_platform: the workspace platform of 002, workspace roles × actions (PRODUCTS.md §3)",
        policy,
        workspace_platform::matrix,
        "Action",
        Documented {
            table: tables::workspace_platform::TABLE,
            read: workspace_platform::read_cell,
        },
    ))
}

/// The Flowcode 2 preset's demo and matrix (`clearance::presets::flowcode`).
fn flowcode() -> Result<Model, Box<dyn Error>> {
    use clearance::presets::flowcode;

    let policy = flowcode::demo()?;
    Ok(preset(
        "flowcode: Flowcode 2, workspace roles × actions (PRODUCTS.md §5)",
        policy,
        flowcode::matrix,
        "Action",
        Documented {
            table: tables::flowcode::TABLE,
            read: |_| None,
        },
    ))
}

/// A policy document: every user a column, the named actions at one
/// resource the rows.
#[cfg(feature = "serde")]
fn document(path: &str, rest: &[String]) -> Result<Model, Box<dyn Error>> {
    use clearance::PolicyDocument;

    let text =
        std::fs::read_to_string(path).map_err(|error| format!("cannot read {path}: {error}"))?;
    let document: PolicyDocument = serde_json::from_str(&text)
        .map_err(|error| format!("{path} is not a policy document: {error}"))?;
    let policy = Policy::from_document(&document)?;

    // The resource: named, or the first flow, or the first resource.
    let resource_name = match rest.first() {
        Some(name) => name.clone(),
        None => document
            .resources
            .iter()
            .find(|resource| resource.kind == K::Flow)
            .or(document.resources.first())
            .map(|resource| resource.name.clone())
            .ok_or_else(|| format!("{path} declares no resource"))?,
    };
    let resource = policy
        .resource_id(&resource_name)
        .ok_or_else(|| format!("{path} has no resource named {resource_name:?}"))?;

    let actions = match rest.get(1..) {
        Some(names) if !names.is_empty() => names
            .iter()
            .map(|name| name.parse::<Action>())
            .collect::<Result<Vec<_>, _>>()?,
        _ => Action::ALL.to_vec(),
    };
    let rows = actions
        .into_iter()
        .map(|action| (action.to_string(), action, resource))
        .collect();

    let mut columns = Vec::new();
    for user in &document.users {
        let Some(id) = policy.user_id(&user.name) else {
            continue;
        };
        let channels = user.channels.unwrap_or(user.user_type.channels());
        // The first channel the account may use; an account that may use
        // none (a system account) asks through the web, and is refused.
        let channel = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
            .into_iter()
            .find(|channel| channels.contains(channel.as_set()))
            .unwrap_or(Channel::Web);
        let subject = Subject::user(id, channel).with_mfa(true).at(NOW);
        columns.push((user.name.clone(), subject));
    }

    let kind = policy.resource_kind(resource).map_or("resource", K::label);
    Ok(Model {
        title: format!("{path}: every user, at {kind} {resource_name:?}"),
        policy,
        heading: "Action",
        rows,
        columns,
        documented: None,
    })
}

/// Without the `serde` feature there is no reading of documents: say how
/// to get it.
#[cfg(not(feature = "serde"))]
fn document(path: &str, _rest: &[String]) -> Result<Model, Box<dyn Error>> {
    Err(format!(
        "reading the policy document {path} needs the serde feature: \
         cargo run --example matrix --features serde -- {path}"
    )
    .into())
}

fn looks_like_a_path(arg: &str) -> bool {
    arg.ends_with(".json") || arg.contains(std::path::MAIN_SEPARATOR) || arg.contains('/')
}

fn unknown_model(name: &str) -> String {
    let known: Vec<String> = MODELS
        .iter()
        .map(|known| format!("  {}: {}", known.name, known.about))
        .collect();
    format!(
        "no model is called {name:?}. Give one of these, or the path of a policy document \
         (with --features serde):\n{}",
        known.join("\n")
    )
}
