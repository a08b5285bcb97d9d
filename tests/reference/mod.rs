//! The reference evaluator: DESIGN.md section 2, steps 1 to 8, transcribed
//! as plainly as possible, to check the optimized one in `src/policy/`
//! against.
//!
//! It works from a [`Model`]: plain vectors that index each other, with no
//! compiled layout, no filters and no sorting. Each question is answered the
//! slow and obvious way: the path from the resource to its root is collected
//! into a `Vec`; every principal of the subject walks that path on its own,
//! scanning every grant of the model at every node, and stops after its
//! first `Override` node; role inheritance is expanded by recursion on every
//! lookup. It shares no code with `src/policy/` and must stay that way: a
//! second implementation is only worth having if it is independent.
//!
//! When several grants could name the reason, the nearest one to the
//! resource is named; among grants on the same resource, the first in the
//! order (principal, effect, role), where principals order as
//! `User < Team < Everyone < Public` and then by index, as
//! [`clearance::Principal`] does.
//!
//! DESIGN.md does not say how a role limited to some user types combines
//! with `Everyone`; the reference follows the code (commits e3bf553 and
//! 1cb39bf): an allow or override grant reaches a subject only if its role
//! is open to the subject's user type (a link's holder is of type `Public`),
//! while a deny reaches everyone it names, since eligibility limits who may
//! hold a role, not who may lose one. A role is open only to the types that
//! it and every role it inherits allow ([`Model::role_eligible`], by
//! recursion). The build refuses ineligible grants to a user, a team or the
//! public, so this only matters for `Everyone`.
//!
//! Two rules follow the *Decision changes* recorded in commits e3bf553 and
//! 3d6abad rather than the text of DESIGN.md, which is read-only here; each
//! is marked in [`Reference::authorize`] with the line DESIGN.md would have:
//!
//! - (a) `NotMember` when no allow or override grant (counted or cut off)
//!   reaches the resource: `Deny` grants alone are no membership. DESIGN.md:
//!   no grant of any effect.
//! - (b) a key's or link's subtree is checked right after the channel
//!   (`KeyOutOfScope` / `LinkOutOfScope` before `EmptyAction` and the
//!   grants). DESIGN.md: with the ceilings, in step 7.

// clippy.toml allows these in `#[test]` functions only. Every index in a
// model is valid by construction (the generators resolve each one against
// what exists), and a broken invariant must fail the test loudly.
#![expect(
    clippy::indexing_slicing,
    clippy::expect_used,
    reason = "a reference evaluator over a valid model, run only by tests"
)]

use clearance::{
    Action, ApiKey, Channel, Channels, Credential, Effect, Grantee, Permissions, Policy,
    PolicyBuilder, Principal, PublicLink, Reason, ResourceId, ResourceKind, Role, RoleId, Status,
    Subject, TeamId, User, UserId, UserType, UserTypes,
};

/// A resource: its parent (`None` for a tenant root) and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDef {
    /// Index of the parent resource, or `None` for a tenant root.
    pub parent: Option<usize>,
    /// What the resource is.
    pub kind: ResourceKind,
}

/// A role: its own rules, the roles it inherits, who may hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDef {
    /// `(kinds, permissions)` rules; several rules for one kind add up.
    pub rules: Vec<(Vec<ResourceKind>, Permissions)>,
    /// Indices of the roles this one inherits (transitively).
    pub inherits: Vec<usize>,
    /// The user types that may hold the role, before what it inherits
    /// narrows them ([`Model::role_eligible`]).
    pub eligible: UserTypes,
}

/// A team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamDef {
    /// Index of the tenant root the team belongs to.
    pub tenant: usize,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDef {
    /// Index of the tenant root the account belongs to.
    pub tenant: usize,
    /// How the account exists.
    pub user_type: UserType,
    /// Whether it may act.
    pub status: Status,
    /// Channels narrowed below the type's, if at all.
    pub channels: Option<Channels>,
    /// Indices of the teams the user is in (of its own tenant).
    pub teams: Vec<usize>,
}

/// Who a grant is for, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// One user.
    User(usize),
    /// Every member of one team.
    Team(usize),
    /// Every active member of the scope's tenant.
    Everyone,
    /// Whoever holds a public link.
    Public,
}

/// A grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantDef {
    /// Who holds it.
    pub who: Who,
    /// Index of the resource it is made on.
    pub scope: usize,
    /// Index of the role it gives.
    pub role: usize,
    /// How it combines.
    pub effect: Effect,
}

/// An API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDef {
    /// Index of the owning user.
    pub owner: usize,
    /// The most the key may give.
    pub scope: Permissions,
    /// The subtree the key is limited to, if any.
    pub within: Option<usize>,
    /// When the key stops working (exclusive), if ever.
    pub expires_at: Option<u64>,
    /// Whether the key was revoked.
    pub revoked: bool,
}

/// A public link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkDef {
    /// Index of the resource the link points to.
    pub resource: usize,
    /// The most the link may give.
    pub permissions: Permissions,
    /// When the link stops working (exclusive), if ever.
    pub expires_at: Option<u64>,
    /// Whether the link was revoked.
    pub revoked: bool,
}

/// A whole model, as plain vectors that refer to each other by index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Model {
    /// The resource forest.
    pub resources: Vec<NodeDef>,
    /// The roles.
    pub roles: Vec<RoleDef>,
    /// The teams.
    pub teams: Vec<TeamDef>,
    /// The users.
    pub users: Vec<UserDef>,
    /// The grants.
    pub grants: Vec<GrantDef>,
    /// The API keys.
    pub keys: Vec<KeyDef>,
    /// The public links.
    pub links: Vec<LinkDef>,
    /// Permissions that need an MFA session.
    pub mfa_required: Permissions,
}

/// The name the builder knows resource `index` by.
pub fn resource_name(index: usize) -> String {
    format!("r{index}")
}

/// The name the builder knows role `index` by.
pub fn role_name(index: usize) -> String {
    format!("role{index}")
}

/// The name the builder knows team `index` by.
pub fn team_name(index: usize) -> String {
    format!("t{index}")
}

/// The name the builder knows user `index` by.
pub fn user_name(index: usize) -> String {
    format!("u{index}")
}

/// The name the builder knows API key `index` by.
pub fn key_name(index: usize) -> String {
    format!("k{index}")
}

/// The name the builder knows public link `index` by.
pub fn link_name(index: usize) -> String {
    format!("l{index}")
}

/// Declares `model` to a [`PolicyBuilder`], every entity in index order, so
/// that the compiled ids are the model's indices.
pub fn builder(model: &Model) -> PolicyBuilder {
    let mut builder = PolicyBuilder::new();
    for (index, node) in model.resources.iter().enumerate() {
        match node.parent {
            None => builder.tenant(resource_name(index), node.kind),
            Some(parent) => {
                builder.resource(resource_name(index), node.kind, resource_name(parent))
            }
        };
    }
    for (index, def) in model.roles.iter().enumerate() {
        let mut role = Role::new(role_name(index)).only_for(def.eligible);
        for (kinds, permissions) in &def.rules {
            role = role.allow(kinds.iter().copied(), *permissions);
        }
        for &parent in &def.inherits {
            role = role.inherits(role_name(parent));
        }
        builder.role(role);
    }
    for (index, team) in model.teams.iter().enumerate() {
        builder.team(team_name(index), resource_name(team.tenant));
    }
    for (index, def) in model.users.iter().enumerate() {
        let mut user = User::new(user_name(index), resource_name(def.tenant))
            .user_type(def.user_type)
            .status(def.status);
        if let Some(channels) = def.channels {
            user = user.channels(channels);
        }
        for &team in &def.teams {
            user = user.member_of(team_name(team));
        }
        builder.user(user);
    }
    for grant in &model.grants {
        let grantee = match grant.who {
            Who::User(user) => Grantee::user(user_name(user)),
            Who::Team(team) => Grantee::team(team_name(team)),
            Who::Everyone => Grantee::Everyone,
            Who::Public => Grantee::Public,
        };
        builder.grant(
            grantee,
            resource_name(grant.scope),
            role_name(grant.role),
            grant.effect,
        );
    }
    for (index, def) in model.keys.iter().enumerate() {
        let mut key = ApiKey::new(key_name(index), user_name(def.owner))
            .scope(def.scope)
            .revoked(def.revoked);
        if let Some(within) = def.within {
            key = key.within(resource_name(within));
        }
        if let Some(at) = def.expires_at {
            key = key.expires_at(at);
        }
        builder.api_key(key);
    }
    for (index, def) in model.links.iter().enumerate() {
        let mut link = PublicLink::new(
            link_name(index),
            resource_name(def.resource),
            def.permissions,
        )
        .revoked(def.revoked);
        if let Some(at) = def.expires_at {
            link = link.expires_at(at);
        }
        builder.link(link);
    }
    builder.mfa_required(model.mfa_required);
    builder
}

impl Model {
    /// The resource itself, its parent, its parent's parent, … up to and
    /// including its tenant root.
    pub fn path(&self, resource: usize) -> Vec<usize> {
        let mut path = vec![resource];
        let mut at = resource;
        while let Some(parent) = self.resources[at].parent {
            assert!(path.len() <= self.resources.len(), "the model has a cycle");
            path.push(parent);
            at = parent;
        }
        path
    }

    /// The tenant root of a resource.
    pub fn tenant_of(&self, resource: usize) -> usize {
        *self
            .path(resource)
            .last()
            .expect("a path holds at least the resource")
    }

    /// The permissions role `role` gives on a resource of `kind`: its own
    /// rules for that kind and, recursively, those of every role it inherits.
    pub fn role_permissions(&self, role: usize, kind: ResourceKind) -> Permissions {
        let def = &self.roles[role];
        let mut permissions = Permissions::empty();
        for (rule_kinds, rule_permissions) in &def.rules {
            if rule_kinds.contains(&kind) {
                permissions |= *rule_permissions;
            }
        }
        for &parent in &def.inherits {
            assert!(parent != role, "a role inherits itself");
            permissions |= self.role_permissions(parent, kind);
        }
        permissions
    }

    /// The user types that may hold `role`: those it and every role it
    /// inherits (transitively) are open to.
    pub fn role_eligible(&self, role: usize) -> UserTypes {
        let def = &self.roles[role];
        let mut open = def.eligible;
        for &parent in &def.inherits {
            assert!(parent != role, "a role inherits itself");
            open &= self.role_eligible(parent);
        }
        open
    }

    /// The channels user `user` may use: its type's, narrowed if asked.
    pub fn channels_of(&self, user: usize) -> Channels {
        let def = &self.users[user];
        let of_type = def.user_type.channels();
        match def.channels {
            Some(narrowed) => narrowed & of_type,
            None => of_type,
        }
    }

    /// The principals user `user` acts as: itself, each of its teams, and
    /// `Everyone`.
    pub fn principals_of_user(&self, user: usize) -> Vec<Who> {
        let mut principals = vec![Who::User(user)];
        for &team in &self.users[user].teams {
            if !principals.contains(&Who::Team(team)) {
                principals.push(Who::Team(team));
            }
        }
        principals.push(Who::Everyone);
        principals
    }

    /// The tenant a subject belongs to: the account's (a key's owner's), or
    /// the tenant of a link's resource; `None` for an unknown subject.
    pub fn tenant_of_subject(&self, subject: &Subject) -> Option<usize> {
        match subject.credential() {
            Credential::User(user) => self.users.get(user.index() as usize).map(|u| u.tenant),
            Credential::Key(key) => {
                let key = self.keys.get(key.index() as usize)?;
                self.users.get(key.owner).map(|u| u.tenant)
            }
            Credential::Link(link) => {
                let link = self.links.get(link.index() as usize)?;
                Some(self.tenant_of(link.resource))
            }
        }
    }
}

/// Who is asking, once steps 1 to 4 passed.
struct Admitted {
    /// The principals the subject acts as.
    principals: Vec<Who>,
    /// The key's scope, the link's permissions, or everything for a user.
    ceiling: Permissions,
    /// The subtree the key or link is limited to.
    within: Option<usize>,
    /// Whether the subject is a public link (for the ceiling reasons).
    is_link: bool,
    /// The subject's user type (`Public` for a link), for role eligibility.
    user_type: UserType,
}

/// A grant met on the walk up, and where.
#[derive(Debug, Clone, Copy)]
struct Seen {
    /// How many steps above the resource the grant's scope is (0: the resource).
    depth: usize,
    /// Index of the grant in the model.
    grant: usize,
    /// The grant's role's permissions for the kind of the resource asked about.
    permissions: Permissions,
}

/// What steps 5 and 6 found on the path from the resource to its root.
struct Findings {
    /// The path, from the resource up to its root.
    path: Vec<usize>,
    /// Union of the counted allow and override grants (step 5).
    allow: Permissions,
    /// Union of the deny grants (step 6).
    deny: Permissions,
    /// Whether any allow or override grant (counted or cut off) is on the path.
    matched_allow: bool,
    /// The allow and override grants that count.
    counted: Vec<Seen>,
    /// The allow and override grants above their principal's first override.
    cut_off: Vec<Seen>,
    /// The deny grants.
    denies: Vec<Seen>,
}

/// The reference evaluator over one model.
pub struct Reference<'m> {
    model: &'m Model,
    /// The compiled id of each role, looked up by name in the policy built
    /// from the same model ([`RoleId`] has no public constructor).
    role_ids: Vec<RoleId>,
}

impl<'m> Reference<'m> {
    /// A reference evaluator for `model`; `policy` must be built from
    /// [`builder`]`(model)` and is used only to name roles by their ids.
    pub fn new(model: &'m Model, policy: &Policy) -> Reference<'m> {
        let role_ids = (0..model.roles.len())
            .map(|index| {
                policy
                    .role_id(&role_name(index))
                    .expect("every role of the model is in the policy")
            })
            .collect();
        Reference { model, role_ids }
    }

    /// `authorize`, the plain way: the first failing step of DESIGN.md
    /// section 2 decides.
    pub fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Reason {
        let needed = action.permissions();
        let admitted = match self.admit(subject, resource) {
            Ok(admitted) => admitted,
            Err(reason) => return reason,
        };
        let findings = self.walk(&admitted, resource.index() as usize);
        // Decision change (b): the subtree first. DESIGN.md: in step 7 below.
        if let Some(reason) = out_of_scope(&admitted, &findings) {
            return reason;
        }
        if needed.is_empty() {
            return Reason::EmptyAction;
        }

        // Step 5: the grants must supply every needed bit.
        if !findings.allow.contains(needed) {
            let missing = needed - findings.allow;
            // Decision change (a): deny grants alone are no membership.
            // DESIGN.md: any grant of the subject's, a deny included.
            if !findings.matched_allow {
                return Reason::NotMember;
            }
            let cut_off = self.nearest(&findings.cut_off, missing);
            if let Some(seen) = cut_off {
                let who = self.model.grants[seen.grant].who;
                let at = self.first_override(&findings.path, who, admitted.user_type);
                return Reason::Overridden {
                    at: ResourceId::from_index(at as u32),
                };
            }
            return Reason::RoleLacks { missing };
        }

        // Step 6: deny wins.
        if let Some(seen) = self.nearest(&findings.denies, needed) {
            let grant = &self.model.grants[seen.grant];
            return Reason::Denied {
                at: ResourceId::from_index(grant.scope as u32),
                principal: principal(grant.who),
            };
        }

        // Step 7: ceilings (the subtree was checked first, see above).
        let beyond = needed - admitted.ceiling;
        if !beyond.is_empty() {
            return if admitted.is_link {
                Reason::LinkLacks { missing: beyond }
            } else {
                Reason::KeyLacks { missing: beyond }
            };
        }
        if !subject.mfa() && needed.intersects(self.model.mfa_required) {
            return Reason::MfaRequired {
                missing: needed & self.model.mfa_required,
            };
        }

        // Step 8: allowed, by the nearest grant that supplied a needed bit.
        let seen = self
            .nearest(&findings.counted, needed)
            .expect("the needed bits are non-empty and all allowed, so a counted grant gave one");
        let grant = &self.model.grants[seen.grant];
        Reason::Granted {
            principal: principal(grant.who),
            scope: ResourceId::from_index(grant.scope as u32),
            role: self.role_ids[grant.role],
        }
    }

    /// `effective`, the plain way: the same steps, every bit at once.
    pub fn effective(&self, subject: &Subject, resource: ResourceId) -> Permissions {
        let Ok(admitted) = self.admit(subject, resource) else {
            return Permissions::empty();
        };
        let findings = self.walk(&admitted, resource.index() as usize);
        if let Some(within) = admitted.within {
            if !findings.path.contains(&within) {
                return Permissions::empty();
            }
        }
        let mut permissions = (findings.allow - findings.deny) & admitted.ceiling;
        if !subject.mfa() {
            permissions -= self.model.mfa_required;
        }
        permissions
    }

    /// Steps 1 to 4: the subject known, its own state (lifecycle, key or
    /// link, channel), the resource known, its tenant.
    fn admit(&self, subject: &Subject, resource: ResourceId) -> Result<Admitted, Reason> {
        let model = self.model;
        let resource = resource.index() as usize;
        let resource_known = resource < model.resources.len();
        let now = subject.now();
        match subject.credential() {
            Credential::User(user) => {
                let user = user.index() as usize;
                let Some(def) = model.users.get(user) else {
                    return Err(Reason::UnknownSubject);
                };
                account_may_act(def.status, now)?;
                let channel = subject.channel();
                if !model.channels_of(user).contains(channel.as_set()) {
                    return Err(Reason::ChannelNotAllowed { channel });
                }
                if !resource_known {
                    return Err(Reason::UnknownResource);
                }
                if model.tenant_of(resource) != def.tenant {
                    return Err(Reason::WrongTenant);
                }
                Ok(Admitted {
                    principals: model.principals_of_user(user),
                    ceiling: Permissions::all(),
                    within: None,
                    is_link: false,
                    user_type: def.user_type,
                })
            }
            Credential::Key(key) => {
                let Some(key) = model.keys.get(key.index() as usize) else {
                    return Err(Reason::UnknownSubject);
                };
                let Some(owner) = model.users.get(key.owner) else {
                    return Err(Reason::UnknownSubject);
                };
                account_may_act(owner.status, now)?;
                if key.revoked {
                    return Err(Reason::KeyRevoked);
                }
                if let Some(at) = key.expires_at {
                    match now {
                        None => return Err(Reason::TimeUnknown),
                        Some(now) if now >= at => return Err(Reason::KeyExpired),
                        Some(_) => {}
                    }
                }
                // A key implies the API channel.
                if !model.channels_of(key.owner).contains(Channels::API) {
                    return Err(Reason::ChannelNotAllowed {
                        channel: Channel::Api,
                    });
                }
                if !resource_known {
                    return Err(Reason::UnknownResource);
                }
                if model.tenant_of(resource) != owner.tenant {
                    return Err(Reason::WrongTenant);
                }
                Ok(Admitted {
                    principals: model.principals_of_user(key.owner),
                    ceiling: key.scope,
                    within: key.within,
                    is_link: false,
                    user_type: owner.user_type,
                })
            }
            Credential::Link(link) => {
                let Some(link) = model.links.get(link.index() as usize) else {
                    return Err(Reason::UnknownSubject);
                };
                if link.revoked {
                    return Err(Reason::LinkRevoked);
                }
                if let Some(at) = link.expires_at {
                    match now {
                        None => return Err(Reason::TimeUnknown),
                        Some(now) if now >= at => return Err(Reason::LinkExpired),
                        Some(_) => {}
                    }
                }
                // A link implies the link channel.
                if subject.channel() != Channel::Link {
                    return Err(Reason::ChannelNotAllowed {
                        channel: subject.channel(),
                    });
                }
                if !resource_known {
                    return Err(Reason::UnknownResource);
                }
                if model.tenant_of(resource) != model.tenant_of(link.resource) {
                    return Err(Reason::WrongTenant);
                }
                Ok(Admitted {
                    principals: vec![Who::Public],
                    ceiling: link.permissions,
                    within: Some(link.resource),
                    is_link: true,
                    user_type: UserType::Public,
                })
            }
        }
    }

    /// Steps 5 and 6: each principal on its own walks from the resource up,
    /// until and including its first override node.
    fn walk(&self, admitted: &Admitted, resource: usize) -> Findings {
        let model = self.model;
        let kind = model.resources[resource].kind;
        let path = model.path(resource);
        let mut findings = Findings {
            path: path.clone(),
            allow: Permissions::empty(),
            deny: Permissions::empty(),
            matched_allow: false,
            counted: Vec::new(),
            cut_off: Vec::new(),
            denies: Vec::new(),
        };
        for &who in &admitted.principals {
            let mut overridden = false;
            for (depth, &node) in path.iter().enumerate() {
                let mut override_here = false;
                for (index, grant) in model.grants.iter().enumerate() {
                    if grant.who != who || grant.scope != node {
                        continue;
                    }
                    let open_to = model.role_eligible(grant.role);
                    if grant.effect != Effect::Deny
                        && !open_to.contains(admitted.user_type.as_set())
                    {
                        // This type of account may not hold the role.
                        continue;
                    }
                    if grant.effect != Effect::Deny {
                        findings.matched_allow = true;
                    }
                    let seen = Seen {
                        depth,
                        grant: index,
                        permissions: model.role_permissions(grant.role, kind),
                    };
                    match grant.effect {
                        Effect::Deny => {
                            findings.deny |= seen.permissions;
                            findings.denies.push(seen);
                        }
                        Effect::Allow | Effect::Override if overridden => {
                            findings.cut_off.push(seen);
                        }
                        Effect::Allow | Effect::Override => {
                            findings.allow |= seen.permissions;
                            findings.counted.push(seen);
                            if grant.effect == Effect::Override {
                                override_here = true;
                            }
                        }
                    }
                }
                // The override counts; the principal's grants above it do not.
                if override_here {
                    overridden = true;
                }
            }
        }
        findings
    }

    /// The nearest of `grants` whose permissions meet `bits`: lowest depth,
    /// then first in (principal, effect, role) order.
    fn nearest(&self, grants: &[Seen], bits: Permissions) -> Option<Seen> {
        let order = |seen: &Seen| {
            let grant = &self.model.grants[seen.grant];
            (seen.depth, principal(grant.who), grant.effect, grant.role)
        };
        grants
            .iter()
            .filter(|seen| seen.permissions.intersects(bits))
            .min_by_key(|seen| order(seen))
            .copied()
    }

    /// The nearest resource on `path` holding an override grant for `who`
    /// whose role reaches accounts of `user_type`.
    fn first_override(&self, path: &[usize], who: Who, user_type: UserType) -> usize {
        path.iter()
            .copied()
            .find(|&node| {
                self.model.grants.iter().any(|grant| {
                    grant.who == who
                        && grant.scope == node
                        && grant.effect == Effect::Override
                        && self
                            .model
                            .role_eligible(grant.role)
                            .contains(user_type.as_set())
                })
            })
            .expect("a cut-off grant has an override of its principal below it")
    }
}

/// The reason a key or link may not act on a resource outside its subtree.
fn out_of_scope(admitted: &Admitted, findings: &Findings) -> Option<Reason> {
    let within = admitted.within?;
    if findings.path.contains(&within) {
        return None;
    }
    Some(if admitted.is_link {
        Reason::LinkOutOfScope
    } else {
        Reason::KeyOutOfScope
    })
}

/// Step 2 for an account: only `Active` may act.
fn account_may_act(status: Status, now: Option<u64>) -> Result<(), Reason> {
    match status {
        Status::Active => Ok(()),
        Status::Suspended => Err(Reason::Suspended),
        Status::Deactivated => Err(Reason::Deactivated),
        Status::Invited { until } => match now {
            None => Err(Reason::TimeUnknown),
            Some(now) if now < until => Err(Reason::InvitationPending),
            Some(_) => Err(Reason::InvitationExpired),
        },
    }
}

/// The compiled principal of a model principal (ids are indices).
pub fn principal(who: Who) -> Principal {
    match who {
        Who::User(user) => Principal::User(UserId::from_index(user as u32)),
        Who::Team(team) => Principal::Team(TeamId::from_index(team as u32)),
        Who::Everyone => Principal::Everyone,
        Who::Public => Principal::Public,
    }
}
