//! The standard benchmark model of DESIGN.md section 5, built the same way
//! by every benchmark so that figures compare across changes.
//!
//! One tenant; 10 workspaces × 10 folders × 100 flows (10,000 flows); 1,000
//! users, each in 1–3 of 50 teams; workspace roles Admin / Editor / Viewer
//! given to users and teams; folder grants to teams, inherited by flows; 2
//! organization admins; 5% of users suspended; a few item-level denies for
//! a team. Everything random comes from one fixed seed.

#![allow(dead_code, reason = "each bench binary uses a different part")]
#![expect(
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup: a model that does not match the standard one must stop the run loudly"
)]

use clearance::{
    Action, Channel, Effect, Grantee, Permissions as P, Policy, PolicyBuilder, Reason, ResourceId,
    ResourceKind as K, Role, Status, Subject, User,
};

pub const WORKSPACES: usize = 10;
pub const FOLDERS_PER_WORKSPACE: usize = 10;
pub const FLOWS_PER_FOLDER: usize = 100;
pub const USERS: usize = 1_000;
pub const TEAMS: usize = 50;
pub mod adversarial;
pub mod scale;

pub const SEED: u64 = 0x5EED_C1EA_2A4C_E000;

/// SplitMix64: a tiny deterministic generator, so the model never depends
/// on a `rand` version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

pub fn user_name(u: usize) -> String {
    format!("user-{u}")
}
pub fn team_name(t: usize) -> String {
    format!("team-{t}")
}
pub fn workspace_name(w: usize) -> String {
    format!("ws-{w}")
}
pub fn folder_name(w: usize, f: usize) -> String {
    format!("folder-{w}-{f}")
}
pub fn flow_name(w: usize, f: usize, i: usize) -> String {
    format!("flow-{w}-{f}-{i}")
}

/// The standard model's roles: `viewer`, `editor` (inherits `viewer`) and
/// `admin` (everything).
pub fn standard_roles(mut b: PolicyBuilder) -> PolicyBuilder {
    let content = [K::Folder, K::Flow, K::Form, K::Connection];
    b.role(
        Role::new("viewer")
            .allow([K::Organization, K::Workspace], P::VIEW)
            .allow(content, P::VIEW | P::EXECUTE_LIMITED),
    );
    b.role(Role::new("editor").inherits("viewer").allow(
        content,
        P::CREATE | P::EDIT | P::DELETE | P::EXECUTE | P::EXPORT | P::IMPORT,
    ));
    b.role(Role::new("admin").allow_everywhere(P::all_named()));
    b
}

/// The declarations of the standard model, ready to build.
pub fn standard_builder() -> PolicyBuilder {
    let mut rng = Rng::new(SEED);
    let mut b = standard_roles(PolicyBuilder::new());
    b.tenant("org", K::Organization);
    for w in 0..WORKSPACES {
        b.resource(workspace_name(w), K::Workspace, "org");
        for f in 0..FOLDERS_PER_WORKSPACE {
            b.resource(folder_name(w, f), K::Folder, workspace_name(w));
            for i in 0..FLOWS_PER_FOLDER {
                b.resource(flow_name(w, f, i), K::Flow, folder_name(w, f));
            }
        }
    }
    for t in 0..TEAMS {
        b.team(team_name(t), "org");
    }
    for u in 0..USERS {
        let mut user = User::new(user_name(u), "org");
        for _ in 0..1 + rng.below(3) {
            user = user.member_of(team_name(rng.below(TEAMS)));
        }
        // 5% suspended, never the two org admins.
        if u >= 2 && rng.below(100) < 5 {
            user = user.status(Status::Suspended);
        }
        b.user(user);
    }
    // Two organization admins.
    for u in 0..2 {
        b.grant(Grantee::user(user_name(u)), "org", "admin", Effect::Allow);
    }
    let roles = ["admin", "editor", "viewer"];
    // A model holds one grant of an identity (principal, scope, role,
    // effect): a draw repeating one is skipped, the draws stay the seed's.
    let mut drawn = std::collections::HashSet::new();
    let mut grant = |b: &mut PolicyBuilder, who: Grantee, scope: String, role: &str, effect| {
        if drawn.insert((who.clone(), scope.clone(), role.to_string(), effect)) {
            b.grant(who, scope, role, effect);
        }
    };
    for w in 0..WORKSPACES {
        // Workspace roles: 20 users and 3 teams per workspace.
        for _ in 0..20 {
            let who = Grantee::user(user_name(2 + rng.below(USERS - 2)));
            let role = roles[rng.below(3)];
            grant(&mut b, who, workspace_name(w), role, Effect::Allow);
        }
        for _ in 0..3 {
            let who = Grantee::team(team_name(rng.below(TEAMS)));
            let role = roles[1 + rng.below(2)];
            grant(&mut b, who, workspace_name(w), role, Effect::Allow);
        }
        // Folder grants to teams, inherited by the folder's flows.
        for f in 0..FOLDERS_PER_WORKSPACE {
            for _ in 0..1 + rng.below(2) {
                let who = Grantee::team(team_name(rng.below(TEAMS)));
                let role = roles[1 + rng.below(2)];
                grant(&mut b, who, folder_name(w, f), role, Effect::Allow);
            }
        }
    }
    // A few item-level denies for one team.
    for _ in 0..10 {
        let (w, f, i) = (
            rng.below(WORKSPACES),
            rng.below(FOLDERS_PER_WORKSPACE),
            rng.below(FLOWS_PER_FOLDER),
        );
        grant(
            &mut b,
            Grantee::team(team_name(7)),
            flow_name(w, f, i),
            "editor",
            Effect::Deny,
        );
    }
    b
}

/// The standard model, built.
pub fn standard_policy() -> Policy {
    standard_builder()
        .build()
        .expect("the standard model is valid")
}

/// The fixed requests of the single-decision benchmarks.
pub struct Cases {
    /// Allowed through a team's grant on the flow's folder.
    pub allowed_team_folder: (Subject, Action, ResourceId),
    /// Denied: no grant relates the user to the flow.
    pub denied_no_relation: (Subject, Action, ResourceId),
    /// An organization admin on a flow.
    pub org_admin: (Subject, Action, ResourceId),
    /// A suspended user.
    pub suspended: (Subject, Action, ResourceId),
}

fn web(policy: &Policy, u: usize) -> Subject {
    Subject::user(
        policy.user_id(&user_name(u)).expect("user exists"),
        Channel::Web,
    )
}

fn flow(policy: &Policy, w: usize, f: usize, i: usize) -> ResourceId {
    policy
        .resource_id(&flow_name(w, f, i))
        .expect("flow exists")
}

/// Finds the fixed requests in the standard model, scanning in a fixed
/// order so they are the same on every run.
pub fn cases(policy: &Policy) -> Cases {
    let mut allowed_team_folder = None;
    let mut denied_no_relation = None;
    let mut suspended = None;
    'users: for u in 2..USERS {
        let subject = web(policy, u);
        for w in 0..WORKSPACES {
            for f in 0..FOLDERS_PER_WORKSPACE {
                let resource = flow(policy, w, f, 50);
                let decision = policy.authorize(&subject, Action::View, resource);
                let folder = policy
                    .resource_id(&folder_name(w, f))
                    .expect("folder exists");
                match decision.reason() {
                    Reason::Granted {
                        scope,
                        principal: clearance::Principal::Team(_),
                        ..
                    } if scope == folder && allowed_team_folder.is_none() => {
                        allowed_team_folder = Some((subject, Action::View, resource));
                    }
                    Reason::NotMember if denied_no_relation.is_none() => {
                        denied_no_relation = Some((subject, Action::View, resource));
                    }
                    Reason::Suspended if suspended.is_none() => {
                        suspended = Some((subject, Action::View, resource));
                    }
                    _ => {}
                }
                if allowed_team_folder.is_some()
                    && denied_no_relation.is_some()
                    && suspended.is_some()
                {
                    break 'users;
                }
            }
        }
    }
    Cases {
        allowed_team_folder: allowed_team_folder.expect("a team folder grant exists"),
        denied_no_relation: denied_no_relation.expect("an unrelated user exists"),
        org_admin: (web(policy, 0), Action::Edit, flow(policy, 3, 4, 5)),
        suspended: suspended.expect("a suspended user exists"),
    }
}

/// `n` random requests over every user (active or not), every flow, and
/// the common actions, from the fixed seed.
pub fn random_requests(policy: &Policy, n: usize) -> Vec<(Subject, Action, ResourceId)> {
    let mut rng = Rng::new(SEED ^ 0xBA7C);
    let actions = [Action::View, Action::Edit, Action::Execute, Action::Delete];
    (0..n)
        .map(|_| {
            let subject = web(policy, rng.below(USERS));
            let resource = flow(
                policy,
                rng.below(WORKSPACES),
                rng.below(FOLDERS_PER_WORKSPACE),
                rng.below(FLOWS_PER_FOLDER),
            );
            (subject, actions[rng.below(actions.len())], resource)
        })
        .collect()
}
