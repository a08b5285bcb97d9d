//! The records a decision reads, and the packing that keeps them small:
//! nodes, group grant entries, user records and their packed traits,
//! principal keys and filter bits, key and link records.
//!
//! Owns: every type of the compiled layout, its constructors, the
//! compile-time size asserts, and the one way to read each run (a node's
//! group grants, a user's teams and own grants, labels, a role's
//! permissions, the subtrees a key or link is limited to). Must never:
//! write a [`Policy`](super::Policy) (that is [`store`](super::store)'s)
//! or decide anything.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::directory::{ApiKey, Channels, PublicLink, Status, UserId, UserType, UserTypes};
use crate::grant::{Effect, Principal};
use crate::label::{Condition, Labels};
use crate::permission::Permissions;
use crate::resource::{ResourceId, ResourceKind};

pub(crate) use crate::NONE;

/// The tenant of a removed resource, user or team, and the owner of a
/// removed key: never a valid id, so every lookup of it fails.
pub(crate) const REMOVED: u32 = NONE - 1;

/// How many resources, roles, API keys or public links a policy may hold:
/// their ids stay below [`REMOVED`], the first sentinel. (Users and teams
/// are fewer, [`principal_key::MAX_INDEX`], to fit a principal key.)
pub(crate) const MAX_ENTITIES: usize = REMOVED as usize;

/// How many teams one user may be in: a decision tracks overrides per
/// principal in one `u128` (the user, `Everyone`, and up to this many teams).
pub const MAX_TEAMS_PER_USER: usize = 126;

/// [`Node::wide`] of a node without a wide filter. [`Policy::wide_filters`](super::Policy::wide_filters)
/// never holds more than this many filters, so the index never names one.
pub(crate) const NO_WIDE: u16 = u16::MAX;

/// The `u32` id of the entry at `index` of an arena (nodes, users, keys,
/// links, and the runs of grants and teams). No arena reaches `NONE`
/// entries: the builder and changes refuse an entity past its kind's
/// maximum, and a change that would grow a run arena that far (`room`), so
/// the conversion is exact; were it not, the id would be [`NONE`], which
/// names nothing and is denied.
#[inline]
pub(crate) fn id_at(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(NONE)
}

/// Principals are packed into one `u32`: a 2-bit tag above a 30-bit index.
/// Sorting by the packed key groups a node's grants by principal.
pub(crate) mod principal_key {
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

/// One resource, as the hot path sees it. 64 bytes, aligned so that a node
/// is one cache line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(64))]
pub(crate) struct Node {
    /// Bits of the principals holding grants here; 0 when there are none.
    pub(crate) filter: u64,
    /// The `filter`s of this node and of every node above it, or'ed (and
    /// perhaps bits they no longer have: see
    /// [`summarise_paths`](super::store::summarise_paths), its writer):
    /// when it shares no bit with a subject's group filter and
    /// `path_scopes` none with its scope filter, no node on the path may
    /// hold a grant of the subject's, and a decision is `NotMember`
    /// without walking up.
    pub(crate) path_filter: u64,
    /// `1 << scope_bit` of this node and of every node above it, or'ed
    /// (and perhaps of former ancestors, as `path_filter`).
    pub(crate) path_scopes: u64,
    pub(crate) parent: u32,
    /// The parent's parent, or [`NONE`]: a decision reads the next two
    /// nodes of its walk at once, so that their cache misses overlap.
    pub(crate) grandparent: u32,
    pub(crate) tenant: u32,
    pub(crate) grants_start: u32,
    pub(crate) grants_len: u32,
    /// For a run longer than [`LINEAR_RUN`], its index in
    /// [`Policy::wide_filters`](super::Policy::wide_filters); otherwise (and for the runs beyond the
    /// first [`NO_WIDE`] long ones, searched without one) [`NO_WIDE`].
    pub(crate) wide: u16,
    pub(crate) kind: ResourceKind,
    /// This node's bit in users' scope filters ([`principal_key::filter_shift`] of its id).
    pub(crate) scope_bit: u8,
}

/// One grant to a group (a team, `Everyone` or `Public`) in a node's run.
/// Grants to one user are kept with the user instead ([`UserGrant`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GrantEntry {
    pub(crate) key: u32,
    pub(crate) effect: Effect,
    pub(crate) role: u32,
    /// `principal_key::filter_shift(key)`, kept to spare a multiply per entry.
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
    (scope, principal_key::pack(principal), effect, role)
}

impl Node {
    /// Whether this resource still exists: a removed one keeps its slot (ids
    /// are never reused) with its `tenant` set to [`REMOVED`] by the store.
    #[inline]
    pub(crate) const fn is_live(&self) -> bool {
        self.tenant != REMOVED
    }

    /// The parent, `None` for a tenant root (and for a removed root).
    #[inline]
    pub(crate) fn parent_id(&self) -> Option<ResourceId> {
        (self.parent != NONE).then_some(ResourceId(self.parent))
    }

    /// The tenant root, `None` once removed.
    #[inline]
    pub(crate) fn tenant_id(&self) -> Option<ResourceId> {
        self.is_live().then_some(ResourceId(self.tenant))
    }

    /// Resource `id`, of `kind` in `tenant` ([`REMOVED`] for a removed
    /// one), below `parent` and `grandparent` ([`NONE`] for none), without
    /// grants: the one place a node is made, by the builder and by changes.
    /// Its path summaries are the store's to write once it is placed.
    pub(crate) fn new(
        id: u32,
        parent: u32,
        grandparent: u32,
        tenant: u32,
        kind: ResourceKind,
    ) -> Node {
        Node {
            filter: 0,
            path_filter: 0,
            path_scopes: 0,
            parent,
            grandparent,
            tenant,
            grants_start: 0,
            grants_len: 0,
            wide: NO_WIDE,
            kind,
            scope_bit: principal_key::filter_shift(id),
        }
    }
}

impl GrantEntry {
    /// The grant of `role` with `effect` to the group `principal` (never a
    /// user: see [`UserGrant`]), reaching the types in `eligible` (the
    /// role's flattened eligibility) when `condition` holds: the one place
    /// an entry is made, by the builder and by changes.
    pub(crate) fn new(
        principal: Principal,
        effect: Effect,
        role: u32,
        eligible: UserTypes,
        condition: Condition,
    ) -> GrantEntry {
        let key = principal_key::pack(principal);
        GrantEntry {
            key,
            effect,
            role,
            filter_bit: principal_key::filter_shift(key),
            eligible,
            condition,
        }
    }

    /// This grant's identity, on the node `scope` whose run holds it.
    #[inline]
    pub(crate) fn identity(&self, scope: u32) -> GrantIdentity {
        grant_identity(
            principal_key::unpack(self.key),
            scope,
            self.role,
            self.effect,
        )
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
/// beside the records, in [`Policy::invitations`](super::Policy::invitations), [`Policy::user_labels`](super::Policy::user_labels)
/// and [`Policy::long_runs`](super::Policy::long_runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct UserRecord {
    /// Bits of the user's teams and `Everyone`, as in node filters.
    pub(crate) filter: u64,
    /// Bits of the resources where the user holds grants of its own.
    pub(crate) scope_filter: u64,
    /// Where the user's own grants start in [`Policy::user_grants`](super::Policy::user_grants)
    /// (sorted by scope); [`Policy::own_grants`](super::Policy::own_grants) gives them.
    pub(crate) grants_start: u32,
    /// Where the user's teams start in [`Policy::user_teams`](super::Policy::user_teams) (sorted);
    /// [`Policy::teams_of`](super::Policy::teams_of) gives them.
    pub(crate) teams_start: u32,
    pub(crate) tenant: u32,
    /// How many grants of its own the user holds; [`LONG_RUN`] for that
    /// many or more, counted in [`Policy::long_runs`](super::Policy::long_runs).
    pub(super) grants_len: u16,
    /// How many teams the user is in, its state, type and channels.
    traits: Traits,
}

/// [`UserRecord::grants_len`] of a user holding this many grants of its
/// own or more: the count is in [`Policy::long_runs`](super::Policy::long_runs).
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

    #[inline]
    fn get(self, (shift, mask): (u16, u16)) -> u16 {
        (self.0 >> shift) & mask
    }

    /// `value` replaces the field; bits beyond its width are dropped.
    fn with(self, (shift, mask): (u16, u16), value: u16) -> Traits {
        Traits(self.0 & !(mask << shift) | (value & mask) << shift)
    }

    #[inline]
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

    #[inline]
    fn state(self) -> State {
        match self.get(Traits::STATE) {
            0 => State::Invited,
            1 => State::Active,
            2 => State::Suspended,
            _ => State::Deactivated,
        }
    }

    #[inline]
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
    #[inline]
    fn user_types(self) -> UserTypes {
        UserTypes::from_bits_truncate(1 << self.get(Traits::TYPE))
    }

    #[inline]
    fn channels(self) -> Channels {
        // A 4-bit field: the cast keeps every bit of it.
        Channels::from_bits_truncate(self.get(Traits::CHANNELS) as u8)
    }
}

/// How many grants of its own user `user` (whose record is `record`) holds.
#[inline]
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

impl UserRecord {
    /// Whether this user still exists: a removed one keeps its slot (ids
    /// are never reused) with its `tenant` set to [`REMOVED`] by the store.
    #[inline]
    pub(crate) const fn is_live(&self) -> bool {
        self.tenant != REMOVED
    }

    /// The user's tenant root, `None` once removed.
    #[inline]
    pub(crate) fn tenant_id(&self) -> Option<ResourceId> {
        self.is_live().then_some(ResourceId(self.tenant))
    }

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
    #[inline]
    pub(crate) fn teams_len(&self) -> usize {
        self.traits.teams()
    }

    pub(crate) fn set_teams_len(&mut self, teams: usize) {
        self.traits = self.traits.with_teams(teams);
    }

    #[inline]
    pub(crate) fn state(&self) -> State {
        self.traits.state()
    }

    pub(crate) fn set_state(&mut self, state: State) {
        self.traits = self.traits.with(Traits::STATE, state as u16);
    }

    /// Gives the user type `user_type` and channels `channels` (checked
    /// against the type by the caller).
    pub(crate) fn set_kind(&mut self, user_type: UserType, channels: Channels) {
        self.traits = self
            .traits
            .with(Traits::TYPE, user_type as u16)
            .with(Traits::CHANNELS, u16::from(channels.bits()));
    }

    #[inline]
    pub(crate) fn user_type(&self) -> UserType {
        self.traits.user_type()
    }

    /// [`user_type`](UserRecord::user_type) as a one-element set.
    #[inline]
    pub(crate) fn user_types(&self) -> UserTypes {
        self.traits.user_types()
    }

    /// The channels the user may use.
    #[inline]
    pub(crate) fn channels(&self) -> Channels {
        self.traits.channels()
    }
}

// The sizes the layout documents, checked when compiling.
const _: () = assert!(core::mem::size_of::<Node>() == 64);
const _: () = assert!(core::mem::size_of::<UserRecord>() == 32);

/// A [`Status`] without the invitation's expiry (kept in
/// [`Policy::invitations`](super::Policy::invitations)), so that a user record stays small.
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
    /// The subtree root the key is limited to, or [`NONE`] (no limit, or
    /// several subtrees: see `subtrees`).
    pub(crate) within: u32,
    /// For a key limited to several subtrees, the index of their roots
    /// (sorted, for `within_any`'s lookups) in
    /// [`Policy::key_subtrees`](super::Policy::key_subtrees); otherwise
    /// [`NONE`].
    pub(crate) subtrees: u32,
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

impl KeyRecord {
    /// Whether this API key still exists: a removed one keeps its slot (ids
    /// are never reused) with its `owner` set to [`REMOVED`] by the store.
    #[inline]
    pub(crate) const fn is_live(&self) -> bool {
        self.owner != REMOVED
    }

    /// The key's owner, `None` once removed.
    #[inline]
    pub(crate) fn owner_id(&self) -> Option<UserId> {
        self.is_live().then_some(UserId(self.owner))
    }

    /// The record of `key`, owned by user `owner` and limited to the
    /// subtrees of `roots` (none: no limit), the roots of several kept in
    /// `subtrees` (the policy's [`key_subtrees`](super::Policy::key_subtrees)):
    /// the one place a live key's record is made, by the builder and by the
    /// store.
    pub(crate) fn new(
        owner: UserId,
        roots: &[ResourceId],
        key: &ApiKey,
        subtrees: &mut Vec<Vec<u32>>,
    ) -> KeyRecord {
        let (within, several) = match roots {
            [] => (NONE, NONE),
            [root] => (root.0, NONE),
            _ => match u32::try_from(subtrees.len()) {
                Ok(index) if index != NONE => {
                    subtrees.push(roots.iter().map(|root| root.0).collect());
                    (NONE, index)
                }
                // More keys of several subtrees than ids count (never, as
                // keys are fewer): limited to a root no resource is below,
                // so that it fails closed, reaching nothing.
                _ => (REMOVED, NONE),
            },
        };
        KeyRecord {
            owner: owner.0,
            within,
            subtrees: several,
            scope: key.scope,
            expires_at: key.expires_at,
            revoked: key.revoked,
        }
    }

    /// The record a removed key, declared as `key`, leaves: no owner,
    /// revoked.
    pub(crate) fn removed(key: &ApiKey) -> KeyRecord {
        KeyRecord {
            owner: REMOVED,
            within: NONE,
            subtrees: NONE,
            scope: key.scope,
            expires_at: None,
            revoked: true,
        }
    }
}

impl LinkRecord {
    /// Whether this public link still exists: a removed one keeps its slot (ids
    /// are never reused) with its `resource` set to [`REMOVED`] by the store.
    #[inline]
    pub(crate) const fn is_live(&self) -> bool {
        self.resource != REMOVED
    }

    /// The resource the link opens, `None` once removed.
    #[inline]
    pub(crate) fn resource_id(&self) -> Option<ResourceId> {
        self.is_live().then_some(ResourceId(self.resource))
    }

    /// The record of `link`, to resource `resource`: the one place a live
    /// link's record is made, by the builder and by changes.
    pub(crate) fn new(resource: ResourceId, link: &PublicLink) -> LinkRecord {
        LinkRecord {
            resource: resource.0,
            permissions: link.permissions,
            expires_at: link.expires_at,
            revoked: link.revoked,
        }
    }

    /// The record a removed link, declared as `link`, leaves: no
    /// resource, revoked.
    pub(crate) fn removed(link: &PublicLink) -> LinkRecord {
        LinkRecord {
            resource: REMOVED,
            permissions: link.permissions,
            expires_at: None,
            revoked: true,
        }
    }
}

/// Runs of at most this many grants are scanned; longer ones are searched.
pub(crate) const LINEAR_RUN: usize = 8;

/// The one way to read each run of the layout, shared by the hot path
/// ([`evaluate`](super::evaluate)), the store, changes, queries and
/// authority.
impl super::Policy {
    /// A node's group grants (teams, `Everyone`, `Public`), sorted by principal.
    // inline(always): as plain #[inline], +7 instr/request (bare), +10 (team),
    // +7 (effective); cachegrind, issue 15
    #[inline(always)]
    pub(crate) fn group_grants(&self, node: &Node) -> &[GrantEntry] {
        let start = node.grants_start as usize;
        self.grants
            .get(start..start + node.grants_len as usize)
            .unwrap_or(&[])
    }

    /// A user's teams, sorted.
    #[inline]
    pub(crate) fn teams_of(&self, record: &UserRecord) -> &[u32] {
        let start = record.teams_start as usize;
        self.user_teams
            .get(start..start + record.teams_len())
            .unwrap_or(&[])
    }

    /// User `user`'s own grants, sorted by scope.
    // inline(always): as plain #[inline], +16 instr/request (bare), +19 (team),
    // +18 (effective); cachegrind, issue 15
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

    /// What `role` gives on resources of the kind with index `kind`: its
    /// own rules and every inherited role's, flattened at build (nothing
    /// for an unknown role or kind).
    #[inline]
    pub(crate) fn role_permissions(&self, role: u32, kind: usize) -> Permissions {
        self.roles
            .get(role as usize)
            .and_then(|kinds| kinds.get(kind))
            .copied()
            .unwrap_or_else(Permissions::empty)
    }

    /// A user's labels.
    #[inline]
    pub(crate) fn user_labels_of(&self, user: u32) -> Labels {
        self.user_labels
            .get(user as usize)
            .copied()
            .unwrap_or_else(Labels::empty)
    }

    /// Whether `resource` is in the subtrees key `key` is limited to
    /// (always, for a key without a limit).
    #[inline]
    pub(crate) fn key_reaches(&self, resource: u32, key: &KeyRecord) -> bool {
        if key.subtrees == NONE {
            self.is_within(resource, key.within)
        } else {
            self.within_any(resource, key)
        }
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

    /// The roots of the subtrees a key is limited to (empty: no limit).
    pub(crate) fn key_roots<'k>(&'k self, key: &'k KeyRecord) -> &'k [u32] {
        if key.subtrees != NONE {
            self.key_subtrees
                .get(key.subtrees as usize)
                .map_or(&[], Vec::as_slice)
        } else if key.within != NONE {
            core::slice::from_ref(&key.within)
        } else {
            &[]
        }
    }

    /// Whether `resource` is in one of the subtrees a key limited to
    /// several is limited to: each ancestor looked up among the roots,
    /// which are sorted (the builder and `add_key` sort them, removing a
    /// root keeps the order), so that a key of thousands of flows costs a
    /// decision no scan of them per ancestor.
    #[cold]
    pub(crate) fn within_any(&self, resource: u32, key: &KeyRecord) -> bool {
        let roots = self.key_roots(key);
        let mut at = resource;
        while let Some(node) = self.nodes.get(at as usize) {
            if roots.binary_search(&at).is_ok() {
                return true;
            }
            at = node.parent;
        }
        false
    }
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
