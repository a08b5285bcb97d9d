//! The compiled policy and the hot path: [`Policy::authorize`] and
//! [`Policy::effective`]. The layout, and why it is fast, is documented on
//! [`Policy`]; the evaluation order on [`Policy::authorize`].

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::decision::{write_reason, Decision, Names, Reason};
use crate::directory::{
    Channel, Channels, KeyId, LinkId, Status, TeamId, UserId, UserType, UserTypes,
};
use crate::grant::{Effect, Principal};
use crate::label::{Condition, Labels};
use crate::names::NameTable;
use crate::permission::{Action, Permissions};
use crate::resource::{ResourceId, ResourceKind};
use crate::role::{Flattened, Role, RoleId};
use crate::subject::{Credential, Subject, NO_TIME};

pub(crate) use crate::NONE;

/// The tenant of a removed resource, user or team, and the owner of a
/// removed key: never a valid id, so every lookup of it fails.
pub(crate) const REMOVED: u32 = NONE - 1;

/// How many teams one user may be in: a decision tracks overrides per
/// principal in one `u128` (the user, `Everyone`, and up to this many teams).
pub const MAX_TEAMS_PER_USER: usize = 126;

/// [`Node::wide`] of a node without a wide filter. [`Policy::wide_filters`]
/// never holds more than this many filters, so the index never names one.
pub(crate) const NO_WIDE: u16 = u16::MAX;

/// Gives `node` the wide filter of its long `run`: rewritten in place when
/// the node has one, else appended while `filters` holds fewer than
/// [`NO_WIDE`]. Past those, a long run is searched for each of the
/// subject's principals without a filter: slower, never wrong.
pub(crate) fn set_wide_filter(filters: &mut Vec<[u64; 4]>, node: &mut Node, run: &[GrantEntry]) {
    let mut wide = [0u64; 4];
    for entry in run {
        let (word, bit) = key::wide_bit(entry.key);
        if let Some(w) = wide.get_mut(word) {
            *w |= bit;
        }
    }
    let count = filters.len();
    match filters.get_mut(usize::from(node.wide)) {
        Some(slot) => *slot = wide,
        None if count < usize::from(NO_WIDE) => {
            node.wide = u16::try_from(count).unwrap_or(NO_WIDE);
            filters.push(wide);
        }
        None => {}
    }
}

/// Principals are packed into one `u32`: a 2-bit tag above a 30-bit index.
/// Sorting by the packed key groups a node's grants by principal.
pub(crate) mod key {
    use crate::directory::{TeamId, UserId};
    use crate::grant::Principal;

    pub(crate) const SHIFT: u32 = 30;
    pub(crate) const INDEX_MASK: u32 = (1 << SHIFT) - 1;
    /// The largest number of users, or of teams, a policy can hold.
    pub(crate) const MAX_INDEX: usize = INDEX_MASK as usize;
    pub(crate) const USER: u32 = 0;
    pub(crate) const TEAM: u32 = 1 << SHIFT;
    pub(crate) const EVERYONE: u32 = 2 << SHIFT;
    pub(crate) const PUBLIC: u32 = 3 << SHIFT;

    pub(crate) const fn pack(principal: Principal) -> u32 {
        match principal {
            Principal::User(UserId(index)) => USER | (index & INDEX_MASK),
            Principal::Team(TeamId(index)) => TEAM | (index & INDEX_MASK),
            Principal::Everyone => EVERYONE,
            Principal::Public => PUBLIC,
        }
    }

    pub(crate) const fn unpack(key: u32) -> Principal {
        match key >> SHIFT {
            0 => Principal::User(UserId(key & INDEX_MASK)),
            1 => Principal::Team(TeamId(key & INDEX_MASK)),
            2 => Principal::Everyone,
            _ => Principal::Public,
        }
    }

    /// The principal's bit in a 64-bit node or subject filter.
    #[inline]
    pub(crate) const fn filter_bit(key: u32) -> u64 {
        1 << filter_shift(key)
    }

    /// Which bit [`filter_bit`] sets: Fibonacci hashing, the top 6 bits of
    /// the product.
    #[inline]
    pub(crate) const fn filter_shift(key: u32) -> u8 {
        ((key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as u8
    }

    /// The principal's bit in a 256-bit wide filter, as (word, bit):
    /// the top 8 bits of another multiplicative hash.
    #[inline]
    pub(crate) const fn wide_bit(key: u32) -> (usize, u64) {
        let h = (key as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93) >> 56;
        ((h >> 6) as usize, 1 << (h & 63))
    }

    /// Whether a wide filter may hold the principal.
    #[inline]
    pub(crate) fn wide_contains(filter: &[u64; 4], key: u32) -> bool {
        let (word, bit) = wide_bit(key);
        filter.get(word).is_some_and(|w| w & bit != 0)
    }
}

/// One resource, as the hot path sees it. 32 bytes, aligned so that a node
/// never straddles two cache lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct Node {
    /// Bits of the principals holding grants here; 0 when there are none.
    pub(crate) filter: u64,
    pub(crate) parent: u32,
    /// The parent's parent, or [`NONE`]: a decision reads the next two
    /// nodes of its walk at once, so that their cache misses overlap.
    pub(crate) grandparent: u32,
    pub(crate) tenant: u32,
    pub(crate) grants_start: u32,
    pub(crate) grants_len: u32,
    /// For a run longer than [`LINEAR_RUN`], its index in
    /// [`Policy::wide_filters`]; otherwise (and for the runs beyond the
    /// first [`NO_WIDE`] long ones, searched without one) [`NO_WIDE`].
    pub(crate) wide: u16,
    pub(crate) kind: ResourceKind,
    /// This node's bit in users' scope filters ([`key::filter_shift`] of its id).
    pub(crate) scope_bit: u8,
}

/// One grant to a group (a team, `Everyone` or `Public`) in a node's run.
/// Grants to one user are kept with the user instead ([`UserGrant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GrantEntry {
    pub(crate) key: u32,
    pub(crate) effect: Effect,
    pub(crate) role: u32,
    /// `key::filter_shift(key)`, kept to spare a multiply per entry.
    pub(crate) filter_bit: u8,
    /// Who may hold the role: an `Everyone` grant of a role limited to some
    /// user types reaches only members of those types.
    pub(crate) eligible: UserTypes,
    /// When the grant applies (labels of the subject and the resource).
    pub(crate) condition: Condition,
}

/// A grant's identity: (scope, packed principal, effect, role), the
/// fields of [`Grant`](crate::Grant) in the order runs are sorted. Its
/// condition is no part of it: a principal holds a role with one effect on
/// a scope at most once, under one condition. The builder refuses two
/// grants of one identity, a change adding a second one is refused, and a
/// revoke removes the one there is.
pub(crate) type GrantIdentity = (u32, u32, Effect, u32);

/// The identity of the grant of `role` on `scope` to `principal` with
/// `effect`, whatever its condition.
#[inline]
pub(crate) const fn grant_identity(
    principal: Principal,
    scope: u32,
    role: u32,
    effect: Effect,
) -> GrantIdentity {
    (scope, key::pack(principal), effect, role)
}

impl GrantEntry {
    /// This grant's identity, on the node `scope` whose run holds it.
    #[inline]
    pub(crate) fn identity(&self, scope: u32) -> GrantIdentity {
        grant_identity(key::unpack(self.key), scope, self.role, self.effect)
    }
}

impl UserGrant {
    /// This grant's identity, held by `user` (whose run holds it).
    #[inline]
    pub(crate) fn identity(&self, user: u32) -> GrantIdentity {
        grant_identity(
            Principal::User(UserId(user)),
            self.scope,
            self.role,
            self.effect,
        )
    }
}

/// Who a subject is, as far as the grants of its principals care: its
/// type (for role eligibility) and its labels (for conditions).
///
/// [`Audience::reached_by`] is the one rule of whether a grant of one of
/// the subject's principals (the user, one of its teams, `Everyone`, or
/// `Public` for a link) reaches it. A decision, `accessible`, the access
/// reviews and the checks of changes all ask it, so that they can never
/// disagree on who a grant gives something to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Audience {
    /// The subject's type as a one-element set (`PUBLIC` for a link).
    pub(crate) user_type: UserTypes,
    /// The subject's labels (none for a link).
    pub(crate) labels: Labels,
}

impl Audience {
    /// Whether a grant with `effect`, of a role open to `eligible`, made
    /// `when` `condition` holds, reaches this subject on a resource
    /// labelled `target` (read only for a conditional grant).
    ///
    /// An allow or override reaches only a subject whose type may hold its
    /// role ([`may_hold`](Audience::may_hold)); then, like a deny, only
    /// where its condition holds ([`meets`](Audience::meets)). A user's own
    /// grants were checked eligible when made, so they need only `meets`.
    #[inline(always)]
    pub(crate) fn reached_by(
        self,
        effect: Effect,
        eligible: UserTypes,
        condition: Condition,
        target: impl FnOnce() -> Labels,
    ) -> bool {
        self.may_hold(effect, eligible) && self.meets(condition, target)
    }

    /// The half of [`reached_by`](Audience::reached_by) that does not
    /// depend on the resource: eligibility limits who may hold a role, not
    /// who may lose one, so a deny reaches every type.
    #[inline(always)]
    pub(crate) fn may_hold(self, effect: Effect, eligible: UserTypes) -> bool {
        effect == Effect::Deny || eligible.intersects(self.user_type)
    }

    /// The half of [`reached_by`](Audience::reached_by) that depends on the
    /// resource: whether `condition` holds for this subject on a resource
    /// labelled `target` (read only for a conditional grant).
    #[inline(always)]
    pub(crate) fn meets(self, condition: Condition, target: impl FnOnce() -> Labels) -> bool {
        condition == Condition::Always || condition.holds(self.labels, target())
    }
}

/// One grant to a single user, kept with the user: most users hold few
/// grants of their own, so a decision finds them without searching the
/// (possibly long) runs of the resources on its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct UserGrant {
    pub(crate) scope: u32,
    pub(crate) effect: Effect,
    pub(crate) role: u32,
    /// When the grant applies; not part of its identity ([`GrantIdentity`]).
    pub(crate) condition: Condition,
}

/// A user, as the hot path sees it: 32 bytes, aligned so that a record
/// never straddles two cache lines. What few users have (an invitation's
/// expiry, labels, more than [`LONG_RUN`] grants of their own) is kept
/// beside the records, in [`Policy::invitations`], [`Policy::user_labels`]
/// and [`Policy::long_runs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct UserRecord {
    /// Bits of the user's teams and `Everyone`, as in node filters.
    pub(crate) filter: u64,
    /// Bits of the resources where the user holds grants of its own.
    pub(crate) scope_filter: u64,
    /// Where the user's own grants start in [`Policy::user_grants`]
    /// (sorted by scope); [`Policy::own_grants`] gives them.
    pub(crate) grants_start: u32,
    /// Where the user's teams start in [`Policy::user_teams`] (sorted);
    /// [`Policy::teams_of`] gives them.
    pub(crate) teams_start: u32,
    pub(crate) tenant: u32,
    /// How many grants of its own the user holds; [`LONG_RUN`] for that
    /// many or more, counted in [`Policy::long_runs`].
    grants_len: u16,
    /// How many teams the user is in, its state, type and channels.
    traits: Traits,
}

/// [`UserRecord::grants_len`] of a user holding this many grants of its
/// own or more: the count is in [`Policy::long_runs`].
pub(crate) const LONG_RUN: u16 = u16::MAX;

/// A user's number of teams (7 bits: at most [`MAX_TEAMS_PER_USER`]),
/// [`State`] (2 bits), [`UserType`] (3 bits) and [`Channels`] (4 bits),
/// packed into 16 bits so that a [`UserRecord`] fits 32 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Traits(u16);

impl Traits {
    /// (shift, width mask) of each field.
    const TEAMS: (u16, u16) = (0, 0x7F);
    const STATE: (u16, u16) = (7, 0b11);
    const TYPE: (u16, u16) = (9, 0b111);
    const CHANNELS: (u16, u16) = (12, 0xF);

    fn new(teams: usize, state: State, user_type: UserType, channels: Channels) -> Traits {
        Traits(0)
            .with_teams(teams)
            .with(Traits::STATE, state as u16)
            .with(Traits::TYPE, user_type as u16)
            .with(Traits::CHANNELS, u16::from(channels.bits()))
    }

    #[inline(always)]
    fn get(self, (shift, mask): (u16, u16)) -> u16 {
        (self.0 >> shift) & mask
    }

    /// `value` replaces the field; bits beyond its width are dropped.
    fn with(self, (shift, mask): (u16, u16), value: u16) -> Traits {
        Traits(self.0 & !(mask << shift) | (value & mask) << shift)
    }

    #[inline(always)]
    fn teams(self) -> usize {
        usize::from(self.get(Traits::TEAMS))
    }

    /// `teams` is checked against [`MAX_TEAMS_PER_USER`] before a policy
    /// is handed out; a larger count is clamped, never spills over.
    fn with_teams(self, teams: usize) -> Traits {
        let most = Traits::TEAMS.1;
        self.with(
            Traits::TEAMS,
            u16::try_from(teams).unwrap_or(most).min(most),
        )
    }

    #[inline(always)]
    fn state(self) -> State {
        match self.get(Traits::STATE) {
            0 => State::Invited,
            1 => State::Active,
            2 => State::Suspended,
            _ => State::Deactivated,
        }
    }

    #[inline(always)]
    fn user_type(self) -> UserType {
        // Only `new` writes these bits; the fallback is the type that can
        // never log in.
        UserType::ALL
            .get(usize::from(self.get(Traits::TYPE)))
            .copied()
            .unwrap_or(UserType::System)
    }

    /// The one-element set of [`user_type`](Traits::user_type), without
    /// going through the enum (empty for the two values never written).
    #[inline(always)]
    fn user_types(self) -> UserTypes {
        UserTypes::from_bits_truncate(1 << self.get(Traits::TYPE))
    }

    #[inline(always)]
    fn channels(self) -> Channels {
        // A 4-bit field: the cast keeps every bit of it.
        Channels::from_bits_truncate(self.get(Traits::CHANNELS) as u8)
    }
}

/// How many grants of its own user `user` (whose record is `record`) holds.
#[inline(always)]
pub(crate) fn own_grant_count(
    record: &UserRecord,
    long_runs: &BTreeMap<u32, u32>,
    user: u32,
) -> usize {
    if record.grants_len == LONG_RUN {
        long_count(long_runs, user)
    } else {
        usize::from(record.grants_len)
    }
}

#[cold]
fn long_count(long_runs: &BTreeMap<u32, u32>, user: u32) -> usize {
    long_runs.get(&user).map_or(0, |&count| count as usize)
}

/// Records that user `user` (whose record is `record`) holds `count`
/// grants of its own.
pub(crate) fn set_own_grant_count(
    record: &mut UserRecord,
    long_runs: &mut BTreeMap<u32, u32>,
    user: u32,
    count: usize,
) {
    match u16::try_from(count) {
        Ok(short) if short < LONG_RUN => {
            record.grants_len = short;
            long_runs.remove(&user);
        }
        _ => {
            record.grants_len = LONG_RUN;
            long_runs.insert(user, u32::try_from(count).unwrap_or(u32::MAX));
        }
    }
}

impl UserRecord {
    /// A user of `tenant` in `teams` teams (their run starting at
    /// `teams_start`, filter bits in `filter`), without grants of its own.
    pub(crate) fn new(
        tenant: u32,
        filter: u64,
        teams_start: u32,
        teams: usize,
        state: State,
        user_type: UserType,
        channels: Channels,
    ) -> UserRecord {
        UserRecord {
            filter,
            scope_filter: 0,
            grants_start: 0,
            teams_start,
            tenant,
            grants_len: 0,
            traits: Traits::new(teams, state, user_type, channels),
        }
    }

    /// How many teams the user is in.
    #[inline(always)]
    pub(crate) fn teams_len(&self) -> usize {
        self.traits.teams()
    }

    pub(crate) fn set_teams_len(&mut self, teams: usize) {
        self.traits = self.traits.with_teams(teams);
    }

    #[inline(always)]
    pub(crate) fn state(&self) -> State {
        self.traits.state()
    }

    pub(crate) fn set_state(&mut self, state: State) {
        self.traits = self.traits.with(Traits::STATE, state as u16);
    }

    #[inline(always)]
    pub(crate) fn user_type(&self) -> UserType {
        self.traits.user_type()
    }

    /// [`user_type`](UserRecord::user_type) as a one-element set.
    #[inline(always)]
    pub(crate) fn user_types(&self) -> UserTypes {
        self.traits.user_types()
    }

    /// The channels the user may use.
    #[inline(always)]
    pub(crate) fn channels(&self) -> Channels {
        self.traits.channels()
    }
}

// The sizes the layout documents, checked when compiling.
const _: () = assert!(core::mem::size_of::<Node>() == 32);
const _: () = assert!(core::mem::size_of::<UserRecord>() == 32);

/// A [`Status`] without the invitation's expiry (kept in
/// [`Policy::invitations`]), so that a user record stays small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum State {
    Invited,
    Active,
    Suspended,
    Deactivated,
}

impl State {
    pub(crate) fn of(status: Status) -> State {
        match status {
            Status::Invited { .. } => State::Invited,
            Status::Active => State::Active,
            Status::Suspended => State::Suspended,
            Status::Deactivated => State::Deactivated,
        }
    }
}

/// An API key, as the hot path sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyRecord {
    pub(crate) owner: u32,
    /// The subtree root the key is limited to, or [`NONE`].
    pub(crate) within: u32,
    pub(crate) scope: Permissions,
    /// Exclusive; `None` for never.
    pub(crate) expires_at: Option<u64>,
    pub(crate) revoked: bool,
}

/// A public link, as the hot path sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LinkRecord {
    pub(crate) resource: u32,
    pub(crate) permissions: Permissions,
    /// Exclusive; `None` for never.
    pub(crate) expires_at: Option<u64>,
    pub(crate) revoked: bool,
}

/// Names of every entity and the lookups from name to id. Never touched by
/// a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Catalog {
    pub(crate) resources: NameTable,
    pub(crate) users: NameTable,
    pub(crate) teams: NameTable,
    /// Roles as declared (rules and inheritance), to re-flatten after a change.
    pub(crate) roles: Vec<Role>,
    pub(crate) keys: NameTable,
    pub(crate) links: NameTable,
    pub(crate) role_ids: BTreeMap<String, u32>,
    /// The tenant of each team ([`REMOVED`] once removed).
    pub(crate) team_tenants: Vec<u32>,
    /// Each role's effective eligibility, flattened like its permissions
    /// (see [`FlatRoles`](crate::role::FlatRoles)): every check of who may
    /// hold a role reads it here, never the role's own `only_for`.
    pub(crate) role_eligible: Vec<UserTypes>,
}

/// The compiled authorization model: answers [`Policy::authorize`] and
/// [`Policy::effective`].
///
/// Built once by a [`PolicyBuilder`](crate::PolicyBuilder), then only read.
/// `Policy` is `Send + Sync + Clone`: share one behind an `Arc` across
/// threads; every question takes `&self`.
///
/// Everything a decision needs is laid out in flat arrays indexed by dense
/// ids, so that a decision allocates nothing, hashes no string, takes no
/// lock and never recurses:
///
/// - one 32-byte node per resource: its parent and grandparent, tenant and
///   kind, where its grants to groups (teams, `Everyone`, `Public`) start,
///   and a 64-bit *filter* of which groups hold grants there;
/// - each user's own grants, kept with the user (most users hold few), with
///   a 64-bit filter of the resources they are on;
/// - each user's teams, sorted, and the filter bits of its groups;
/// - each role flattened to one [`Permissions`] per [`ResourceKind`].
///
/// A decision walks from the resource up to its tenant root, two levels
/// per step (a node names its grandparent, so that the next two nodes are
/// read at once and a deep tree's cache misses overlap); a node whose
/// filters share no bit with the subject's is passed without touching its
/// grants, which is most folders and flows.
///
/// Two policies are equal (`==`) when they hold the same model under the
/// same ids at the same revision, whatever their layout in memory: see
/// [`Policy::to_document`].
#[derive(Debug, Clone)]
pub struct Policy {
    pub(crate) nodes: Vec<Node>,
    /// The children of each live resource, as a list threaded through
    /// [`Policy::next_sibling`], highest id first: walks down a subtree
    /// (`accessible`, removals) touch only that subtree. Never read by a
    /// decision.
    pub(crate) first_child: Vec<u32>,
    /// The next child of the same parent, or [`NONE`].
    pub(crate) next_sibling: Vec<u32>,
    /// Each resource's labels, read only when a conditional grant matches.
    pub(crate) labels: Vec<Labels>,
    pub(crate) grants: Vec<GrantEntry>,
    /// Where each group principal holds a `Deny` or `Override` grant, as
    /// (principal key, tenant, resource): the places below a scope where an
    /// author may hold less than at the scope ([`crate::authority`]). Kept
    /// by whatever writes a node's run; never read by a decision.
    pub(crate) restrictions: BTreeSet<(u32, u32, u32)>,
    /// 256-bit principal filters of the nodes with long grant runs.
    pub(crate) wide_filters: Vec<[u64; 4]>,
    pub(crate) roles: Vec<Flattened>,
    pub(crate) users: Vec<UserRecord>,
    /// Each user's team indices, sorted; `users[u].teams_start..+teams_len`.
    pub(crate) user_teams: Vec<u32>,
    /// Each user's own grants, sorted by scope; see [`UserRecord::grants_start`].
    pub(crate) user_grants: Vec<UserGrant>,
    /// How many grants of their own the users holding [`LONG_RUN`] or
    /// more have (their records cannot say).
    pub(crate) long_runs: BTreeMap<u32, u32>,
    /// When each invited user's invitation expires.
    pub(crate) invitations: BTreeMap<u32, u64>,
    /// Each user's labels: empty until some user has labels, then one per
    /// user. Read by a decision only through a conditional grant.
    pub(crate) user_labels: Vec<Labels>,
    pub(crate) keys: Vec<KeyRecord>,
    pub(crate) links: Vec<LinkRecord>,
    pub(crate) mfa_required: Permissions,
    pub(crate) seats: Option<Seats>,
    pub(crate) catalog: Catalog,
    /// Advanced by every applied change.
    pub(crate) revision: u64,
    /// Slots of `grants`, `user_teams` and `user_grants` that runs moved
    /// away from; compacted when they outgrow the live ones.
    pub(crate) garbage: usize,
}

/// A licence seat limit: at most `limit` active users of the `counted` types.
///
/// ```
/// use clearance::{Seats, UserTypes};
///
/// // Smart Flows: native and connected users count against the licence.
/// let seats = Seats { limit: 25, counted: UserTypes::NATIVE | UserTypes::CONNECTED };
/// # let _ = seats;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Seats {
    /// How many counted users may be active at once.
    pub limit: u32,
    /// Which user types count.
    pub counted: UserTypes,
}

/// The principals a subject acts as, borrowed from the policy.
#[derive(Clone, Copy)]
pub(crate) struct Principals<'p> {
    /// The user's packed key, or [`NONE`] for a link.
    pub(crate) user: u32,
    /// The user's own grants (empty for a link).
    pub(crate) grants: &'p [UserGrant],
    /// Bits of the scopes of `grants`.
    scope_filter: u64,
    pub(crate) teams: &'p [u32],
    /// A link acts only as [`Principal::Public`]; a user or key acts as
    /// itself, its teams and [`Principal::Everyone`].
    pub(crate) public: bool,
    /// Bits of the group principals (teams and `Everyone`, or `Public`).
    filter: u64,
    /// The account's type (`PUBLIC` for a link), for role eligibility.
    pub(crate) user_type: UserTypes,
    /// The account's labels (none for a link), for conditional grants.
    pub(crate) labels: Labels,
}

impl Principals<'_> {
    /// The subject's type and labels, for [`Audience::reached_by`].
    #[inline(always)]
    fn audience(&self) -> Audience {
        Audience {
            user_type: self.user_type,
            labels: self.labels,
        }
    }

    /// The principal's position among the subject's (its bit in the override
    /// cut mask), or `None` when the subject is not that principal.
    #[inline(always)]
    pub(crate) fn position(&self, principal: u32) -> Option<u32> {
        // Node runs hold group grants only: no user keys.
        if principal < key::EVERYONE {
            let team = principal & key::INDEX_MASK;
            // At most MAX_TEAMS_PER_USER teams, checked at build: fits.
            let found = if self.teams.len() <= 8 {
                self.teams.iter().position(|&t| t == team)
            } else {
                self.teams.binary_search(&team).ok()
            };
            found.map(|i| 2 + i as u32)
        } else if principal == key::EVERYONE {
            (!self.public).then_some(1)
        } else {
            self.public.then_some(0)
        }
    }
}

/// What one walk from a resource to its root found.
#[derive(Clone, Copy)]
struct Walk {
    /// Permissions from every counted allow and override grant.
    allow: Permissions,
    /// Permissions removed by deny grants.
    deny: Permissions,
    /// Permissions of allow grants that an override below cut off, as far
    /// as they intersect the permissions asked for.
    lost: Permissions,
    /// The first principal whose cut-off grant would have given something asked for.
    lost_principal: u32,
    /// Whether any allow or override grant of the subject's principals is on
    /// the path, counted or cut off (a deny alone is no membership).
    matched: bool,
    /// The nearest counted grant giving something asked for:
    /// (principal, scope, role), or [`NONE`]s.
    granted: (u32, u32, u32),
    /// The nearest deny grant removing something asked for: (principal,
    /// scope), or [`NONE`]s.
    denied: (u32, u32),
}

/// Applies the grants of one node to a [`Walk`].
struct Visitor<'w, 'p> {
    policy: &'p Policy,
    walk: &'w mut Walk,
    kind: usize,
    needed: Permissions,
    /// The node being visited.
    at: u32,
    /// Principals cut by overrides strictly below this node.
    cut: u128,
    /// Principals cut by overrides at this node (they apply above it only).
    cut_here: u128,
    /// The resource asked about, whose labels conditions compare.
    target: u32,
    /// The subject's labels.
    labels: Labels,
}

impl Visitor<'_, '_> {
    /// Applies one grant of `role` with `effect` held by the subject's
    /// principal `principal` at `position`.
    #[inline(always)]
    fn visit(&mut self, principal: u32, role: u32, effect: Effect, position: u32) {
        let permissions = self.policy.role_permissions(role, self.kind);
        let walk = &mut *self.walk;
        if effect == Effect::Deny {
            walk.deny |= permissions;
            if walk.denied.0 == NONE && permissions.intersects(self.needed) {
                walk.denied = (principal, self.at);
            }
            return;
        }
        walk.matched = true;
        let bit = 1u128 << position;
        if self.cut & bit != 0 {
            let lost = permissions & self.needed;
            if !lost.is_empty() && walk.lost.is_empty() {
                walk.lost_principal = principal;
            }
            walk.lost |= lost;
            return;
        }
        if effect == Effect::Override {
            self.cut_here |= bit;
        }
        walk.allow |= permissions;
        if walk.granted.0 == NONE && permissions.intersects(self.needed) {
            walk.granted = (principal, self.at, role);
        }
    }

    /// Applies a group grant if it reaches the subject, of type
    /// `user_type` ([`Audience::reached_by`]).
    #[inline(always)]
    fn visit_entry(&mut self, entry: &GrantEntry, position: u32, user_type: UserTypes) {
        let audience = Audience {
            user_type,
            labels: self.labels,
        };
        let (policy, target) = (self.policy, self.target);
        if audience.reached_by(entry.effect, entry.eligible, entry.condition, || {
            policy.labels_of(target)
        }) {
            self.visit(entry.key, entry.role, entry.effect, position);
        }
    }

    /// Applies every grant of `principal` in a sorted run.
    #[inline(always)]
    fn search(&mut self, run: &[GrantEntry], principal: u32, position: u32, user_type: UserTypes) {
        let first = run.partition_point(|entry| entry.key < principal);
        for entry in run.iter().skip(first) {
            if entry.key != principal {
                break;
            }
            self.visit_entry(entry, position, user_type);
        }
    }

    /// Applies the user's own grants at this node.
    #[inline(always)]
    fn user_grants(&mut self, grants: &[UserGrant], user: u32) {
        let at = self.at;
        let first = if grants.len() <= LINEAR_RUN {
            grants
                .iter()
                .position(|g| g.scope >= at)
                .unwrap_or(grants.len())
        } else {
            grants.partition_point(|g| g.scope < at)
        };
        for grant in grants.iter().skip(first) {
            if grant.scope != at {
                break;
            }
            // A user's own grants were checked eligible when made: only
            // the resource-dependent half of the rule applies.
            let audience = Audience {
                user_type: UserTypes::all(),
                labels: self.labels,
            };
            let (policy, target) = (self.policy, self.target);
            if audience.meets(grant.condition, || policy.labels_of(target)) {
                self.visit(user, grant.role, grant.effect, 0);
            }
        }
    }
}

/// One walk from a resource up to its root ([`Policy::walk`]).
struct Walker<'p, 'c> {
    policy: &'p Policy,
    principals: &'c Principals<'p>,
    kind: usize,
    needed: Permissions,
    /// The resource asked about.
    resource: u32,
    walk: Walk,
    /// Bit i set: principal i was cut by an override below the nodes
    /// visited next.
    cut: u128,
}

impl Walker<'_, '_> {
    /// Applies the grants of node `at`: the user's own grants there, then
    /// its group grants, both skipped when their filters share no bit with
    /// the subject's.
    #[inline(always)]
    fn visit(&mut self, at: u32, node: &Node) {
        let principals = self.principals;
        let own = principals.scope_filter & (1u64 << node.scope_bit) != 0;
        let group = node.filter & principals.filter != 0;
        if own || group {
            let mut visitor = Visitor {
                policy: self.policy,
                walk: &mut self.walk,
                kind: self.kind,
                needed: self.needed,
                at,
                cut: self.cut,
                cut_here: 0,
                target: self.resource,
                labels: principals.labels,
            };
            if own {
                visitor.user_grants(principals.grants, principals.user);
            }
            let run = if group {
                self.policy.group_grants(node)
            } else {
                &[]
            };
            let user_type = principals.user_type;
            if run.len() <= LINEAR_RUN {
                for entry in run {
                    if (1u64 << entry.filter_bit) & principals.filter == 0 {
                        continue;
                    }
                    if let Some(position) = principals.position(entry.key) {
                        visitor.visit_entry(entry, position, user_type);
                    }
                }
            } else {
                // A long run (a workspace with many members): search it
                // for each of the subject's principals that its wide
                // filter may hold.
                let wide = self
                    .policy
                    .wide_filters
                    .get(usize::from(node.wide))
                    .unwrap_or(&[u64::MAX; 4]);
                let mut search = |principal: u32, position: u32| {
                    if key::wide_contains(wide, principal) {
                        visitor.search(run, principal, position, user_type);
                    }
                };
                // In key order, as a scan would visit them: teams
                // (sorted), then Everyone, so both name the same grant.
                if principals.public {
                    search(key::PUBLIC, 0);
                } else {
                    for (i, team) in principals.teams.iter().enumerate() {
                        search(key::TEAM | team, 2 + i as u32);
                    }
                    search(key::EVERYONE, 1);
                }
            }
            self.cut |= visitor.cut_here;
        }
    }
}

impl Policy {
    /// May `subject` do `action` on `resource`? Deny by default.
    ///
    /// The checks run in this order, and the first that fails decides the
    /// [`Reason`]: the subject is known; its own state holds (the account,
    /// for a key its owner, is active; the key or link is neither revoked
    /// nor expired, [`Reason::TimeUnknown`] when it has an expiry and the
    /// subject no time; the channel is one the account may use), checked
    /// before anything about the resource so that it answers the same
    /// whatever is asked about ([`Reason::is_about_the_caller`]); the
    /// resource is known and in the account's (or link's) tenant; a key or
    /// link limited to a subtree is asked about a resource inside it; grants reach the resource (walking up, with
    /// overrides cutting inheritance per principal); no deny grant removes
    /// the permission; the key's scope, the link's permissions and the MFA
    /// guard keep it.
    ///
    /// Never allocates, never panics: unknown ids are denied with a reason.
    #[inline]
    pub fn authorize(&self, subject: &Subject, action: Action, resource: ResourceId) -> Decision {
        Decision::new(self.decide(subject, action.permissions(), resource))
    }

    /// Every permission `subject` holds on `resource`, after every check
    /// [`authorize`](Policy::authorize) makes: `authorize` allows an action
    /// exactly when this contains all of the action's permissions. Empty
    /// when any check fails.
    #[must_use]
    pub fn effective(&self, subject: &Subject, resource: ResourceId) -> Permissions {
        self.effective_with_kind(subject, resource, None)
    }

    /// [`effective`](Policy::effective), with roles read for `kind` instead
    /// of the resource's own kind when given: what the subject holds at
    /// `resource` over resources of `kind` below it.
    #[inline(always)]
    pub(crate) fn effective_with_kind(
        &self,
        subject: &Subject,
        resource: ResourceId,
        kind: Option<ResourceKind>,
    ) -> Permissions {
        let Ok(mut context) = self.context(subject, resource) else {
            return Permissions::empty();
        };
        if let Some(kind) = kind {
            context.kind = kind;
        }
        self.permissions(subject, &context, resource)
    }

    /// Steps 5 to 7 without a reason: every permission that survives.
    #[inline(always)]
    fn permissions(
        &self,
        subject: &Subject,
        context: &Context<'_>,
        resource: ResourceId,
    ) -> Permissions {
        let walk = self.walk(context, resource.0, Permissions::empty());
        let mut permissions = (walk.allow - walk.deny) & context.ceiling;
        if !subject.mfa() {
            permissions -= self.mfa_required;
        }
        permissions
    }

    fn decide(&self, subject: &Subject, needed: Permissions, resource: ResourceId) -> Reason {
        let context = match self.context(subject, resource) {
            Ok(context) => context,
            Err(reason) => return reason,
        };
        if needed.is_empty() {
            return Reason::EmptyAction;
        }
        let walk = self.walk(&context, resource.0, needed);

        // Step 5: grants.
        if !needed.difference(walk.allow).is_empty() {
            let missing = needed - walk.allow;
            if !walk.matched {
                return Reason::NotMember;
            }
            if missing.intersects(walk.lost) {
                return self.overridden(&context, resource.0, missing);
            }
            return Reason::RoleLacks { missing };
        }
        // Step 6: deny wins.
        if walk.denied.0 != NONE {
            let (principal, at) = walk.denied;
            return Reason::Denied {
                at: ResourceId(at),
                principal: key::unpack(principal),
            };
        }
        // Step 7: ceilings.
        let beyond_ceiling = needed - context.ceiling;
        if !beyond_ceiling.is_empty() {
            return if context.is_link {
                Reason::LinkLacks {
                    missing: beyond_ceiling,
                }
            } else {
                Reason::KeyLacks {
                    missing: beyond_ceiling,
                }
            };
        }
        if needed.intersects(self.mfa_required) && !subject.mfa() {
            return Reason::MfaRequired {
                missing: needed & self.mfa_required,
            };
        }
        // Step 8: allowed. `granted` is set: every needed bit is in `allow`,
        // so some counted grant intersected `needed`.
        let (principal, scope, role) = walk.granted;
        Reason::Granted {
            principal: key::unpack(principal),
            scope: ResourceId(scope),
            role: RoleId(role),
        }
    }

    /// Steps 1 to 4, and the subtree limit of a key or link: who the
    /// subject acts as, or the reason it may not act here at all.
    #[inline(always)]
    pub(crate) fn context(
        &self,
        subject: &Subject,
        resource: ResourceId,
    ) -> Result<Context<'_>, Reason> {
        let prepared = self.prepare(subject)?;
        self.place(&prepared, resource)
    }

    /// Step 1 for the subject: the records it stands for, or
    /// `UnknownSubject`. Every other check needs the resource and runs in
    /// [`place`](Policy::place), in order.
    #[inline(always)]
    pub(crate) fn prepare(&self, subject: &Subject) -> Result<Prepared<'_>, Reason> {
        let now = subject.clock();
        match subject.credential() {
            Credential::User(UserId(user)) => {
                let record = self
                    .users
                    .get(user as usize)
                    .filter(|record| record.tenant != REMOVED)
                    .ok_or(Reason::UnknownSubject)?;
                Ok(Prepared::Account {
                    user,
                    record,
                    key: None,
                    channel: subject.channel(),
                    now,
                })
            }
            Credential::Key(KeyId(index)) => {
                let key = self
                    .keys
                    .get(index as usize)
                    .ok_or(Reason::UnknownSubject)?;
                let record = self
                    .users
                    .get(key.owner as usize)
                    .ok_or(Reason::UnknownSubject)?;
                // A key always arrives through the API.
                Ok(Prepared::Account {
                    user: key.owner,
                    record,
                    key: Some(key),
                    channel: Channel::Api,
                    now,
                })
            }
            Credential::Link(LinkId(index)) => {
                let link = self
                    .links
                    .get(index as usize)
                    .filter(|link| link.resource != REMOVED)
                    .ok_or(Reason::UnknownSubject)?;
                Ok(Prepared::Link {
                    link,
                    channel: subject.channel(),
                    now,
                })
            }
        }
    }

    /// Steps 2 to 4 for one resource, in order: the caller's own state
    /// (lifecycle, key or link, channel) before anything about the
    /// resource, then the resource, its tenant, and the subtree limit of a
    /// key or link.
    #[inline(always)]
    pub(crate) fn place<'p>(
        &'p self,
        prepared: &Prepared<'p>,
        resource: ResourceId,
    ) -> Result<Context<'p>, Reason> {
        match *prepared {
            Prepared::Account {
                user,
                record,
                key,
                channel,
                now,
            } => {
                // The caller's own state first, before anything about the
                // resource: an account, key or channel that may not act is
                // told so whatever it asks about (its tenant's resource, an
                // unknown one, another tenant's), so that a dead credential
                // cannot map which resources exist.
                self.lifecycle(user, record, now)?;
                let mut ceiling = Permissions::all();
                if let Some(key) = key {
                    if key.revoked {
                        return Err(Reason::KeyRevoked);
                    }
                    if key.expires_at.is_some_and(|at| now >= at) {
                        return Err(expired(now, Reason::KeyExpired));
                    }
                    ceiling = key.scope;
                }
                if !record.channels().contains(channel.as_set()) {
                    return Err(Reason::ChannelNotAllowed { channel });
                }
                // Then the resource, and its tenant: a resource of another
                // tenant is denied as such, which the caller-facing form of
                // the decision (`Decision::for_caller`) reads as unknown.
                let node = self.node(resource)?;
                if node.tenant != record.tenant {
                    return Err(Reason::WrongTenant);
                }
                // A key limited to a subtree reaches nothing outside it,
                // whatever its owner may do there.
                if let Some(key) = key {
                    if !self.is_within(resource.0, key.within) {
                        return Err(Reason::KeyOutOfScope);
                    }
                }
                Ok(Context {
                    principals: self.account_principals(user, record),
                    ceiling,
                    is_link: false,
                    kind: node.kind,
                })
            }
            Prepared::Link { link, channel, now } => {
                // The link's own state first, as for an account.
                if link.revoked {
                    return Err(Reason::LinkRevoked);
                }
                if link.expires_at.is_some_and(|at| now >= at) {
                    return Err(expired(now, Reason::LinkExpired));
                }
                if channel != Channel::Link {
                    return Err(Reason::ChannelNotAllowed { channel });
                }
                let node = self.node(resource)?;
                let link_tenant = self
                    .nodes
                    .get(link.resource as usize)
                    .map_or(NONE, |n| n.tenant);
                if node.tenant != link_tenant {
                    return Err(Reason::WrongTenant);
                }
                // A link reaches its resource and what is below, nothing else.
                if !self.is_within(resource.0, link.resource) {
                    return Err(Reason::LinkOutOfScope);
                }
                Ok(Context {
                    principals: Principals {
                        user: NONE,
                        grants: &[],
                        scope_filter: 0,
                        teams: &[],
                        public: true,
                        filter: key::filter_bit(key::PUBLIC),
                        user_type: UserTypes::PUBLIC,
                        labels: Labels::empty(),
                    },
                    ceiling: link.permissions,
                    is_link: true,
                    kind: node.kind,
                })
            }
        }
    }

    /// The principals an account acts as: itself, its teams, `Everyone`.
    #[inline(always)]
    fn account_principals<'p>(&'p self, user: u32, record: &UserRecord) -> Principals<'p> {
        let teams = self.teams_of(record);
        let grants = self.own_grants(user, record);
        Principals {
            user: key::USER | user,
            grants,
            scope_filter: record.scope_filter,
            teams,
            public: false,
            filter: record.filter,
            user_type: record.user_types(),
            labels: self.user_labels_of(user),
        }
    }

    /// An account's type and labels.
    #[inline(always)]
    pub(crate) fn audience_of(&self, user: u32, record: &UserRecord) -> Audience {
        Audience {
            user_type: record.user_types(),
            labels: self.user_labels_of(user),
        }
    }

    #[inline(always)]
    fn node(&self, resource: ResourceId) -> Result<&Node, Reason> {
        self.nodes
            .get(resource.0 as usize)
            .filter(|node| node.tenant != REMOVED)
            .ok_or(Reason::UnknownResource)
    }

    /// [`effective`](Policy::effective) for many resources at once, for one
    /// subject (a page showing 100 flows with their buttons): the subject
    /// is looked up and checked once, then each resource is walked.
    ///
    /// ```
    /// use clearance::*;
    ///
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("a", ResourceKind::Flow, "acme")
    ///     .resource("b", ResourceKind::Flow, "acme")
    ///     .role(Role::new("viewer").allow([ResourceKind::Flow], Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "a", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    /// let page = [policy.resource_id("a").unwrap(), policy.resource_id("b").unwrap()];
    /// assert_eq!(policy.effective_many(&ann, &page), vec![Permissions::VIEW, Permissions::empty()]);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn effective_many(&self, subject: &Subject, resources: &[ResourceId]) -> Vec<Permissions> {
        let Ok(prepared) = self.prepare(subject) else {
            return alloc::vec![Permissions::empty(); resources.len()];
        };
        resources
            .iter()
            .map(|&resource| match self.place(&prepared, resource) {
                Ok(context) => self.permissions(subject, &context, resource),
                Err(_) => Permissions::empty(),
            })
            .collect()
    }

    /// Steps 5 and 6: walk from `resource` to its root, collecting the
    /// subject's grants. `needed` only steers which grants are remembered
    /// for the reason; the permissions collected do not depend on it.
    #[inline(always)]
    fn walk(&self, context: &Context<'_>, resource: u32, needed: Permissions) -> Walk {
        let mut walker = Walker {
            policy: self,
            principals: &context.principals,
            kind: context.kind.index(),
            needed,
            resource,
            walk: Walk {
                allow: Permissions::empty(),
                deny: Permissions::empty(),
                lost: Permissions::empty(),
                lost_principal: NONE,
                matched: false,
                granted: (NONE, NONE, NONE),
                denied: (NONE, NONE),
            },
            cut: 0,
        };
        let mut at = resource;
        let Some(mut node) = self.nodes.get(at as usize) else {
            return walker.walk;
        };
        // Two levels per step: the parent and the grandparent are read
        // together, so that on a large policy their cache misses overlap
        // instead of following one another.
        loop {
            let parent = node.parent;
            let grandparent = node.grandparent;
            let above = self.nodes.get(parent as usize);
            let above_that = self.nodes.get(grandparent as usize);
            walker.visit(at, node);
            let Some(above) = above else {
                break;
            };
            walker.visit(parent, above);
            let Some(above_that) = above_that else {
                break;
            };
            at = grandparent;
            node = above_that;
        }
        walker.walk
    }

    /// Whether `resource` is `root` or below it; always true when `root` is
    /// [`NONE`] (no limit). Only keys and links have limits.
    #[inline]
    pub(crate) fn is_within(&self, resource: u32, root: u32) -> bool {
        if root == NONE {
            return true;
        }
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            if at == root {
                return true;
            }
            at = node.parent;
        }
        false
    }

    /// A node's group grants (teams, `Everyone`, `Public`), sorted by principal.
    #[inline(always)]
    pub(crate) fn group_grants(&self, node: &Node) -> &[GrantEntry] {
        let start = node.grants_start as usize;
        self.grants
            .get(start..start + node.grants_len as usize)
            .unwrap_or(&[])
    }

    /// A user's teams, sorted.
    #[inline(always)]
    pub(crate) fn teams_of(&self, record: &UserRecord) -> &[u32] {
        let start = record.teams_start as usize;
        self.user_teams
            .get(start..start + record.teams_len())
            .unwrap_or(&[])
    }

    /// User `user`'s own grants, sorted by scope.
    #[inline(always)]
    pub(crate) fn own_grants(&self, user: u32, record: &UserRecord) -> &[UserGrant] {
        let start = record.grants_start as usize;
        self.user_grants
            .get(start..start + own_grant_count(record, &self.long_runs, user))
            .unwrap_or(&[])
    }

    /// A resource's labels (none for an unknown id).
    #[inline]
    pub(crate) fn labels_of(&self, resource: u32) -> Labels {
        self.labels
            .get(resource as usize)
            .copied()
            .unwrap_or_else(Labels::empty)
    }

    /// What `role` gives on resources of the kind with index `kind`.
    #[inline(always)]
    fn role_permissions(&self, role: u32, kind: usize) -> Permissions {
        self.roles
            .get(role as usize)
            .and_then(|kinds| kinds.get(kind))
            .copied()
            .unwrap_or_else(Permissions::empty)
    }

    /// The reason for a denial where an override cut off a grant that
    /// would have given some of `missing` (a cold path: it walks again).
    #[cold]
    #[inline(never)]
    fn overridden(&self, context: &Context<'_>, resource: u32, missing: Permissions) -> Reason {
        // Walking for just the missing bits remembers the first principal
        // whose cut-off grant would have given one of them.
        let walk = self.walk(context, resource, missing);
        let principal = walk.lost_principal;
        let audience = context.principals.audience();
        let target = || self.labels_of(resource);
        let own: &[UserGrant] = if principal == context.principals.user {
            context.principals.grants
        } else {
            &[]
        };
        // The nearest override that principal held (and could hold) is the
        // one that cut it off.
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            let run = self.group_grants(node);
            let in_run = run.iter().any(|entry| {
                entry.key == principal
                    && entry.effect == Effect::Override
                    && audience.reached_by(entry.effect, entry.eligible, entry.condition, target)
            });
            let in_own = own.iter().any(|grant| {
                grant.scope == at
                    && grant.effect == Effect::Override
                    && audience.meets(grant.condition, target)
            });
            if in_run || in_own {
                return Reason::Overridden { at: ResourceId(at) };
            }
            at = node.parent;
        }
        // Unreachable while `lost` implies a cut; a sound answer regardless.
        Reason::RoleLacks { missing }
    }
}

/// Why something that expired at the subject's time `now`
/// ([`Subject::clock`]) is refused: `expired_reason`, or
/// [`Reason::TimeUnknown`] when the host gave no time, so that a forgotten
/// clock never reads as "nothing has expired yet". `NO_TIME` is later than
/// every expiry, so the hot path's check stays one comparison and this runs
/// only once it has failed.
#[cold]
fn expired(now: u64, expired_reason: Reason) -> Reason {
    if now == NO_TIME {
        Reason::TimeUnknown
    } else {
        expired_reason
    }
}

/// A user's status and labels, kept partly beside the user records.
impl Policy {
    /// Step 2 for an account: only `Active` may act.
    #[inline(always)]
    fn lifecycle(&self, user: u32, record: &UserRecord, now: u64) -> Result<(), Reason> {
        match record.state() {
            State::Active => Ok(()),
            State::Suspended => Err(Reason::Suspended),
            State::Deactivated => Err(Reason::Deactivated),
            State::Invited => self.invitation(user, now),
        }
    }

    /// An invited user: the invitation's expiry is kept off the record.
    #[cold]
    fn invitation(&self, user: u32, now: u64) -> Result<(), Reason> {
        match self.invitations.get(&user) {
            Some(&until) if now < until => Err(Reason::InvitationPending),
            Some(_) => Err(expired(now, Reason::InvitationExpired)),
            None => Err(Reason::InvitationExpired),
        }
    }

    /// A user's status (`Deactivated` for an unknown id).
    pub(crate) fn user_status(&self, user: u32) -> Status {
        match self.users.get(user as usize).map(UserRecord::state) {
            Some(State::Invited) => Status::Invited {
                until: self.invitations.get(&user).copied().unwrap_or(0),
            },
            Some(State::Active) => Status::Active,
            Some(State::Suspended) => Status::Suspended,
            Some(State::Deactivated) | None => Status::Deactivated,
        }
    }

    /// Sets a user's status, and its invitation's expiry.
    pub(crate) fn set_user_status(&mut self, user: u32, status: Status) {
        if let Some(record) = self.users.get_mut(user as usize) {
            record.set_state(State::of(status));
            match status {
                Status::Invited { until } => {
                    self.invitations.insert(user, until);
                }
                _ => {
                    self.invitations.remove(&user);
                }
            }
        }
    }

    /// A user's labels.
    #[inline(always)]
    pub(crate) fn user_labels_of(&self, user: u32) -> Labels {
        self.user_labels
            .get(user as usize)
            .copied()
            .unwrap_or_else(Labels::empty)
    }

    /// Sets a user's labels, giving every user a slot the first time.
    pub(crate) fn set_user_labels(&mut self, user: u32, labels: Labels) {
        if self.user_labels.is_empty() && labels.is_empty() {
            return;
        }
        if self.user_labels.len() < self.users.len() {
            self.user_labels.resize(self.users.len(), Labels::empty());
        }
        if let Some(slot) = self.user_labels.get_mut(user as usize) {
            *slot = labels;
        }
    }
}

/// Runs of at most this many grants are scanned; longer ones are searched.
pub(crate) const LINEAR_RUN: usize = 8;

/// The records a subject stands for, looked up once; see
/// [`Policy::prepare`].
pub(crate) enum Prepared<'p> {
    /// A user, or a key (with its owner's record).
    Account {
        user: u32,
        record: &'p UserRecord,
        key: Option<&'p KeyRecord>,
        channel: Channel,
        now: u64,
    },
    /// A public link.
    Link {
        link: &'p LinkRecord,
        channel: Channel,
        now: u64,
    },
}

/// What steps 1 to 4 establish about a request.
pub(crate) struct Context<'p> {
    pub(crate) principals: Principals<'p>,
    /// The key's scope or the link's permissions; everything for a user.
    pub(crate) ceiling: Permissions,
    is_link: bool,
    kind: ResourceKind,
}

/// Lookups between names and ids, and names for explanations.
impl Policy {
    /// How far past their home slots the names of the policy's hash tables
    /// sit, in all (probe steps beyond the first, to look every name up
    /// once). For tests of resistance to chosen collisions: a count does
    /// not flake as a timing does. Not part of the stable API.
    #[doc(hidden)]
    #[must_use]
    pub fn name_probe_steps(&self) -> u64 {
        let catalog = &self.catalog;
        [
            &catalog.resources,
            &catalog.users,
            &catalog.teams,
            &catalog.keys,
            &catalog.links,
        ]
        .iter()
        .map(|names| names.probe_steps())
        .sum()
    }

    /// The id of the resource named `name`.
    #[must_use]
    pub fn resource_id(&self, name: &str) -> Option<ResourceId> {
        self.catalog.resources.id(name).map(ResourceId)
    }

    /// The id of the user named `name`. To build a request's subject from
    /// a name, see [`resolve`](Policy::resolve).
    #[must_use]
    pub fn user_id(&self, name: &str) -> Option<UserId> {
        self.catalog.users.id(name).map(UserId)
    }

    /// The id of the team named `name`.
    #[must_use]
    pub fn team_id(&self, name: &str) -> Option<TeamId> {
        self.catalog.teams.id(name).map(TeamId)
    }

    /// The id of the role named `name`.
    #[must_use]
    pub fn role_id(&self, name: &str) -> Option<RoleId> {
        self.catalog.role_ids.get(name).copied().map(RoleId)
    }

    /// The id of the API key named `name`.
    #[must_use]
    pub fn key_id(&self, name: &str) -> Option<KeyId> {
        self.catalog.keys.id(name).map(KeyId)
    }

    /// The id of the public link named `name`.
    #[must_use]
    pub fn link_id(&self, name: &str) -> Option<LinkId> {
        self.catalog.links.id(name).map(LinkId)
    }

    /// The name of a resource.
    #[must_use]
    pub fn resource_name(&self, id: ResourceId) -> Option<&str> {
        self.catalog.resources.name(id.0)
    }

    /// The name of a user.
    #[must_use]
    pub fn user_name(&self, id: UserId) -> Option<&str> {
        self.catalog.users.name(id.0)
    }

    /// The tenant a user belongs to (`None` for an unknown or removed user).
    #[must_use]
    pub fn user_tenant(&self, id: UserId) -> Option<ResourceId> {
        self.users
            .get(id.0 as usize)
            .filter(|record| record.tenant != REMOVED)
            .map(|record| ResourceId(record.tenant))
    }

    /// The name of a team.
    #[must_use]
    pub fn team_name(&self, id: TeamId) -> Option<&str> {
        self.catalog.teams.name(id.0)
    }

    /// The name of an API key.
    #[must_use]
    pub fn key_name(&self, id: KeyId) -> Option<&str> {
        self.catalog.keys.name(id.0)
    }

    /// The user an API key acts for (`None` once the key is removed).
    #[must_use]
    pub fn key_owner(&self, id: KeyId) -> Option<UserId> {
        self.keys
            .get(id.0 as usize)
            .filter(|key| key.owner != REMOVED)
            .map(|key| UserId(key.owner))
    }

    /// The name of a public link.
    #[must_use]
    pub fn link_name(&self, id: LinkId) -> Option<&str> {
        self.catalog.links.name(id.0)
    }

    /// The name of a role.
    #[must_use]
    pub fn role_name(&self, id: RoleId) -> Option<&str> {
        self.catalog
            .roles
            .get(id.0 as usize)
            .map(|role| role.name.as_str())
    }

    /// The kind of a resource.
    #[must_use]
    pub fn resource_kind(&self, id: ResourceId) -> Option<ResourceKind> {
        self.nodes.get(id.0 as usize).map(|node| node.kind)
    }

    /// The parent of a resource (`None` for a tenant root or an unknown id).
    #[must_use]
    pub fn parent(&self, id: ResourceId) -> Option<ResourceId> {
        self.nodes
            .get(id.0 as usize)
            .filter(|node| node.parent != NONE)
            .map(|node| ResourceId(node.parent))
    }

    /// The tenant (root) a resource belongs to (`None` once removed).
    #[must_use]
    pub fn tenant_of(&self, id: ResourceId) -> Option<ResourceId> {
        self.nodes
            .get(id.0 as usize)
            .filter(|node| node.tenant != REMOVED)
            .map(|node| ResourceId(node.tenant))
    }

    /// Every resource id, in id order (parents are not necessarily first),
    /// removed ones included; [`resource`](Policy::resource) gives the view
    /// of each live one.
    pub fn resources(&self) -> impl ExactSizeIterator<Item = ResourceId> + '_ {
        (0..self.nodes.len()).map(|index| ResourceId(u32::try_from(index).unwrap_or(NONE)))
    }

    /// How many resources the policy holds (ids are `0..count`).
    #[must_use]
    pub fn resource_count(&self) -> usize {
        self.nodes.len()
    }

    /// How many users the policy holds (ids are `0..count`).
    #[must_use]
    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// The permissions guarded by MFA: removed unless the session passed it.
    #[must_use]
    pub fn mfa_required(&self) -> Permissions {
        self.mfa_required
    }

    /// Bytes of heap memory this policy holds: every array by its
    /// capacity, the names, and the roles as declared. Use it to plan how
    /// many tenants one process can hold (see the README's "Beyond one
    /// machine"); the allocator's own overhead per allocation is not
    /// counted, and there are a few dozen allocations in all, whatever the
    /// size of the model.
    ///
    /// ```
    /// # use clearance::*;
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .user(User::new("ann", "acme"))
    ///     .build()?;
    /// assert!(policy.heap_bytes() > 0);
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        fn array<T>(items: &Vec<T>) -> usize {
            items.capacity() * core::mem::size_of::<T>()
        }
        let catalog = &self.catalog;
        let roles: usize = catalog
            .roles
            .iter()
            .map(|role| {
                role.name.capacity()
                    + array(&role.rules)
                    + role
                        .rules
                        .iter()
                        .map(|(kinds, _)| array(kinds))
                        .sum::<usize>()
                    + array(&role.inherits)
                    + role.inherits.iter().map(String::capacity).sum::<usize>()
            })
            .sum::<usize>()
            + array(&catalog.roles)
            + catalog
                .role_ids
                .keys()
                .map(|name| name.capacity() + core::mem::size_of::<(String, u32)>())
                .sum::<usize>();
        array(&self.nodes)
            + array(&self.first_child)
            + array(&self.next_sibling)
            + array(&self.labels)
            + array(&self.grants)
            + self.restrictions.len() * 2 * core::mem::size_of::<(u32, u32, u32)>()
            + array(&self.wide_filters)
            + array(&self.roles)
            + array(&self.users)
            + array(&self.user_teams)
            + array(&self.user_grants)
            + self.invitations.len() * 2 * core::mem::size_of::<(u32, u64)>()
            + self.long_runs.len() * 2 * core::mem::size_of::<(u32, u32)>()
            + array(&self.user_labels)
            + array(&self.keys)
            + array(&self.links)
            + catalog.resources.heap_bytes()
            + catalog.users.heap_bytes()
            + catalog.teams.heap_bytes()
            + catalog.keys.heap_bytes()
            + catalog.links.heap_bytes()
            + array(&catalog.team_tenants)
            + array(&catalog.role_eligible)
            + roles
    }

    /// The reason's sentence with entities named by the names the host gave
    /// them, rather than by id.
    ///
    /// ```
    /// # use clearance::*;
    /// let policy = PolicyBuilder::new()
    ///     .tenant("acme", ResourceKind::Organization)
    ///     .resource("sales", ResourceKind::Workspace, "acme")
    ///     .role(Role::new("viewer").allow([ResourceKind::Workspace], Permissions::VIEW))
    ///     .user(User::new("ann", "acme"))
    ///     .grant(Grantee::user("ann"), "sales", "viewer", Effect::Allow)
    ///     .build()?;
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    /// let sales = policy.resource_id("sales").unwrap();
    /// let decision = policy.authorize(&ann, Action::View, sales);
    /// assert_eq!(
    ///     policy.explain(decision.reason()).to_string(),
    ///     r#"user "ann" holds the role "viewer" on workspace "sales""#,
    /// );
    /// # Ok::<(), clearance::BuildError>(())
    /// ```
    #[must_use]
    pub fn explain(&self, reason: Reason) -> Explanation<'_> {
        Explanation {
            policy: self,
            reason,
        }
    }
}

/// A [`Reason`] with the names of the entities it mentions; see
/// [`Policy::explain`]. Formatting it allocates nothing.
#[derive(Clone, Copy)]
pub struct Explanation<'p> {
    policy: &'p Policy,
    reason: Reason,
}

impl fmt::Debug for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Explanation")
            .field("reason", &self.reason)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Explanation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_reason(f, &self.reason, self.policy)
    }
}

impl Names for Policy {
    fn resource(&self, f: &mut fmt::Formatter<'_>, id: ResourceId) -> fmt::Result {
        match (self.resource_kind(id), self.resource_name(id)) {
            (Some(kind), Some(name)) => write!(f, "{} {name:?}", kind.label()),
            _ => fmt::Display::fmt(&id, f),
        }
    }

    fn principal(&self, f: &mut fmt::Formatter<'_>, principal: Principal) -> fmt::Result {
        match principal {
            Principal::User(id) => match self.user_name(id) {
                Some(name) => write!(f, "user {name:?}"),
                None => fmt::Display::fmt(&id, f),
            },
            Principal::Team(id) => match self.team_name(id) {
                Some(name) => write!(f, "team {name:?}"),
                None => fmt::Display::fmt(&id, f),
            },
            Principal::Everyone | Principal::Public => fmt::Display::fmt(&principal, f),
        }
    }

    fn role(&self, f: &mut fmt::Formatter<'_>, id: RoleId) -> fmt::Result {
        match self.role_name(id) {
            Some(name) => write!(f, "the role {name:?}"),
            None => fmt::Display::fmt(&id, f),
        }
    }
}

/// The conditions a grant may be made under, indexed by `Condition as usize`.
const CONDITIONS: [Condition; 3] = [
    Condition::Always,
    Condition::LabelsIntersect,
    Condition::LabelsContain,
];

/// No permissions on any kind.
const NOTHING: Flattened = [Permissions::empty(); ResourceKind::COUNT];

/// One of the subject's principals, as [`Policy::accessible_down`] carries
/// it down the tree: the union of its allow and override grants on the
/// path, kept apart by what can still decide whether they count at a
/// resource below (the resource's kind, and its labels through
/// conditions), so that deciding a resource costs the same however many
/// grants the path holds.
#[derive(Clone)]
struct Carried {
    /// `allow[cut][when]`: per kind, the permissions of the principal's
    /// allow and override grants on the path made under `CONDITIONS[when]`,
    /// at or below its deepest override made under `CONDITIONS[cut]` (an
    /// override cuts the grants of its principal above it, wherever its own
    /// condition holds).
    allow: [[Flattened; 3]; 3],
    /// The depth of that deepest override, for each condition; 0 (the
    /// tenant root: nothing above to cut) when there is none.
    cut_depth: [u32; 3],
}

/// How to leave a node: what entering it changed.
enum Undo {
    Allow {
        slot: u8,
        cut: u8,
        when: u8,
        old: Flattened,
    },
    Deny {
        when: u8,
        old: Flattened,
    },
    Cut {
        slot: u8,
        cut: u8,
        old: u32,
    },
}

/// The state of one walk down the tree ([`Policy::accessible_down`]).
struct Down<'p> {
    policy: &'p Policy,
    principals: Principals<'p>,
    /// The index in `carried` of each principal position, or `u8::MAX`.
    slot_of: [u8; 128],
    carried: Vec<Carried>,
    /// Per condition, the permissions the deny grants on the path remove
    /// (a deny is never cut).
    deny: [Flattened; 3],
    undo: Vec<Undo>,
}

/// `cell |= add`, remembering the old value when it changes.
fn or_into(
    cell: &mut Flattened,
    add: &Flattened,
    undo: &mut Vec<Undo>,
    how: impl FnOnce(Flattened) -> Undo,
) {
    let old = *cell;
    for (slot, &more) in cell.iter_mut().zip(add) {
        *slot |= more;
    }
    if *cell != old {
        undo.push(how(old));
    }
}

impl<'p> Down<'p> {
    fn new(policy: &'p Policy, principals: Principals<'p>) -> Down<'p> {
        Down {
            policy,
            principals,
            slot_of: [u8::MAX; 128],
            carried: Vec::new(),
            deny: [NOTHING; 3],
            undo: Vec::new(),
        }
    }

    /// The slot of the principal at `position`, made on first use.
    fn slot(&mut self, position: u32) -> Option<u8> {
        let index = self.slot_of.get_mut(position as usize)?;
        if *index == u8::MAX {
            // At most 128 positions: a slot index fits below u8::MAX.
            *index = u8::try_from(self.carried.len()).ok()?;
            self.carried.push(Carried {
                allow: [[NOTHING; 3]; 3],
                cut_depth: [0; 3],
            });
        }
        Some(*index)
    }

    /// Adds the subject's grants at `node`, at `depth` below the tenant
    /// root: its own grants there (found by binary search, however many it
    /// holds) and the group grants of its principals that may reach it.
    fn enter(&mut self, node: u32, depth: u32) {
        let policy = self.policy;
        let Some(record) = policy.nodes.get(node as usize) else {
            return;
        };
        let principals = self.principals;
        // (position, role, effect, condition) of each grant here.
        let mut here: smallvec::SmallVec<[(u32, u32, Effect, Condition); 8]> =
            smallvec::SmallVec::new();
        if principals.scope_filter & (1u64 << record.scope_bit) != 0 {
            let grants = principals.grants;
            let first = grants.partition_point(|grant| grant.scope < node);
            for grant in grants.iter().skip(first) {
                if grant.scope != node {
                    break;
                }
                here.push((0, grant.role, grant.effect, grant.condition));
            }
        }
        if record.filter & principals.filter != 0 {
            for entry in policy.group_grants(record) {
                if (1u64 << entry.filter_bit) & principals.filter == 0 {
                    continue;
                }
                let Some(position) = principals.position(entry.key) else {
                    continue;
                };
                // The resource-independent half of the rule; the
                // condition is asked per resource, in `permissions`.
                if principals.audience().may_hold(entry.effect, entry.eligible) {
                    here.push((position, entry.role, entry.effect, entry.condition));
                }
            }
        }
        // Overrides first: they cut what their principal holds above,
        // not what it holds here.
        for &(position, _, effect, condition) in &here {
            if effect != Effect::Override {
                continue;
            }
            let Some(slot) = self.slot(position) else {
                continue;
            };
            let cut = condition as u8;
            let Some(carried) = self.carried.get_mut(usize::from(slot)) else {
                continue;
            };
            let (Some(deepest), Some(cells)) = (
                carried.cut_depth.get_mut(usize::from(cut)),
                carried.allow.get_mut(usize::from(cut)),
            ) else {
                continue;
            };
            if *deepest == depth {
                continue;
            }
            self.undo.push(Undo::Cut {
                slot,
                cut,
                old: *deepest,
            });
            *deepest = depth;
            for (when, cell) in (0u8..).zip(cells.iter_mut()) {
                let old = core::mem::replace(cell, NOTHING);
                if old != NOTHING {
                    self.undo.push(Undo::Allow {
                        slot,
                        cut,
                        when,
                        old,
                    });
                }
            }
        }
        for &(position, role, effect, condition) in &here {
            let Some(permissions) = policy.roles.get(role as usize) else {
                continue;
            };
            let when = condition as u8;
            if effect == Effect::Deny {
                if let Some(cell) = self.deny.get_mut(usize::from(when)) {
                    or_into(cell, permissions, &mut self.undo, |old| Undo::Deny {
                        when,
                        old,
                    });
                }
                continue;
            }
            let Some(slot) = self.slot(position) else {
                continue;
            };
            let Some(carried) = self.carried.get_mut(usize::from(slot)) else {
                continue;
            };
            for (cut, cells) in (0u8..).zip(carried.allow.iter_mut()) {
                if let Some(cell) = cells.get_mut(usize::from(when)) {
                    or_into(cell, permissions, &mut self.undo, |old| Undo::Allow {
                        slot,
                        cut,
                        when,
                        old,
                    });
                }
            }
        }
    }

    /// Undoes every `enter` since the undo log was `mark` long.
    fn rewind(&mut self, mark: usize) {
        while self.undo.len() > mark {
            let Some(undo) = self.undo.pop() else {
                break;
            };
            match undo {
                Undo::Allow {
                    slot,
                    cut,
                    when,
                    old,
                } => {
                    if let Some(cell) = self
                        .carried
                        .get_mut(usize::from(slot))
                        .and_then(|carried| carried.allow.get_mut(usize::from(cut)))
                        .and_then(|cells| cells.get_mut(usize::from(when)))
                    {
                        *cell = old;
                    }
                }
                Undo::Deny { when, old } => {
                    if let Some(cell) = self.deny.get_mut(usize::from(when)) {
                        *cell = old;
                    }
                }
                Undo::Cut { slot, cut, old } => {
                    if let Some(depth) = self
                        .carried
                        .get_mut(usize::from(slot))
                        .and_then(|carried| carried.cut_depth.get_mut(usize::from(cut)))
                    {
                        *depth = old;
                    }
                }
            }
        }
    }

    /// The permissions the grants carried so far give on a resource of
    /// kind index `kind` labelled `target`, before ceilings: for each
    /// principal, its grants at or below its deepest override that holds
    /// here, whose own condition holds here, less the denies that hold here.
    fn permissions(&self, kind: usize, target: Labels) -> Permissions {
        let audience = self.principals.audience();
        let holds = CONDITIONS.map(|condition| audience.meets(condition, || target));
        let at = |cells: &[Flattened; 3]| {
            cells
                .iter()
                .zip(holds)
                .filter(|&(_, held)| held)
                .fold(Permissions::empty(), |all, (cell, _)| {
                    all | cell.get(kind).copied().unwrap_or(Permissions::empty())
                })
        };
        let mut allow = Permissions::empty();
        for carried in &self.carried {
            // The deepest override that holds here cuts the most.
            let mut cut = 0;
            let mut deepest = 0;
            for (index, (&depth, held)) in carried.cut_depth.iter().zip(holds).enumerate() {
                if held && depth >= deepest {
                    (cut, deepest) = (index, depth);
                }
            }
            if let Some(cells) = carried.allow.get(cut) {
                allow |= at(cells);
            }
        }
        allow - at(&self.deny)
    }
}

impl Policy {
    /// Every resource at or below `within` (of `kind`, if given) whose
    /// permissions for `subject` contain `needed`, in id order: one walk
    /// down the tree, carrying the subject's grants from each resource to
    /// its children instead of walking up from every resource.
    ///
    /// # Cost
    ///
    /// That of [`walk_down`](Policy::walk_down) over the subtree, then
    /// sorting what is found. A key or link limited to a subtree below
    /// `within` is asked about that subtree only.
    pub(crate) fn accessible_down(
        &self,
        subject: &Subject,
        needed: Permissions,
        within: ResourceId,
        kind: Option<ResourceKind>,
    ) -> Vec<ResourceId> {
        let mut found = Vec::new();
        let Ok(prepared) = self.prepare(subject) else {
            return found;
        };
        // `place` on `within` settles every check that does not depend on
        // the resource; below it only a key's or link's subtree limit could
        // differ, and `within` being inside the limit puts all of it inside.
        let context = match self.place(&prepared, within) {
            Ok(context) => context,
            Err(Reason::KeyOutOfScope | Reason::LinkOutOfScope) => {
                // Limited to a subtree below `within`: exactly that subtree.
                let limit = match prepared {
                    Prepared::Account { key: Some(key), .. } => key.within,
                    Prepared::Link { link, .. } => link.resource,
                    Prepared::Account { key: None, .. } => NONE,
                };
                if limit != NONE && limit != within.0 && self.is_within(limit, within.0) {
                    return self.accessible_down(subject, needed, ResourceId(limit), kind);
                }
                return found;
            }
            Err(_) => return found,
        };
        if needed.is_empty() {
            return found;
        }
        let tree = (&self.first_child[..], &self.next_sibling[..]);
        self.walk_down(
            subject,
            &context,
            within.0,
            tree,
            |node, record, permissions| {
                if !kind.is_some_and(|kind| record.kind != kind) && permissions.contains(needed) {
                    found.push(ResourceId(node));
                }
            },
        );
        found.sort_unstable();
        found
    }

    /// Calls `each` with the permissions `subject` (placed by `context`)
    /// holds on `within` and on every resource below it that `tree` lists,
    /// parents before children: `tree` is a pair of child lists in the
    /// form of [`Policy::first_child`] and [`Policy::next_sibling`] (all of
    /// the subtree, or only the part a caller needs).
    ///
    /// # Cost
    ///
    /// Linear in the path above `within` and the resources `tree` lists:
    /// each is entered once (its group grants scanned once, the subject's
    /// own grants there found by binary search) and decided in time bounded
    /// by the number of the subject's principals, whatever the depth, the
    /// overrides (conditional or not) or the number of grants on the path.
    pub(crate) fn walk_down(
        &self,
        subject: &Subject,
        context: &Context<'_>,
        within: u32,
        (first_child, next_sibling): (&[u32], &[u32]),
        mut each: impl FnMut(u32, &Node, Permissions),
    ) {
        let ceiling = context.ceiling;
        let mut down = Down::new(self, context.principals);
        // The path from the tenant root down to `within`.
        let mut path = Vec::new();
        let mut at = within;
        while let Some(node) = self.nodes.get(at as usize) {
            path.push(at);
            at = node.parent;
        }
        for (depth, &node) in (0u32..).zip(path.iter().rev()) {
            down.enter(node, depth);
        }
        let mut visit = |down: &Down<'_>, node: u32| {
            let Some(record) = self.nodes.get(node as usize) else {
                return;
            };
            let mut permissions =
                down.permissions(record.kind.index(), self.labels_of(node)) & ceiling;
            if !subject.mfa() {
                permissions -= self.mfa_required;
            }
            each(node, record, permissions);
        };
        visit(&down, within);
        // Depth-first below `within`: (depth, undo mark, next child).
        let first = |node: u32| first_child.get(node as usize).copied().unwrap_or(NONE);
        let top = u32::try_from(path.len().saturating_sub(1)).unwrap_or(NONE);
        let mut frames: Vec<(u32, usize, u32)> = alloc::vec![(top, down.undo.len(), first(within))];
        while let Some(frame) = frames.last_mut() {
            let child = frame.2;
            if child == NONE {
                let mark = frame.1;
                frames.pop();
                down.rewind(mark);
                continue;
            }
            frame.2 = next_sibling.get(child as usize).copied().unwrap_or(NONE);
            let depth = frame.0.saturating_add(1);
            let mark = down.undo.len();
            down.enter(child, depth);
            visit(&down, child);
            frames.push((depth, mark, first(child)));
        }
    }
}

/// The child lists ([`Policy::first_child`], [`Policy::next_sibling`]):
/// each live resource is in its parent's list, highest id first, so that
/// a policy built from declarations and one reached by changes hold the
/// same lists.
impl Policy {
    /// The children of `node`, highest id first.
    pub(crate) fn children(&self, node: u32) -> impl Iterator<Item = u32> + '_ {
        let first = self.first_child.get(node as usize).copied().unwrap_or(NONE);
        core::iter::successors((first != NONE).then_some(first), move |&child| {
            let next = self
                .next_sibling
                .get(child as usize)
                .copied()
                .unwrap_or(NONE);
            (next != NONE).then_some(next)
        })
    }

    /// `root` and every live resource below it, in no particular order;
    /// linear in the size of the subtree, whatever its depth.
    pub(crate) fn subtree(&self, root: u32) -> Vec<u32> {
        let mut subtree = alloc::vec![root];
        let mut next = 0;
        while let Some(&at) = subtree.get(next) {
            next += 1;
            let below: smallvec::SmallVec<[u32; 16]> = self.children(at).collect();
            subtree.extend_from_slice(&below);
        }
        subtree
    }

    /// Puts `child` in the list of `parent`, keeping it ordered.
    pub(crate) fn link_child(&mut self, parent: u32, child: u32) {
        if self.next_sibling.len() <= child as usize {
            self.next_sibling.resize(child as usize + 1, NONE);
            self.first_child.resize(child as usize + 1, NONE);
        }
        // Find the last child with a higher id than `child`.
        let mut before = NONE;
        let mut at = self
            .first_child
            .get(parent as usize)
            .copied()
            .unwrap_or(NONE);
        while at != NONE && at > child {
            before = at;
            at = self.next_sibling.get(at as usize).copied().unwrap_or(NONE);
        }
        if let Some(slot) = self.next_sibling.get_mut(child as usize) {
            *slot = at;
        }
        let link = if before == NONE {
            self.first_child.get_mut(parent as usize)
        } else {
            self.next_sibling.get_mut(before as usize)
        };
        if let Some(link) = link {
            *link = child;
        }
    }

    /// Takes `child` out of the list of `parent`.
    pub(crate) fn unlink_child(&mut self, parent: u32, child: u32) {
        let after = self
            .next_sibling
            .get(child as usize)
            .copied()
            .unwrap_or(NONE);
        let mut before = NONE;
        let mut at = self
            .first_child
            .get(parent as usize)
            .copied()
            .unwrap_or(NONE);
        while at != NONE && at != child {
            before = at;
            at = self.next_sibling.get(at as usize).copied().unwrap_or(NONE);
        }
        if at == NONE {
            return;
        }
        let link = if before == NONE {
            self.first_child.get_mut(parent as usize)
        } else {
            self.next_sibling.get_mut(before as usize)
        };
        if let Some(link) = link {
            *link = after;
        }
        if let Some(slot) = self.next_sibling.get_mut(child as usize) {
            *slot = NONE;
        }
    }
}

/// The child lists of `nodes` (see [`Policy::first_child`]), built in one
/// pass.
pub(crate) fn child_lists(nodes: &[Node]) -> (Vec<u32>, Vec<u32>) {
    let mut first_child = alloc::vec![NONE; nodes.len()];
    let mut next_sibling = alloc::vec![NONE; nodes.len()];
    // Ascending ids, each put first: every list ends highest id first.
    for (index, node) in nodes.iter().enumerate() {
        if node.tenant == REMOVED || node.parent == NONE {
            continue;
        }
        let id = u32::try_from(index).unwrap_or(NONE);
        if let (Some(slot), Some(head)) = (
            next_sibling.get_mut(index),
            first_child.get(node.parent as usize).copied(),
        ) {
            *slot = head;
        }
        if let Some(head) = first_child.get_mut(node.parent as usize) {
            *head = id;
        }
    }
    (first_child, next_sibling)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [State; 4] = [
        State::Invited,
        State::Active,
        State::Suspended,
        State::Deactivated,
    ];

    #[test]
    fn a_user_record_keeps_every_team_count_state_type_and_channels_it_packs() {
        for teams in 0..=MAX_TEAMS_PER_USER {
            for state in STATES {
                for user_type in UserType::ALL {
                    for bits in 0..16u8 {
                        let channels = Channels::from_bits_truncate(bits);
                        let record = UserRecord::new(7, 0, 0, teams, state, user_type, channels);
                        assert_eq!(record.teams_len(), teams);
                        assert_eq!(record.state(), state);
                        assert_eq!(record.user_type(), user_type);
                        assert_eq!(record.channels(), channels);
                        assert_eq!(record.tenant, 7);
                    }
                }
            }
        }
    }

    #[test]
    fn changing_one_packed_field_of_a_user_record_leaves_the_others() {
        let all = Channels::all();
        let mut record = UserRecord::new(0, 0, 0, 3, State::Invited, UserType::Interface, all);
        record.set_state(State::Suspended);
        record.set_teams_len(MAX_TEAMS_PER_USER);
        assert_eq!(record.state(), State::Suspended);
        assert_eq!(record.teams_len(), MAX_TEAMS_PER_USER);
        assert_eq!(record.user_type(), UserType::Interface);
        assert_eq!(record.channels(), all);
        record.set_teams_len(0);
        record.set_state(State::Active);
        assert_eq!(record.teams_len(), 0);
        assert_eq!(record.state(), State::Active);
        assert_eq!(record.user_type(), UserType::Interface);
        assert_eq!(record.channels(), all);
    }
}
