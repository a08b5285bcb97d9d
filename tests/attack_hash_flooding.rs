//! Attack family: hash flooding. Whoever picks names (a document's author,
//! the users of an admin screen) must not be able to pick names that
//! collide in the policy's name tables: 40,000 names sharing one home slot
//! turn every insertion and lookup into a walk over all of them
//! (quadratic: seconds to load a 3 MB document, hundreds of microseconds
//! per `user_id`). The tables hash with a key the attacker cannot know, so
//! names crafted against any fixed hash cost what random names cost.
//!
//! Cost is measured as probe steps (`Policy::name_probe_steps`), a count,
//! so the test does not depend on the speed of a busy machine.
#![expect(
    clippy::expect_used,
    reason = "fixture helpers outside #[test] fns stop the test loudly on a broken fixture"
)]

use clearance::{Policy, PolicyBuilder, PolicyDocument, ResourceKind as K, User};

const COUNT: usize = 40_000;

/// The multiplier of the word step of the fixed hash the name tables used
/// before they were keyed (FxHash's).
const K_FX: u64 = 0x517c_c1b7_2722_0a95;
const MIX_1: u64 = 0xbf58_476d_1ce4_e5b9;
const MIX_2: u64 = 0x94d0_49bb_1331_11eb;

/// The fixed hash the name tables used before, for names of 8 bytes: one
/// FxHash word step, then splitmix64's finalizer.
fn old_hash(name: &[u8; 8]) -> u64 {
    let mut h = (8u64.rotate_left(5) ^ u64::from_le_bytes(*name)).wrapping_mul(K_FX);
    h = (h ^ (h >> 30)).wrapping_mul(MIX_1);
    h = (h ^ (h >> 27)).wrapping_mul(MIX_2);
    h ^ (h >> 31)
}

/// The inverse of `x` modulo 2^64 (`x` odd), by Newton's iteration.
fn inverse(x: u64) -> u64 {
    let mut y = x;
    for _ in 0..6 {
        y = y.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(y)));
    }
    y
}

/// The inverse of `h ^= h >> shift`.
fn unshift(h: u64, shift: u32) -> u64 {
    let mut x = h;
    for _ in 0..(64 / shift) {
        x = h ^ (x >> shift);
    }
    x
}

/// `count` distinct 8-byte ASCII names whose old hashes agree on bits 32 to
/// 55, the bits that chose the home slot of tables of up to 16 million
/// slots: the old hash put them all in one slot. Found by inverting the old
/// hash (every step of it is invertible) from chosen outputs, keeping the
/// inputs that are ASCII (one in 256).
fn crafted_names(count: usize) -> Vec<String> {
    let (k_inverse, mix_1_inverse, mix_2_inverse) = (inverse(K_FX), inverse(MIX_1), inverse(MIX_2));
    let mut names = Vec::with_capacity(count);
    let mut output: u64 = 0;
    while names.len() < count {
        // Bits 32..56 stay 0; the others count.
        let wanted = (output & 0xffff_ffff) | ((output >> 32) << 56);
        output += 1;
        let mut h = unshift(wanted, 31).wrapping_mul(mix_2_inverse);
        h = unshift(h, 27).wrapping_mul(mix_1_inverse);
        h = unshift(h, 30);
        let word = h.wrapping_mul(k_inverse) ^ 8u64.rotate_left(5);
        let bytes = word.to_le_bytes();
        if bytes.iter().all(u8::is_ascii) {
            debug_assert_eq!(old_hash(&bytes) >> 32 & 0xff_ffff, 0);
            names.push(String::from_utf8(bytes.to_vec()).expect("ASCII"));
        }
    }
    names
}

/// `COUNT` distinct random 8-byte ASCII names (a fixed xorshift stream).
fn random_names() -> Vec<String> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < COUNT {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let bytes = (state & 0x7f7f_7f7f_7f7f_7f7f).to_le_bytes();
        seen.insert(String::from_utf8(bytes.to_vec()).expect("ASCII"));
    }
    seen.into_iter().collect()
}

fn users(names: &[String], seed: Option<u128>) -> Policy {
    let mut builder = PolicyBuilder::new();
    if let Some(seed) = seed {
        builder.hash_seed(seed);
    }
    builder.tenant("acme", K::Organization);
    for name in names {
        builder.user(User::new(name.as_str(), "acme"));
    }
    builder.build().expect("builds")
}

#[test]
fn the_crafted_names_did_collide_under_the_old_fixed_hash() {
    let names = crafted_names(COUNT);
    let homes: std::collections::BTreeSet<u64> = names
        .iter()
        .map(|name| old_hash(name.as_bytes().try_into().expect("8 bytes")) >> 32 & 0xff_ffff)
        .collect();
    assert_eq!(homes.len(), 1);
    let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
    assert_eq!(distinct.len(), COUNT);
}

#[test]
fn names_chosen_to_collide_cost_no_more_than_random_names() {
    let crafted = crafted_names(COUNT);
    let random = random_names();
    // The default key (random, per policy), and a key the host gives.
    for seed in [None, Some(0x0123_4567_89ab_cdef_u128 << 40)] {
        let attacked = users(&crafted, seed);
        let normal = users(&random, seed);
        let (attacked_steps, normal_steps) =
            (attacked.name_probe_steps(), normal.name_probe_steps());
        // Random names sit under a slot from home on average; the crafted
        // ones, if they collided, about COUNT / 2 (800 million in all).
        assert!(
            normal_steps < 2 * COUNT as u64,
            "random names: {normal_steps} probe steps"
        );
        assert!(
            attacked_steps <= 4 * normal_steps + 1_000,
            "crafted names: {attacked_steps} probe steps, random names: {normal_steps} (seed {seed:?})"
        );
        // And every name is still found.
        for (id, name) in crafted.iter().enumerate().step_by(97) {
            assert_eq!(
                attacked.user_id(name).map(|user| user.index()),
                Some(id as u32)
            );
        }
    }
}

#[test]
fn policies_with_the_same_names_are_equal_whatever_their_hash_keys() {
    let crafted = &crafted_names(2_000);
    let a = users(crafted, Some(1));
    let b = users(crafted, Some(2));
    let c = users(crafted, None);
    assert_eq!(a, b);
    assert_eq!(a, c);
    let document: PolicyDocument = c.to_document();
    assert_eq!(Policy::from_document(&document).expect("builds"), a);
    assert_eq!(
        Policy::from_document_seeded(&document, 3).expect("builds"),
        a
    );
    // The key never shows in a policy's `Debug`, which may reach a log.
    let debug = format!("{a:?}");
    assert!(debug.contains("HashSeed(..)"), "the seed is hidden");
}
