//! The names of one kind of entity (resources, users, teams, keys or
//! links): name of an id, and id of a name.
//!
//! A million users' names held as a `BTreeMap<String, u32>` plus a
//! `Vec<String>` cost about 130 bytes each and a dozen string compares per
//! lookup. Here every name is stored once, in one string, and found
//! through an open-addressing table of ids (linear probing, with one byte
//! of each slot's hash kept beside it so that a probe rarely reads a
//! name): about 20 bytes per name plus its text, and one string compare
//! per lookup. Names are looked up when a policy is built or changed and
//! by the host's `*_id` calls, never by a decision.
//!
//! Names come from outside (a document, a change made in an admin screen),
//! so the hash must not let anyone choose names that collide: 40,000 names
//! that share a home slot make every insertion and every lookup walk all
//! of them (quadratic: a 3 MB document took 10 s to load with the fixed
//! hash this replaced). The hash is therefore SipHash-1-3, a keyed
//! pseudo-random function, under a 128-bit key ([`HashSeed`]) the attacker
//! cannot know: with the `std` feature each policy draws its own at random
//! (from the standard library's [`RandomState`](std::collections::hash_map::RandomState));
//! without `std` the crate has no source of randomness, so the host
//! supplies one ([`PolicyBuilder::hash_seed`](crate::PolicyBuilder::hash_seed)),
//! or a fixed key is used and chosen collisions are possible again. The
//! key decides only where names sit in the table, never which id a name
//! gets: two policies with the same names are equal whatever their keys.

use alloc::string::String;
use alloc::vec::Vec;

/// Name-to-id lookup, over a [`NameTable`] or a small map (roles).
pub(crate) trait Ids {
    /// The id `name` stands for, if any.
    fn id_of(&self, name: &str) -> Option<u32>;
}

impl Ids for NameTable {
    fn id_of(&self, name: &str) -> Option<u32> {
        self.id(name)
    }
}

impl Ids for alloc::collections::BTreeMap<String, u32> {
    fn id_of(&self, name: &str) -> Option<u32> {
        self.get(name).copied()
    }
}

/// A slot holding no id.
const EMPTY: u32 = u32::MAX;

/// The slots are at most this full (7/8): the tag bytes make long probe
/// sequences cheap.
const LOAD_NUMERATOR: usize = 7;
const LOAD_DENOMINATOR: usize = 8;

/// The key of the name tables' hash (see the module documentation).
///
/// `Debug` does not show it: a policy's `Debug` output may reach a log,
/// and the key is what keeps names from being chosen to collide.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct HashSeed {
    k0: u64,
    k1: u64,
}

impl HashSeed {
    /// The key made of `seed`'s 128 bits.
    pub(crate) const fn new(seed: u128) -> HashSeed {
        HashSeed {
            k0: seed as u64,
            k1: (seed >> 64) as u64,
        }
    }

    /// A key no one outside this process can know: two words of the
    /// standard library's per-process random hashing state, itself seeded
    /// by the operating system.
    #[cfg(feature = "std")]
    pub(crate) fn random() -> HashSeed {
        use core::hash::BuildHasher;
        let state = std::collections::hash_map::RandomState::new();
        HashSeed {
            k0: state.hash_one(0x6b30_u64),
            k1: state.hash_one(0x6b31_u64),
        }
    }

    /// Without `std` there is no source of randomness: a fixed key, which
    /// the host replaces with its own through
    /// [`PolicyBuilder::hash_seed`](crate::PolicyBuilder::hash_seed).
    #[cfg(not(feature = "std"))]
    pub(crate) fn random() -> HashSeed {
        HashSeed::new(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210)
    }
}

impl core::fmt::Debug for HashSeed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("HashSeed(..)")
    }
}

/// Names by id, and the id of each name still in use.
#[derive(Debug, Clone)]
pub(crate) struct NameTable {
    /// The key of [`hash`](NameTable::hash): where names sit in `slots`, nothing else.
    seed: HashSeed,
    /// Every name, one after the other.
    text: String,
    /// Where each id's name ends in `text` (it starts where the previous
    /// one ends).
    ends: Vec<u32>,
    /// Open addressing: the id of a name, or [`EMPTY`]. The length is 0 or
    /// a power of two.
    slots: Vec<u32>,
    /// One byte of the hash of the name in the same slot.
    tags: Vec<u8>,
    /// How many slots hold an id.
    mapped: usize,
}

/// Why a name could not be added: the names of one kind of entity exceed
/// 4 GiB in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextFull;

/// An empty table under a fresh key ([`HashSeed::random`]).
impl Default for NameTable {
    fn default() -> NameTable {
        NameTable::with_seed(HashSeed::random())
    }
}

impl NameTable {
    /// An empty table whose hash is keyed by `seed`.
    pub(crate) fn with_seed(seed: HashSeed) -> NameTable {
        NameTable {
            seed,
            text: String::new(),
            ends: Vec::new(),
            slots: Vec::new(),
            tags: Vec::new(),
            mapped: 0,
        }
    }

    /// The hash of `name` under this table's key.
    fn hash(&self, name: &str) -> u64 {
        siphash13(self.seed, name.as_bytes())
    }

    /// How many slots past their home slot the mapped names sit, in all:
    /// the probe steps that looking up every name once takes beyond the
    /// first. About a name's worth for random names; quadratic in the
    /// number of names if they could be chosen to collide.
    pub(crate) fn probe_steps(&self) -> u64 {
        let mask = self.slots.len().wrapping_sub(1);
        let mut steps = 0u64;
        for (slot, &id) in self.slots.iter().enumerate() {
            if let Some(name) = self.name(id).filter(|_| id != EMPTY) {
                let home = home(self.hash(name), mask);
                steps += (slot.wrapping_sub(home) & mask) as u64;
            }
        }
        steps
    }

    /// How many ids were ever given (removed ones keep their names).
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The name of `id`.
    pub(crate) fn name(&self, id: u32) -> Option<&str> {
        let index = id as usize;
        let end = *self.ends.get(index)? as usize;
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends.get(previous).map_or(0, |&end| end as usize),
            None => 0,
        };
        self.text.get(start..end)
    }

    /// The name of `id` as an owned string, empty for an unknown id (for
    /// error messages).
    pub(crate) fn owned(&self, id: u32) -> String {
        String::from(self.name(id).unwrap_or_default())
    }

    /// The id `name` stands for, if any.
    pub(crate) fn id(&self, name: &str) -> Option<u32> {
        let slot = self.find(name, self.hash(name)).ok()?;
        self.slots.get(slot).copied()
    }

    /// The ids of many names, in order ([`NONE`](crate::NONE) for a name
    /// that stands for nothing, 4 bytes each where an `Option` takes 8):
    /// the answers of [`id`](NameTable::id), faster for large
    /// batches. Each name costs a few cache misses (its slot, its end
    /// offset, its text) that depend on each other; here the names go in
    /// groups, each step done for the whole group before the next, so the
    /// misses of a group overlap instead of following one another.
    pub(crate) fn ids<'a>(&self, names: impl Iterator<Item = &'a str>) -> Vec<u32> {
        const GROUP: usize = 16;
        let mut found = Vec::with_capacity(names.size_hint().0);
        let mask = self.slots.len().wrapping_sub(1);
        let mut names = names.peekable();
        while names.peek().is_some() {
            let mut group: [(&str, u64); GROUP] = [("", 0); GROUP];
            let mut count = 0;
            for (slot, name) in group.iter_mut().zip(&mut names) {
                *slot = (name, self.hash(name));
                count += 1;
            }
            let group = group.get(..count).unwrap_or(&[]);
            // Step 1: every home slot of the group, then the end offsets
            // of the names there. Reading them here is what overlaps the
            // misses; `touched` keeps the reads from being optimized away.
            let mut touched = 0u32;
            for &(_, hash) in group {
                let id = self.slots.get(home(hash, mask)).copied().unwrap_or(EMPTY);
                touched ^= id;
                if id != EMPTY {
                    let index = id as usize;
                    let end = self.ends.get(index).copied().unwrap_or(0);
                    let start = index
                        .checked_sub(1)
                        .and_then(|previous| self.ends.get(previous).copied())
                        .unwrap_or(0);
                    touched ^= end ^ start;
                    touched ^= u32::from(
                        self.text
                            .as_bytes()
                            .get(start as usize)
                            .copied()
                            .unwrap_or(0),
                    );
                }
            }
            // Step 2: the lookups themselves, now mostly from cache.
            for &(name, hash) in group {
                found.push(
                    self.find(name, hash)
                        .ok()
                        .and_then(|slot| self.slots.get(slot).copied())
                        .unwrap_or(crate::NONE),
                );
            }
            core::hint::black_box(touched);
        }
        found
    }

    /// Whether `name` stands for an id.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.id(name).is_some()
    }

    /// Gives `name` the next id. Returns that id, and whether the name now
    /// stands for it: `false` when the name already stood for another id,
    /// which keeps it (the first declaration keeps a name).
    pub(crate) fn push(&mut self, name: &str) -> Result<(u32, bool), TextFull> {
        let end = u32::try_from(self.text.len() + name.len()).map_err(|_| TextFull)?;
        let id = u32::try_from(self.ends.len()).map_err(|_| TextFull)?;
        if id == EMPTY {
            return Err(TextFull);
        }
        let hash = self.hash(name);
        let fresh = match self.find(name, hash) {
            Ok(_) => false,
            Err(_) => {
                self.grow_for(self.mapped + 1);
                // Growing moved the slots: probe again for a free one.
                if let Err(slot) = self.find(name, hash) {
                    self.occupy(slot, id, hash);
                }
                true
            }
        };
        self.text.push_str(name);
        self.ends.push(end);
        Ok((id, fresh))
    }

    /// Makes the name of `id` stand for nothing, if it still stands for
    /// `id` (a newer entity may have taken the name since). The name stays
    /// readable by [`name`](NameTable::name).
    pub(crate) fn forget(&mut self, id: u32) {
        let Some(name) = self.name(id) else {
            return;
        };
        let Ok(slot) = self.find(name, self.hash(name)) else {
            return;
        };
        if self.slots.get(slot) == Some(&id) {
            self.vacate(slot);
        }
    }

    /// Makes room for `count` more names without rebuilding the table as
    /// they come.
    pub(crate) fn reserve(&mut self, count: usize) {
        self.ends.reserve(count);
        self.grow_for(self.mapped + count);
    }

    /// Heap bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.ends.capacity() * core::mem::size_of::<u32>()
            + self.slots.capacity() * core::mem::size_of::<u32>()
            + self.tags.capacity()
    }

    /// Gives back spare capacity (after a build).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// Every id whose name stands for it, in id order.
    fn mapped_ids(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.ends.len()).filter_map(move |index| {
            let id = u32::try_from(index).ok()?;
            let name = self.name(id)?;
            (self.id(name) == Some(id)).then_some(id)
        })
    }

    /// The slot holding `name` (`Ok`), or the empty slot where it would go
    /// (`Err`; `usize::MAX` when there are no slots).
    fn find(&self, name: &str, hash: u64) -> Result<usize, usize> {
        let mask = match self.slots.len().checked_sub(1) {
            Some(mask) => mask,
            None => return Err(usize::MAX),
        };
        let tag = tag_of(hash);
        let mut slot = home(hash, mask);
        // The table is never full, so an empty slot ends every probe.
        for _ in 0..self.slots.len() {
            let id = self.slots.get(slot).copied().unwrap_or(EMPTY);
            if id == EMPTY {
                return Err(slot);
            }
            if self.tags.get(slot) == Some(&tag) && self.name(id) == Some(name) {
                return Ok(slot);
            }
            slot = (slot + 1) & mask;
        }
        Err(usize::MAX)
    }

    fn occupy(&mut self, slot: usize, id: u32, hash: u64) {
        if let (Some(place), Some(tag)) = (self.slots.get_mut(slot), self.tags.get_mut(slot)) {
            *place = id;
            *tag = tag_of(hash);
            self.mapped += 1;
        }
    }

    /// Empties `slot`, then moves back the entries after it whose probe
    /// passed through it, so that every probe still ends at an empty slot
    /// only after passing its name (backward-shift deletion).
    fn vacate(&mut self, mut hole: usize) {
        let mask = self.slots.len().wrapping_sub(1);
        if let Some(place) = self.slots.get_mut(hole) {
            *place = EMPTY;
            self.mapped -= 1;
        }
        let mut next = (hole + 1) & mask;
        loop {
            let id = self.slots.get(next).copied().unwrap_or(EMPTY);
            if id == EMPTY {
                return;
            }
            let home = self
                .name(id)
                .map_or(next, |name| home(self.hash(name), mask));
            // The entry at `next` may fill the hole if its home is not
            // strictly after the hole (cyclically) and up to `next`.
            let distance_home = next.wrapping_sub(home) & mask;
            let distance_hole = next.wrapping_sub(hole) & mask;
            if distance_home >= distance_hole {
                let tag = self.tags.get(next).copied().unwrap_or(0);
                if let (Some(place), Some(mark)) =
                    (self.slots.get_mut(hole), self.tags.get_mut(hole))
                {
                    *place = id;
                    *mark = tag;
                }
                if let Some(place) = self.slots.get_mut(next) {
                    *place = EMPTY;
                }
                hole = next;
            }
            next = (next + 1) & mask;
        }
    }

    /// Makes room for `wanted` mapped names, rebuilding the table when it
    /// would be fuller than the load limit.
    fn grow_for(&mut self, wanted: usize) {
        if wanted * LOAD_DENOMINATOR < self.slots.len() * LOAD_NUMERATOR {
            return;
        }
        let mut size = self.slots.len().max(8);
        while wanted * LOAD_DENOMINATOR >= size * LOAD_NUMERATOR {
            size *= 2;
        }
        let old = core::mem::replace(&mut self.slots, alloc::vec![EMPTY; size]);
        self.tags = alloc::vec![0; size];
        self.mapped = 0;
        let mask = size - 1;
        for id in old.into_iter().filter(|&id| id != EMPTY) {
            let Some(name) = self.name(id) else {
                continue;
            };
            let hash = self.hash(name);
            let mut slot = home(hash, mask);
            while self.slots.get(slot).is_some_and(|&taken| taken != EMPTY) {
                slot = (slot + 1) & mask;
            }
            self.occupy(slot, id, hash);
        }
    }
}

/// Two name tables are equal when they give the same names to the same
/// ids and the same names stand for the same ids, whatever the order of
/// their slots.
impl PartialEq for NameTable {
    fn eq(&self, other: &NameTable) -> bool {
        self.text == other.text
            && self.ends == other.ends
            && self.mapped == other.mapped
            && self.mapped_ids().eq(other.mapped_ids())
    }
}

impl Eq for NameTable {}

/// SipHash-1-3 (Aumasson and Bernstein; one compression round per word,
/// three finalization rounds, as the standard library's `HashMap` uses)
/// of `bytes` under `seed`. A keyed pseudo-random function: without the
/// key, no one can choose names whose hashes collide more often than
/// random names do.
fn siphash13(seed: HashSeed, bytes: &[u8]) -> u64 {
    siphash::<1, 3>(seed, bytes)
}

/// SipHash-c-d of `bytes` under `seed`. The state is four locals, not an
/// array, so that it stays in registers.
#[inline]
fn siphash<const C: usize, const D: usize>(seed: HashSeed, bytes: &[u8]) -> u64 {
    let mut v0 = seed.k0 ^ 0x736f_6d65_7073_6575;
    let mut v1 = seed.k1 ^ 0x646f_7261_6e64_6f6d;
    let mut v2 = seed.k0 ^ 0x6c79_6765_6e65_7261;
    let mut v3 = seed.k1 ^ 0x7465_6462_7974_6573;
    macro_rules! round {
        () => {
            v0 = v0.wrapping_add(v1);
            v1 = v1.rotate_left(13) ^ v0;
            v0 = v0.rotate_left(32);
            v2 = v2.wrapping_add(v3);
            v3 = v3.rotate_left(16) ^ v2;
            v0 = v0.wrapping_add(v3);
            v3 = v3.rotate_left(21) ^ v0;
            v2 = v2.wrapping_add(v1);
            v1 = v1.rotate_left(17) ^ v2;
            v2 = v2.rotate_left(32);
        };
    }
    macro_rules! compress {
        ($word:expr) => {
            let word: u64 = $word;
            v3 ^= word;
            for _ in 0..C {
                round!();
            }
            v0 ^= word;
        };
    }
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        compress!(u64::from_le_bytes(word));
    }
    // The last word: the remaining bytes, and the length's low byte on top.
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    if let Some(head) = last.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    compress!(u64::from_le_bytes(last) | (bytes.len() as u64) << 56);
    v2 ^= 0xff;
    for _ in 0..D {
        round!();
    }
    v0 ^ v1 ^ v2 ^ v3
}

fn home(hash: u64, mask: usize) -> usize {
    (hash >> 32) as usize & mask
}

fn tag_of(hash: u64) -> u8 {
    hash as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn every_pushed_name_is_found_by_name_and_by_id() {
        let mut names = NameTable::default();
        for i in 0..10_000u32 {
            assert_eq!(names.push(&format!("user-{i}")), Ok((i, true)));
        }
        for i in 0..10_000u32 {
            assert_eq!(names.id(&format!("user-{i}")), Some(i));
            assert_eq!(names.name(i), Some(format!("user-{i}").as_str()));
        }
        assert_eq!(names.id("user-10000"), None);
        assert_eq!(names.name(10_000), None);
    }

    #[test]
    fn ids_answer_as_id_does_for_each_name() {
        let mut names = NameTable::default();
        for i in 0..1_000u32 {
            let _ = names.push(&format!("r{i}"));
        }
        names.forget(7);
        let asked: alloc::vec::Vec<String> = (0..1_100u32).map(|i| format!("r{i}")).collect();
        let one_by_one: alloc::vec::Vec<u32> = asked
            .iter()
            .map(|n| names.id(n).unwrap_or(crate::NONE))
            .collect();
        assert_eq!(names.ids(asked.iter().map(String::as_str)), one_by_one);
        assert_eq!(one_by_one.get(7), Some(&crate::NONE));
        assert_eq!(one_by_one.get(1_050), Some(&crate::NONE));
        assert_eq!(
            NameTable::default().ids(["a", "b"].into_iter()),
            alloc::vec![crate::NONE, crate::NONE]
        );
    }

    #[test]
    fn a_duplicate_name_keeps_its_first_id() {
        let mut names = NameTable::default();
        assert_eq!(names.push("ann"), Ok((0, true)));
        assert_eq!(names.push("ann"), Ok((1, false)));
        assert_eq!(names.id("ann"), Some(0));
        assert_eq!(names.name(1), Some("ann"));
    }

    #[test]
    fn a_forgotten_name_stands_for_nothing_and_others_stay_found() {
        let mut names = NameTable::default();
        for i in 0..2_000u32 {
            let _ = names.push(&format!("t{i}"));
        }
        for i in (0..2_000u32).step_by(3) {
            names.forget(i);
        }
        for i in 0..2_000u32 {
            let expected = (i % 3 != 0).then_some(i);
            assert_eq!(names.id(&format!("t{i}")), expected, "t{i}");
            assert_eq!(names.name(i), Some(format!("t{i}").as_str()));
        }
        // The name may be taken again by a new id.
        assert_eq!(names.push("t0"), Ok((2_000, true)));
        assert_eq!(names.id("t0"), Some(2_000));
        // Forgetting the old id leaves the new holder alone.
        names.forget(0);
        assert_eq!(names.id("t0"), Some(2_000));
    }

    #[test]
    fn empty_and_unicode_names_are_names() {
        let mut names = NameTable::default();
        assert_eq!(names.push(""), Ok((0, true)));
        assert_eq!(names.push("Zoë — 東京"), Ok((1, true)));
        assert_eq!(names.id(""), Some(0));
        assert_eq!(names.id("Zoë — 東京"), Some(1));
        assert_eq!(names.name(0), Some(""));
    }

    #[test]
    fn equality_compares_names_and_what_they_stand_for() {
        let mut a = NameTable::default();
        let mut b = NameTable::default();
        for name in ["x", "y", "z"] {
            let _ = a.push(name);
            let _ = b.push(name);
        }
        // Same content, slots filled in another order.
        a.forget(0);
        a.forget(1);
        b.forget(1);
        b.forget(0);
        assert_eq!(a, b);
        b.forget(2);
        assert_ne!(a, b);
    }

    #[test]
    fn siphash_2_4_gives_the_reference_vector() {
        // The paper's Appendix A: key 00..0f, message 00..0e.
        let seed = HashSeed::new(u128::from_le_bytes(core::array::from_fn(|i| i as u8)));
        let message: [u8; 15] = core::array::from_fn(|i| i as u8);
        assert_eq!(siphash::<2, 4>(seed, &message), 0xa129_ca61_49be_45e5);
    }

    #[cfg(feature = "std")]
    #[test]
    fn siphash_1_3_agrees_with_the_standard_library() {
        use core::hash::Hasher;
        // `DefaultHasher::new()` is SipHash-1-3 under the zero key.
        let bytes: alloc::vec::Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37)).collect();
        for len in 0..=bytes.len() {
            let mut std = std::hash::DefaultHasher::new();
            std.write(&bytes[..len]);
            assert_eq!(
                siphash13(HashSeed::new(0), &bytes[..len]),
                std.finish(),
                "{len}"
            );
        }
    }

    #[test]
    fn tables_with_the_same_names_are_equal_whatever_their_keys() {
        let mut a = NameTable::with_seed(HashSeed::new(1));
        let mut b = NameTable::with_seed(HashSeed::new(2 << 70));
        for i in 0..500u32 {
            let _ = a.push(&format!("n{i}"));
            let _ = b.push(&format!("n{i}"));
        }
        a.forget(3);
        b.forget(3);
        assert_eq!(a, b);
        assert_eq!(format!("{:?}", HashSeed::new(7)), "HashSeed(..)");
        b.forget(4);
        assert_ne!(a, b);
    }

    #[test]
    fn random_names_sit_about_a_slot_from_home() {
        let mut names = NameTable::default();
        for i in 0..10_000u32 {
            let _ = names.push(&format!("user-{i}@example.com"));
        }
        // Linear probing at load 10,000 / 16,384: about 0.8 steps per name.
        assert!(names.probe_steps() < 20_000, "{}", names.probe_steps());
    }

    proptest::proptest! {
        /// Any sequence of pushes and forgets answers every lookup as a
        /// map from names to ids does (the first holder keeps a name; a
        /// forgotten name is free for the next).
        #[test]
        fn lookups_agree_with_a_map(steps in proptest::collection::vec((0u8..40, proptest::bool::ANY), 0..400)) {
            let mut names = NameTable::default();
            let mut model: alloc::collections::BTreeMap<String, u32> = Default::default();
            let mut given: alloc::vec::Vec<String> = alloc::vec::Vec::new();
            for (pick, forget) in steps {
                if forget && !given.is_empty() {
                    let id = u32::from(pick) % given.len() as u32;
                    names.forget(id);
                    let name = &given[id as usize];
                    if model.get(name) == Some(&id) {
                        model.remove(name);
                    }
                } else {
                    let name = format!("n{pick}");
                    let id = given.len() as u32;
                    let fresh = !model.contains_key(&name);
                    proptest::prop_assert_eq!(names.push(&name), Ok((id, fresh)));
                    model.entry(name.clone()).or_insert(id);
                    given.push(name);
                }
                for pick in 0..40u8 {
                    let name = format!("n{pick}");
                    proptest::prop_assert_eq!(names.id(&name), model.get(&name).copied(), "{}", name);
                }
            }
            for (id, name) in given.iter().enumerate() {
                proptest::prop_assert_eq!(names.name(id as u32), Some(name.as_str()));
            }
        }
    }
}
