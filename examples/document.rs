//! Policies as documents: `cargo run --example document --features serde [-- path.json]`.
//!
//! Loads a JSON policy document (by default
//! `examples/policies/workspace-platform.json`; the other samples are
//! beside it), compiles it with `Policy::from_document`, and prints a few
//! decisions with their reasons: every user (the first few) asked to view
//! and to edit an item of its tenant (each user a different one, in turn),
//! every API key and every public link asked to view what it points at.
//!
//! Then it breaks a copy of the document on purpose (a grant to a team that
//! does not exist, a user declared twice, a folder whose parent is
//! misspelt) and prints what `from_document` says: every problem, each with
//! its path in the document. A document of your own that does not build is
//! reported the same way, and the example exits with an error.

use std::error::Error;
use std::path::PathBuf;

use clearance::{
    Action, Channel, Effect, GrantDocument, Grantee, Policy, PolicyDocument, ResourceDocument,
    ResourceId, ResourceKind, Subject,
};

/// `clearance` has no clock: the host passes the time of each request
/// ([`Subject::at`]). The example pretends it is this moment (mid-2025).
const NOW: u64 = 1_750_000_000;

/// At most this many users are asked about, so a big document stays readable.
const USERS_SHOWN: usize = 8;

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args_os().nth(1).map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("examples/policies/workspace-platform.json")
        },
        PathBuf::from,
    );
    let text = std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    // Malformed JSON, an unknown field or a misspelt kind stops here, with
    // serde's line and column.
    let document: PolicyDocument = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not a policy document: {error}", path.display()))?;
    println!(
        "{}: {} resources, {} roles, {} teams, {} users, {} grants, {} keys, {} links",
        path.display(),
        document.resources.len(),
        document.roles.len(),
        document.teams.len(),
        document.users.len(),
        document.grants.len(),
        document.keys.len(),
        document.links.len(),
    );

    // A model with mistakes is refused as a whole, each mistake with its path.
    let policy = match Policy::from_document(&document) {
        Ok(policy) => policy,
        Err(error) => {
            eprintln!("{error}");
            return Err(format!("{} does not build", path.display()).into());
        }
    };

    println!("\nDecisions (at time {NOW}, without MFA):");
    for (turn, user) in document.users.iter().take(USERS_SHOWN).enumerate() {
        let Some(id) = policy.user_id(&user.name) else {
            continue;
        };
        let channels = user.channels.unwrap_or(user.user_type.channels());
        // The first channel the account may use; an account that may use
        // none (a system account) is asked through the web, and refused.
        let channel = [Channel::Web, Channel::App, Channel::Api, Channel::Link]
            .into_iter()
            .find(|channel| channels.contains(channel.as_set()))
            .unwrap_or(Channel::Web);
        let subject = Subject::user(id, channel).at(NOW);
        let items = policy
            .resource_id(&user.tenant)
            .map(|tenant| items_of(&policy, tenant))
            .unwrap_or_default();
        if let Some(&resource) = items.get(turn % items.len().max(1)) {
            for action in [Action::View, Action::Edit] {
                show(&policy, &user.name, &subject, action, resource);
            }
        }
    }
    for key in &document.keys {
        let (Some(id), Some(owner)) = (
            policy.key_id(&key.name),
            document.users.iter().find(|u| u.name == key.owner),
        ) else {
            continue;
        };
        let target = key.within.first().unwrap_or(&owner.tenant);
        let items = policy
            .resource_id(target)
            .map(|target| items_of(&policy, target))
            .unwrap_or_default();
        if let Some(&resource) = items.first() {
            let subject = Subject::key(id).at(NOW);
            show(
                &policy,
                &format!("key {}", key.name),
                &subject,
                Action::View,
                resource,
            );
        }
    }
    for link in &document.links {
        if let (Some(id), Some(resource)) = (
            policy.link_id(&link.name),
            policy.resource_id(&link.resource),
        ) {
            let subject = Subject::link(id).at(NOW);
            show(
                &policy,
                &format!("link {}", link.name),
                &subject,
                Action::View,
                resource,
            );
        }
    }

    // The same document, written back: what a host would store.
    let written = serde_json::to_string(&policy.to_document())?;
    println!(
        "\nWritten back: {} bytes of JSON, rebuilding an equal policy: {}",
        written.len(),
        Policy::from_document(&serde_json::from_str(&written)?)? == policy,
    );

    println!("\nThe same document with three mistakes:");
    match Policy::from_document(&broken(document)) {
        Ok(_) => println!("(it built: the document had no tenant to break)"),
        Err(error) => println!("{error}"),
    }
    Ok(())
}

/// Prints one decision and its reason, by names.
fn show(policy: &Policy, who: &str, subject: &Subject, action: Action, resource: ResourceId) {
    let decision = policy.authorize(subject, action, resource);
    println!(
        "  {who} {action:?} {}: {} ({})",
        policy.resource_name(resource).unwrap_or("?"),
        if decision.is_allowed() {
            "allowed"
        } else {
            "denied"
        },
        policy.explain(decision.reason()),
    );
}

/// The items in the subtree of `root`: the resources without children
/// (`root` itself if it has none), in id order.
fn items_of(policy: &Policy, root: ResourceId) -> Vec<ResourceId> {
    let has_children: std::collections::HashSet<ResourceId> = policy
        .resources()
        .filter_map(|r| policy.parent(r))
        .collect();
    let is_below_root = |resource: ResourceId| {
        let mut at = Some(resource);
        while let Some(here) = at {
            if here == root {
                return true;
            }
            at = policy.parent(here);
        }
        false
    };
    policy
        .resources()
        .filter(|r| !has_children.contains(r) && is_below_root(*r))
        .collect()
}

/// `document` with a grant to a team nobody declared, its first user
/// declared twice, and a folder below a misspelt parent.
fn broken(mut document: PolicyDocument) -> PolicyDocument {
    let Some(tenant) = document
        .resources
        .iter()
        .find(|r| r.parent.is_none())
        .map(|r| r.name.clone())
    else {
        return document;
    };
    let role = document
        .roles
        .first()
        .map_or_else(|| "viewer".to_string(), |r| r.name.clone());
    document.grants.push(GrantDocument {
        to: Grantee::team("ops"),
        scope: tenant.clone(),
        role,
        effect: Effect::Allow,
        when: clearance::Condition::Always,
    });
    if let Some(first) = document.users.first().cloned() {
        document.users.push(first);
    }
    document.resources.push(ResourceDocument {
        name: "archive".into(),
        kind: ResourceKind::Folder,
        parent: Some(format!("{tenant}-typo")),
        labels: clearance::Labels::empty(),
    });
    document
}
