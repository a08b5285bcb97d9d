//! The standard model grown along one axis at a time, for `benches/scale.rs`.
//!
//! Each tenant is an organization with workspaces; each workspace has 10
//! chains of folders `depth` deep (a folder inside a folder …), and 10
//! flows in the deepest folder of each chain. Users belong to
//! `teams_per_user` of their tenant's teams; each team holds 2 grants on
//! random workspaces or folders; the rest of the `grants` are users' own
//! grants on random resources of their tenant (workspaces, folders and
//! flows: sharing), 1 in 50 of them a `Deny`. 2 organization admins per
//! tenant, 5% of users suspended. Everything random comes from the fixed
//! seed, so a spec always builds the same model.

use clearance::{
    Action, Channel, Effect, Grantee, Policy, PolicyBuilder, ResourceId, ResourceKind as K, Status,
    Subject, User,
};

use super::Rng;

/// Flows at the bottom of each folder chain.
pub const FLOWS_PER_CHAIN: usize = 10;
/// Folder chains per workspace.
pub const CHAINS_PER_WORKSPACE: usize = 10;

/// The size of a scale model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub tenants: usize,
    pub users: usize,
    /// Every grant: the teams' (2 each) and the users' own.
    pub grants: usize,
    pub teams_per_user: usize,
    /// Folders from a workspace down to a flow.
    pub depth: usize,
    /// Users per workspace: resources grow with users (a bigger customer
    /// has more flows). `0` keeps the workspaces at one per tenant.
    pub users_per_workspace: usize,
    /// Users per team.
    pub users_per_team: usize,
}

impl Spec {
    /// The baseline: the standard model's proportions at `users` users.
    pub const fn users(users: usize) -> Spec {
        Spec {
            tenants: 1,
            users,
            grants: users * 10,
            teams_per_user: 3,
            depth: 1,
            users_per_workspace: 100,
            users_per_team: 20,
        }
    }

    pub fn users_per_tenant(&self) -> usize {
        (self.users / self.tenants).max(1)
    }

    pub fn teams_per_tenant(&self) -> usize {
        (self.users_per_tenant() / self.users_per_team).max(self.teams_per_user)
    }

    pub fn workspaces_per_tenant(&self) -> usize {
        self.users_per_tenant()
            .checked_div(self.users_per_workspace)
            .map_or(1, |w| w.max(1))
    }

    pub fn flows_per_tenant(&self) -> usize {
        self.workspaces_per_tenant() * CHAINS_PER_WORKSPACE * FLOWS_PER_CHAIN
    }

    /// Resources of one tenant: the organization, its workspaces, their
    /// folder chains and flows.
    pub fn resources_per_tenant(&self) -> usize {
        1 + self.workspaces_per_tenant()
            * (1 + CHAINS_PER_WORKSPACE * (self.depth + FLOWS_PER_CHAIN))
    }
}

pub fn tenant_name(t: usize) -> String {
    format!("org-{t}")
}
pub fn user_name(t: usize, u: usize) -> String {
    format!("user-{t}-{u}")
}
pub fn team_name(t: usize, i: usize) -> String {
    format!("team-{t}-{i}")
}
pub fn workspace_name(t: usize, w: usize) -> String {
    format!("ws-{t}-{w}")
}
/// The folder `level` levels below the workspace (0 = the top folder).
pub fn folder_name(t: usize, w: usize, chain: usize, level: usize) -> String {
    format!("folder-{t}-{w}-{chain}-{level}")
}
pub fn flow_name(t: usize, w: usize, chain: usize, i: usize) -> String {
    format!("flow-{t}-{w}-{chain}-{i}")
}

/// The declarations of the model `spec` describes.
pub fn builder(spec: Spec) -> PolicyBuilder {
    let mut rng = Rng::new(super::SEED ^ 0x5CA1E);
    let mut b = super::standard_roles(PolicyBuilder::new());
    let users = spec.users_per_tenant();
    let teams = spec.teams_per_tenant();
    let workspaces = spec.workspaces_per_tenant();
    let team_grants = 2 * teams * spec.tenants;
    let own = spec.grants.saturating_sub(team_grants) / spec.users.max(1);
    let extra = spec.grants.saturating_sub(team_grants) % spec.users.max(1);
    let roles = ["admin", "editor", "viewer"];
    for t in 0..spec.tenants {
        b.tenant(tenant_name(t), K::Organization);
        for w in 0..workspaces {
            b.resource(workspace_name(t, w), K::Workspace, tenant_name(t));
            for chain in 0..CHAINS_PER_WORKSPACE {
                let mut parent = workspace_name(t, w);
                for level in 0..spec.depth {
                    let folder = folder_name(t, w, chain, level);
                    b.resource(folder.clone(), K::Folder, parent);
                    parent = folder;
                }
                for i in 0..FLOWS_PER_CHAIN {
                    b.resource(flow_name(t, w, chain, i), K::Flow, parent.clone());
                }
            }
        }
        for i in 0..teams {
            b.team(team_name(t, i), tenant_name(t));
            // A model holds one grant of an identity: a draw repeating one
            // is skipped (the draws stay those of the seed).
            let mut drawn: Vec<(String, usize)> = Vec::with_capacity(2);
            for _ in 0..2 {
                let w = rng.below(workspaces);
                let scope = if rng.below(4) == 0 {
                    workspace_name(t, w)
                } else {
                    let chain = rng.below(CHAINS_PER_WORKSPACE);
                    folder_name(t, w, chain, rng.below(spec.depth))
                };
                let role = 1 + rng.below(2);
                if drawn.contains(&(scope.clone(), role)) {
                    continue;
                }
                drawn.push((scope.clone(), role));
                b.grant(
                    Grantee::team(team_name(t, i)),
                    scope,
                    roles[role],
                    Effect::Allow,
                );
            }
        }
        for u in 0..users {
            let mut user = User::new(user_name(t, u), tenant_name(t));
            // Distinct teams: consecutive from a random start.
            let first = rng.below(teams);
            for k in 0..spec.teams_per_user {
                user = user.member_of(team_name(t, (first + k) % teams));
            }
            if u >= 2 && rng.below(100) < 5 {
                user = user.status(Status::Suspended);
            }
            b.user(user);
        }
        for u in 0..2.min(users) {
            b.grant(
                Grantee::user(user_name(t, u)),
                tenant_name(t),
                "admin",
                Effect::Allow,
            );
        }
        // A user's draws so far (scope, role, deny), to skip a repeat.
        let mut drawn = std::collections::HashSet::new();
        for u in 0..users {
            let count = own + usize::from(t * users + u < extra);
            drawn.clear();
            for _ in 0..count {
                let w = rng.below(workspaces);
                let chain = rng.below(CHAINS_PER_WORKSPACE);
                let (scope, at) = match rng.below(10) {
                    0 => (workspace_name(t, w), (0, 0, 0)),
                    1..=3 => {
                        let level = rng.below(spec.depth);
                        (folder_name(t, w, chain, level), (1, chain, level))
                    }
                    _ => {
                        let i = rng.below(FLOWS_PER_CHAIN);
                        (flow_name(t, w, chain, i), (2, chain, i))
                    }
                };
                let deny = rng.below(50) == 0;
                let effect = if deny { Effect::Deny } else { Effect::Allow };
                let role = rng.below(3);
                if !drawn.insert((w, at, role, deny)) {
                    continue;
                }
                b.grant(Grantee::user(user_name(t, u)), scope, roles[role], effect);
            }
        }
    }
    b
}

/// `n` random requests: a random user of a random tenant asks about a
/// random flow of the same tenant.
pub fn random_requests(
    policy: &Policy,
    spec: Spec,
    n: usize,
) -> Vec<(Subject, Action, ResourceId)> {
    let mut rng = Rng::new(super::SEED ^ 0xBA7C);
    let actions = [Action::View, Action::Edit, Action::Execute, Action::Delete];
    (0..n)
        .map(|_| {
            let t = rng.below(spec.tenants);
            let user = policy
                .user_id(&user_name(t, rng.below(spec.users_per_tenant())))
                .expect("user exists");
            let flow = policy
                .resource_id(&flow_name(
                    t,
                    rng.below(spec.workspaces_per_tenant()),
                    rng.below(CHAINS_PER_WORKSPACE),
                    rng.below(FLOWS_PER_CHAIN),
                ))
                .expect("flow exists");
            (
                Subject::user(user, Channel::Web),
                actions[rng.below(actions.len())],
                flow,
            )
        })
        .collect()
}
