//! The rules a model must keep, each written once and checked on both
//! sides: by the [builder](crate::PolicyBuilder), which reports a
//! [`Problem`](crate::Problem) and goes on looking, and by
//! [changes](crate::Change), which refuse with a
//! [`ChangeProblem`](crate::ChangeProblem) (documents are read through
//! the builder, so they keep them too). The rules: which channels a user
//! may use and how many teams it may be in, that a reference stays in
//! its tenant, who may hold a role, and how many licence seats are taken.
//!
//! Owns: the conditions. Must never: make an error value (each side maps
//! the answer to its own, so that messages stay what they were), write a
//! policy, or decide a request.

use alloc::vec::Vec;

use crate::directory::{Channels, UserType, UserTypes};
use crate::grant::Effect;
use crate::label::Labels;
use crate::resource::ResourceId;

use super::{Audience, Seats, State, UserRecord, MAX_TEAMS_PER_USER};

/// A user asked for channels its type does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ChannelsBeyond {
    /// The channels asked for that the type does not allow.
    pub(crate) extra: Channels,
    /// The channels asked for that it does: what the builder keeps while
    /// it looks for more problems.
    pub(crate) allowed: Channels,
}

/// The channels a user of `user_type` may use when it asks for `asked`
/// (`None`: every channel of its type). Asking for more than the type
/// allows is refused, never narrowed silently.
pub(crate) fn user_channels(
    user_type: UserType,
    asked: Option<Channels>,
) -> Result<Channels, ChannelsBeyond> {
    let type_channels = user_type.channels();
    match asked {
        Some(asked) if !type_channels.contains(asked) => Err(ChannelsBeyond {
            extra: asked - type_channels,
            allowed: asked & type_channels,
        }),
        Some(asked) => Ok(asked),
        None => Ok(type_channels),
    }
}

/// Whether a user in `teams` teams is in too many: a decision tracks
/// overrides per principal in one `u128` ([`MAX_TEAMS_PER_USER`]).
pub(crate) fn too_many_teams(teams: usize) -> bool {
    teams > MAX_TEAMS_PER_USER
}

/// A set of teams of one tenant of which every user of the tenant is in
/// exactly one ([`PolicyBuilder::exclusive_teams`](crate::PolicyBuilder::exclusive_teams)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExclusiveTeams {
    /// The tenant the teams belong to.
    pub(crate) tenant: u32,
    /// The teams, sorted.
    pub(crate) teams: Vec<u32>,
}

/// The first set of `sets` that a user of `tenant` in `teams` (sorted)
/// breaks, with how many of its teams the user is in (not one).
pub(crate) fn exclusive_breach<'s>(
    sets: &'s [ExclusiveTeams],
    tenant: u32,
    teams: &[u32],
) -> Option<(&'s ExclusiveTeams, usize)> {
    sets.iter()
        .filter(|set| set.tenant == tenant)
        .map(|set| {
            let count = set
                .teams
                .iter()
                .filter(|team| teams.binary_search(team).is_ok())
                .count();
            (set, count)
        })
        .find(|&(_, count)| count != 1)
}

/// Whether something of tenant `theirs` (a team, a user, a resource)
/// used in tenant `ours` crosses tenants. A tenant that did not resolve
/// (`None`) crosses nothing: whatever failed to resolve was reported.
pub(crate) fn crosses_tenants(theirs: Option<ResourceId>, ours: Option<ResourceId>) -> bool {
    matches!((theirs, ours), (Some(theirs), Some(ours)) if theirs != ours)
}

/// Who may hold role `role`, from each role's flattened eligibility
/// (every type for an id without one).
pub(crate) fn role_eligibility(role_eligible: &[UserTypes], role: u32) -> UserTypes {
    role_eligible
        .get(role as usize)
        .copied()
        .unwrap_or(UserTypes::all())
}

/// Whether a user of `user_type` may hold a grant with `effect` of a role
/// open to `open`: the rule decisions apply
/// ([`Audience::may_hold`]), so that what the builder and changes accept
/// is what a decision gives. A deny reaches every type.
pub(crate) fn may_hold(user_type: UserType, effect: Effect, open: UserTypes) -> bool {
    let audience = Audience {
        user_type: user_type.as_set(),
        labels: Labels::empty(),
    };
    audience.may_hold(effect, open)
}

/// Whether `user` takes one of `seats`: live, active and of a counted type.
pub(crate) fn takes_seat(seats: Seats, user: &UserRecord) -> bool {
    user.is_live() && user.state() == State::Active && seats.counted.contains(user.user_types())
}

/// How many of `seats` `users` take.
pub(crate) fn seats_used(users: &[UserRecord], seats: Seats) -> usize {
    users.iter().filter(|user| takes_seat(seats, user)).count()
}

/// Whether `used` seats are more than `seats` allows: a model, or a new
/// limit, that would leave the licence short.
pub(crate) fn over_seats(seats: Seats, used: usize) -> bool {
    used > seats.limit as usize
}

/// Whether one more active user of `user_type` fits `seats`, `used` of
/// them taken.
pub(crate) fn seat_for(seats: Seats, used: usize, user_type: UserType) -> bool {
    !(seats.counted.contains(user_type.as_set()) && used >= seats.limit as usize)
}
