//! An access review, rendered as Markdown: for one tenant, who holds admin
//! powers, who holds nothing, who is inactive but keeps grants, and which
//! API keys never expire; then, for each user, what gives them anything
//! and what they hold at each workspace.
//!
//! ```sh
//! cargo run --example review            # the workspace platform preset's demo
//! ```

use std::error::Error;

use clearance::presets::workspace_platform::{self as platform, ADMIN_POWERS};
use clearance::{Grant, Policy, Principal, UserId};

/// `clearance` has no clock: the host passes the time of the review.
const NOW: u64 = platform::DEMO_NOW;

fn user_name(policy: &Policy, user: UserId) -> String {
    policy.user_name(user).unwrap_or("?").to_string()
}

fn grant_line(policy: &Policy, grant: &Grant) -> String {
    let who = match grant.principal {
        Principal::User(user) => format!("own grant ({})", user_name(policy, user)),
        Principal::Team(team) => format!("team {}", policy.team_name(team).unwrap_or("?")),
        Principal::Everyone => "everyone".to_string(),
        Principal::Public => "the public".to_string(),
    };
    format!(
        "{} of role {} on {} ({who})",
        grant.effect,
        policy.role_name(grant.role).unwrap_or("?"),
        policy.resource_name(grant.scope).unwrap_or("?"),
    )
}

fn list(policy: &Policy, users: &[UserId]) -> String {
    if users.is_empty() {
        return "- none\n".to_string();
    }
    users
        .iter()
        .map(|&user| format!("- {}\n", user_name(policy, user)))
        .collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let policy = platform::demo()?;
    let tenant = policy
        .resource_id("northwind")
        .ok_or("the demo has no workspace \"northwind\"")?;
    let review = policy.review_tenant(tenant, ADMIN_POWERS, NOW);

    println!("# Access review: northwind\n");
    println!(
        "## Users holding admin powers\n\n{}",
        list(&policy, &review.admins)
    );
    println!(
        "## Active users holding nothing\n\n{}",
        list(&policy, &review.holding_nothing)
    );
    println!(
        "## Suspended or deactivated users still holding grants\n\n{}",
        list(&policy, &review.inactive_with_grants)
    );
    println!("## API keys without expiry\n");
    if review.keys_without_expiry.is_empty() {
        println!("- none");
    }
    for key in &review.keys_without_expiry {
        let owner = policy
            .key_owner(*key)
            .map_or("?".to_string(), |u| user_name(&policy, u));
        println!("- {} (owner {owner})", policy.key_name(*key).unwrap_or("?"));
    }

    println!("\n## Users\n");
    for index in 0..policy.user_count() {
        let user = UserId::from_index(u32::try_from(index)?);
        let Some(user_review) = policy.review_user(user, NOW) else {
            continue;
        };
        if policy.user_tenant(user) != Some(tenant) {
            continue;
        }
        let Some(name) = policy.user_name(user) else {
            continue;
        };
        println!("### {name}\n");
        let teams: Vec<&str> = user_review
            .teams
            .iter()
            .filter_map(|&team| policy.team_name(team))
            .collect();
        println!(
            "Teams: {}\n",
            if teams.is_empty() {
                "none".to_string()
            } else {
                teams.join(", ")
            }
        );
        for grant in &user_review.grants {
            println!("- {}", grant_line(&policy, grant));
        }
        if user_review.grants.is_empty() {
            println!("- no grant");
        }
        println!("\n| Resource | Effective permissions |\n|---|---|");
        for (resource, held) in &user_review.holdings {
            // `|` separates Markdown cells: list the permissions with commas.
            let held = held.to_string().replace(" | ", ", ");
            println!(
                "| {} | {held} |",
                policy.resource_name(*resource).unwrap_or("?")
            );
        }
        println!();
    }
    Ok(())
}
