//! Change errors: why [`Policy::apply`](crate::Policy::apply) refused a
//! change ([`ChangeError`], [`ChangeProblem`]), the problems' stable codes
//! and classes, and the form their author may be told.
//!
//! This file owns those types, their words and codes. It must never decide
//! whether a change is refused (the changes do), never rename or reuse a
//! code, and never let [`ChangeProblem::for_caller`] tell another tenant's
//! entity from a missing one.

use alloc::boxed::Box;
use alloc::string::{String, ToString};

use super::build::ChannelsBeyondType;
use super::{Entity, Problem};
use crate::decision::Reason;
use crate::directory::{Channels, Status, UserType};

/// Why [`Policy::apply`](crate::Policy::apply) or
/// [`Policy::apply_all`](crate::Policy::apply_all) refused a change. The
/// policy is then exactly as it was before the call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("change #{index} ({change}) refused: {problem}")]
pub struct ChangeError {
    index: usize,
    change: String,
    // Boxed: the error stays small on the success path of `apply`.
    problem: Box<ChangeProblem>,
}

impl ChangeError {
    pub(crate) fn new(index: usize, change: String, problem: ChangeProblem) -> ChangeError {
        ChangeError {
            index,
            change,
            problem: Box::new(problem),
        }
    }

    /// The position of the refused change in its batch (0 for
    /// [`apply`](crate::Policy::apply)).
    #[must_use]
    pub fn index(&self) -> usize {
        self.index
    }

    /// The refused change, described for people.
    #[must_use]
    pub fn change(&self) -> &str {
        &self.change
    }

    /// What is wrong with it.
    #[must_use]
    pub fn problem(&self) -> &ChangeProblem {
        &self.problem
    }

    /// The problem's stable code ([`ChangeProblem::code`]); for a change
    /// refused to its author, the reason's ([`Reason::code`]).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.problem.code()
    }

    /// What kind of answer the error is ([`ChangeProblem::class`]): a
    /// change refused to its author takes its reason's class; an unknown
    /// name is `NotFound`; a malformed or conflicting change is `Invalid`.
    #[must_use]
    pub fn class(&self) -> crate::Class {
        self.problem.class()
    }

    /// The error as the author of the change may be told it: the same,
    /// with [`ChangeProblem::for_caller`]'s problem, in which anything of
    /// another tenant than the author's reads exactly as a name nothing
    /// has. Log the error itself; answer the author with this.
    ///
    /// A change with an author ([`Change::Grant`](crate::Change::Grant) or
    /// [`Change::Revoke`](crate::Change::Revoke) with `by`) checks that its
    /// scope and grantee are known in the author's tenant before anything
    /// else about them or about the author's rights, so neither the problem
    /// nor the order of the checks tells another tenant's resource, user or
    /// team from a missing one. A change without an author is the host's
    /// own: its precise error has no one to be hidden from, and it is
    /// reported against the tenant the change is in; should the host relay
    /// it to someone, this form hides the crossing all the same.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let mut policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .tenant("globex", ResourceKind::Organization)
    ///     .resource("merger", ResourceKind::Folder, "globex")
    ///     .role(Role::new("viewer").allow_everywhere(Permissions::VIEW))
    ///     .user(User::new("eve", "acme"))
    ///     .build()?;
    /// let on = |scope: &str| Change::Grant {
    ///     grantee: Grantee::Everyone,
    ///     scope: scope.into(),
    ///     role: "viewer".into(),
    ///     effect: Effect::Allow,
    ///     when: Condition::Always,
    ///     by: Some(Author::web("eve", 1_700_000_000)),
    /// };
    /// let theirs = policy.apply(on("merger")).unwrap_err();
    /// let nowhere = policy.apply(on("nowhere")).unwrap_err();
    /// // For the logs: `resource "merger" belongs to tenant "globex", not "acme"; ...`
    /// assert!(matches!(theirs.problem(), ChangeProblem::CrossesTenants { .. }));
    /// // For eve: the same as for a folder that does not exist.
    /// assert_eq!(theirs.for_caller().to_string().replace("merger", "nowhere"), nowhere.for_caller().to_string());
    /// assert!(matches!(theirs.for_caller().problem(), ChangeProblem::Unknown { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn for_caller(&self) -> ChangeError {
        ChangeError {
            index: self.index,
            change: self.change.clone(),
            problem: Box::new(self.problem.for_caller()),
        }
    }
}

/// What is wrong with a refused [`Change`](crate::Change).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChangeProblem {
    /// The change names something the policy does not hold.
    #[error("unknown {entity} {name:?}")]
    Unknown {
        /// The kind of entity.
        entity: Entity,
        /// The name.
        name: String,
    },
    /// The change adds something whose name is taken.
    #[error("{entity} {name:?} exists already; names must be unique per kind")]
    DuplicateName {
        /// The kind of entity.
        entity: Entity,
        /// The name.
        name: String,
    },
    /// A tenant was expected (a resource without a parent).
    #[error("{name:?} is not a tenant (a resource without a parent)")]
    NotATenant {
        /// The resource.
        name: String,
    },
    /// A tenant root cannot be moved.
    #[error("{name:?} is a tenant root and cannot be moved")]
    TenantRoot {
        /// The resource.
        name: String,
    },
    /// The change would connect two tenants, or its author names something
    /// of another tenant than his.
    ///
    /// The precise problem, for the host's logs: it confirms that `name`
    /// exists in `other_tenant`. What an author is told is
    /// [`for_caller`](ChangeProblem::for_caller)'s
    /// [`Unknown`](ChangeProblem::Unknown) of the same entity and name.
    #[error(
        "{entity} {name:?} belongs to tenant {other_tenant:?}, not {tenant:?}; nothing may cross tenants"
    )]
    CrossesTenants {
        /// The kind of the entity in the other tenant.
        entity: Entity,
        /// Its name.
        name: String,
        /// The tenant the change is in: its author's for a change with an
        /// author, else the tenant of what the change is about (the
        /// grant's scope, the moved resource, the key's owner, ...).
        tenant: String,
        /// The tenant of `name`.
        other_tenant: String,
    },
    /// The move would put a resource below itself.
    #[error("moving {name:?} under {parent:?} would put it inside itself")]
    Cycle {
        /// The resource moved.
        name: String,
        /// Its would-be parent, inside its subtree.
        parent: String,
    },
    /// A role would be held by a user whose type may not hold it.
    #[error("role {role:?} may not be held by {user_type} user {user:?}")]
    IneligibleRole {
        /// The role.
        role: String,
        /// The user (or "the public").
        user: String,
        /// Its type.
        user_type: UserType,
    },
    /// A user is given channels its type may never use.
    #[error("{}", ChannelsBeyondType { user, user_type: *user_type, extra: *extra })]
    ChannelsNotAllowed {
        /// The user.
        user: String,
        /// Its type.
        user_type: UserType,
        /// The channels beyond those of the type.
        extra: Channels,
    },
    /// A user would be in more teams than a decision can track.
    #[error("user {user:?} would be in more than {max} teams")]
    TooManyTeams {
        /// The user.
        user: String,
        /// The limit.
        max: usize,
    },
    /// More entities than ids can number.
    #[error("too many {entity}s: at most {max}")]
    TooMany {
        /// The kind of entity.
        entity: Entity,
        /// The limit.
        max: usize,
    },
    /// The user is already in the team.
    #[error("user {user:?} is already in team {team:?}")]
    AlreadyMember {
        /// The user.
        user: String,
        /// The team.
        team: String,
    },
    /// The user is not in the team.
    #[error("user {user:?} is not in team {team:?}")]
    NotInTeam {
        /// The user.
        user: String,
        /// The team.
        team: String,
    },
    /// The user's status does not allow this change.
    #[error("user {user:?} is {status}, not {expected}")]
    WrongStatus {
        /// The user.
        user: String,
        /// Its status.
        status: Status,
        /// The statuses the change needs.
        expected: &'static str,
    },
    /// The invitation expired before it was accepted.
    #[error("the invitation of {user:?} expired before it was accepted; invite again")]
    InvitationExpired {
        /// The user.
        user: String,
    },
    /// Every licence seat is taken.
    #[error("{used} users would hold a licence seat, over the limit of {limit}; deactivate a user or raise the limit")]
    SeatsExceeded {
        /// The seat limit.
        limit: u32,
        /// The seats that would be taken.
        used: usize,
    },
    /// The same grant exists already.
    #[error("the grant exists already")]
    AlreadyGranted,
    /// No such grant exists.
    #[error("no such grant exists")]
    NotGranted,
    /// The entity is still used by others; remove those first.
    #[error("{entity} {name:?} is still used by {by}")]
    InUse {
        /// The kind of entity.
        entity: Entity,
        /// The entity.
        name: String,
        /// What uses it.
        by: String,
    },
    /// The API key or link is revoked already: revoking it again would
    /// change nothing, so it is refused rather than logged as a change.
    #[error("{entity} {name:?} is revoked already")]
    AlreadyRevoked {
        /// [`Entity::Key`] or [`Entity::Link`].
        entity: Entity,
        /// Its name.
        name: String,
    },
    /// The policy is at
    /// [`PolicyDocument::MAX_REVISION`](crate::PolicyDocument::MAX_REVISION),
    /// the largest revision a snapshot may hold, so no change may follow
    /// (its snapshot would no longer load). Only a document written at the
    /// limit leads here.
    #[error(
        "the policy is at revision {revision}, the last a snapshot can hold; no change may follow"
    )]
    RevisionLimit {
        /// The policy's revision.
        revision: u64,
    },
    /// The invitation is expired already, whatever the time (by an
    /// earlier [`ExpireInvitation`](crate::Change::ExpireInvitation), or
    /// sent to expire at time 0): expiring it again would change nothing,
    /// so it is refused rather than logged as a change.
    #[error("the invitation of {user:?} is expired already")]
    AlreadyExpired {
        /// The invited user.
        user: String,
    },
    /// The change would alter a protected account
    /// ([`User::protected`](crate::User::protected)): suspend, deactivate
    /// or remove it, change its type, channels, labels or teams, or narrow
    /// what it holds. No author, and no change without one, may.
    #[error("user {user:?} is protected: it cannot be {what}")]
    Protected {
        /// The protected account.
        user: String,
        /// What the change would do to it ("suspended", "removed from
        /// team \"ops\"", ...).
        what: String,
    },
    /// The change would leave an account without a role the model
    /// requires of it
    /// ([`PolicyBuilder::require_role`](crate::PolicyBuilder::require_role),
    /// [`require_role_on_each`](crate::PolicyBuilder::require_role_on_each)),
    /// by whatever path: a revoke, a deny, an override, a membership, a
    /// new type, or a resource of the kind a role is required on added or
    /// moved where the account does not hold it.
    #[error("user {user:?} would lack the role {role:?} required of it")]
    RequiredRole {
        /// The account (the first one the change would leave without it).
        user: String,
        /// The required role.
        role: String,
    },
    /// The change would leave a user in none, or more than one, of a set
    /// of exclusive teams
    /// ([`PolicyBuilder::exclusive_teams`](crate::PolicyBuilder::exclusive_teams));
    /// move it from one to another with
    /// [`Change::MoveMembership`](crate::Change::MoveMembership).
    #[error("user {user:?} would be in {count} of the exclusive teams {teams:?}; every user of their tenant is in exactly one")]
    NotInExactlyOneTeam {
        /// The user.
        user: String,
        /// The exclusive teams.
        teams: alloc::vec::Vec<String>,
        /// How many of them the user would be in.
        count: usize,
    },
    /// The author of an authorized change may not make it.
    #[error("{author:?} may not make this change: {explanation}")]
    Refused {
        /// The author.
        author: String,
        /// Why, as a decision explains it.
        reason: Reason,
        /// The reason's sentence with the entities it mentions named, as
        /// [`Policy::explain`](crate::Policy::explain) writes it (written
        /// when the change is refused, while the policy is at hand).
        explanation: String,
    },
    /// The model would be invalid (for example, a role inheritance cycle).
    #[error(transparent)]
    Invalid(Problem),
}

impl ChangeProblem {
    /// A stable `snake_case` identifier of the problem (never renamed or
    /// reused), for logs and the `code` of a
    /// [`CallerExplanation`](crate::CallerExplanation). A
    /// [`Refused`](ChangeProblem::Refused) change has its reason's
    /// [`code`](Reason::code) (`would_escalate`, `denied`, …); the other
    /// codes differ from every reason's:
    ///
    /// `unknown_name`, `duplicate_name`, `not_a_tenant`, `tenant_root`,
    /// `crosses_tenants`, `cycle`, `ineligible`, `channels_not_allowed`,
    /// `too_many_teams`, `too_many`, `already_member`, `not_in_team`,
    /// `wrong_status`, `expired_invitation`, `seat_limit`,
    /// `already_granted`, `not_granted`, `in_use`, `already_revoked`,
    /// `revision_limit`, `already_expired`, `protected`, `required_role`,
    /// `not_in_exactly_one_team`, `invalid_model`.
    ///
    /// `crosses_tenants` is for the host's logs: its
    /// [`for_caller`](ChangeProblem::for_caller) form is `unknown_name`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            ChangeProblem::Unknown { .. } => "unknown_name",
            ChangeProblem::DuplicateName { .. } => "duplicate_name",
            ChangeProblem::NotATenant { .. } => "not_a_tenant",
            ChangeProblem::TenantRoot { .. } => "tenant_root",
            ChangeProblem::CrossesTenants { .. } => "crosses_tenants",
            ChangeProblem::Cycle { .. } => "cycle",
            ChangeProblem::IneligibleRole { .. } => "ineligible",
            ChangeProblem::ChannelsNotAllowed { .. } => "channels_not_allowed",
            ChangeProblem::TooManyTeams { .. } => "too_many_teams",
            ChangeProblem::TooMany { .. } => "too_many",
            ChangeProblem::AlreadyMember { .. } => "already_member",
            ChangeProblem::NotInTeam { .. } => "not_in_team",
            ChangeProblem::WrongStatus { .. } => "wrong_status",
            ChangeProblem::InvitationExpired { .. } => "expired_invitation",
            ChangeProblem::SeatsExceeded { .. } => "seat_limit",
            ChangeProblem::AlreadyGranted => "already_granted",
            ChangeProblem::NotGranted => "not_granted",
            ChangeProblem::InUse { .. } => "in_use",
            ChangeProblem::AlreadyRevoked { .. } => "already_revoked",
            ChangeProblem::RevisionLimit { .. } => "revision_limit",
            ChangeProblem::AlreadyExpired { .. } => "already_expired",
            ChangeProblem::Protected { .. } => "protected",
            ChangeProblem::RequiredRole { .. } => "required_role",
            ChangeProblem::NotInExactlyOneTeam { .. } => "not_in_exactly_one_team",
            ChangeProblem::Refused { reason, .. } => reason.code(),
            ChangeProblem::Invalid(_) => "invalid_model",
        }
    }

    /// What kind of answer the problem is
    /// ([`Class`](crate::Class)):
    ///
    /// - a [`Refused`](ChangeProblem::Refused) change: its reason's
    ///   [`class`](Reason::class) (mostly `Forbidden`);
    /// - a name nothing has, or one of another tenant
    ///   ([`Unknown`](ChangeProblem::Unknown),
    ///   [`CrossesTenants`](ChangeProblem::CrossesTenants)), and removing a
    ///   grant or membership that does not exist
    ///   ([`NotGranted`](ChangeProblem::NotGranted),
    ///   [`NotInTeam`](ChangeProblem::NotInTeam)): `NotFound`;
    /// - everything else (a taken name, a cycle, a grant that exists, a
    ///   wrong status, the seat limit, a protected account, an invalid
    ///   model, …): `Invalid`, a
    ///   change that is malformed or conflicts with the policy.
    ///
    /// A problem and its `for_caller` form have the same class.
    #[must_use]
    pub fn class(&self) -> crate::Class {
        use crate::Class;
        match self {
            ChangeProblem::Refused { reason, .. } => reason.class(),
            ChangeProblem::Unknown { .. }
            | ChangeProblem::CrossesTenants { .. }
            | ChangeProblem::NotGranted
            | ChangeProblem::NotInTeam { .. } => Class::NotFound,
            ChangeProblem::DuplicateName { .. }
            | ChangeProblem::NotATenant { .. }
            | ChangeProblem::TenantRoot { .. }
            | ChangeProblem::Cycle { .. }
            | ChangeProblem::IneligibleRole { .. }
            | ChangeProblem::ChannelsNotAllowed { .. }
            | ChangeProblem::TooManyTeams { .. }
            | ChangeProblem::TooMany { .. }
            | ChangeProblem::AlreadyMember { .. }
            | ChangeProblem::WrongStatus { .. }
            | ChangeProblem::InvitationExpired { .. }
            | ChangeProblem::SeatsExceeded { .. }
            | ChangeProblem::AlreadyGranted
            | ChangeProblem::InUse { .. }
            | ChangeProblem::AlreadyRevoked { .. }
            | ChangeProblem::RevisionLimit { .. }
            | ChangeProblem::AlreadyExpired { .. }
            | ChangeProblem::Protected { .. }
            | ChangeProblem::RequiredRole { .. }
            | ChangeProblem::NotInExactlyOneTeam { .. }
            | ChangeProblem::Invalid(_) => Class::Invalid,
        }
    }

    /// The problem as the author of the change may be told it: the same,
    /// except that something of another tenant reads exactly as a name
    /// nothing has (same problem, same text): a
    /// [`CrossesTenants`](ChangeProblem::CrossesTenants) becomes the
    /// [`Unknown`](ChangeProblem::Unknown) of its entity and name, and a
    /// [`Refused`](ChangeProblem::Refused) carries
    /// [`Reason::for_caller`]'s reason. See [`ChangeError::for_caller`].
    #[must_use]
    pub fn for_caller(&self) -> ChangeProblem {
        match self {
            ChangeProblem::CrossesTenants { entity, name, .. } => ChangeProblem::Unknown {
                entity: *entity,
                name: name.clone(),
            },
            ChangeProblem::Refused {
                author,
                reason,
                explanation,
            } => {
                let told = reason.for_caller();
                ChangeProblem::Refused {
                    author: author.clone(),
                    reason: told,
                    // A reason `for_caller` changes becomes one that names
                    // no entity, so its sentence needs no names.
                    explanation: if told == *reason {
                        explanation.clone()
                    } else {
                        told.to_string()
                    },
                }
            }
            other => other.clone(),
        }
    }
}
