//! Failures that are one failure to routing: two elements that take down
//! exactly the same trunks, WAN links, Registrar pools and Mediation
//! server (a gateway and its one trunk), and a pair of elements that
//! together take down exactly what one element does (the two trunks of a
//! gateway that has no other, or a WAN link and a gateway that are all a
//! branch has). A reviewer runs such a failure once.

use std::collections::HashMap;

use crate::model::{LinkId, Model, RegistrarPoolId, TrunkId};
use crate::scenario::FailureTarget;

use super::routes;

/// What a failure takes down, as routing sees it; each list sorted and
/// distinct.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Down {
    trunks: Vec<TrunkId>,
    links: Vec<LinkId>,
    registrars: Vec<RegistrarPoolId>,
    /// The Mediation servers failed one by one (pool, server): kept
    /// apart even when they are all the pool has, as the simulation keeps
    /// them (a server's failure is not its pool's).
    servers: Vec<(usize, u32)>,
}

impl Down {
    fn of(model: &Model, targets: &[FailureTarget]) -> Self {
        let mut links: Vec<LinkId> = targets.iter().flat_map(|t| t.links(model)).collect();
        let mut registrars: Vec<RegistrarPoolId> = targets.iter().flat_map(|t| t.registrar_pools(model)).collect();
        links.sort_unstable();
        links.dedup();
        registrars.sort_unstable();
        registrars.dedup();
        let mut servers: Vec<(usize, u32)> = targets
            .iter()
            .filter_map(|t| match t {
                FailureTarget::MediationServer(p, n) => Some((p.index(), *n)),
                _ => None,
            })
            .collect();
        servers.sort_unstable();
        Self { trunks: routes::trunks_down(model, targets).into_iter().collect(), links, registrars, servers }
    }

    /// An order-free hash of the set of what it takes down: the items'
    /// hashes XORed, so that a pair's can be had from its singles' without
    /// building the union.
    fn hash(&self) -> u64 {
        let mut h = 0;
        self.servers.iter().for_each(|&(p, n)| h ^= item(3, ((p as u64) << 32) | u64::from(n)));
        self.trunks.iter().for_each(|t| h ^= item(0, t.index() as u64));
        self.links.iter().for_each(|l| h ^= item(1, l.index() as u64));
        self.registrars.iter().for_each(|r| h ^= item(2, r.index() as u64));
        h
    }
}

/// One item's hash (splitmix64 of its kind and index).
fn item(kind: u64, index: u64) -> u64 {
    let mut z = (kind << 56 ^ index).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The hashes of the items two sorted lists share.
fn common<T: Ord + Copy>(a: &[T], b: &[T], hash: impl Fn(T) -> u64) -> u64 {
    let (mut i, mut j, mut h) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                h ^= hash(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    h
}

/// The single elements of a what-if, each with what it takes down.
pub struct SameFailures<'a> {
    model: &'a Model,
    singles: &'a [FailureTarget],
    downs: Vec<Down>,
    hashes: Vec<u64>,
    /// For each single, the first single that fails exactly what it
    /// fails (itself when none before it does).
    first: Vec<usize>,
    /// The first single of each hash.
    by_hash: HashMap<u64, usize>,
}

impl<'a> SameFailures<'a> {
    pub fn of(model: &'a Model, singles: &'a [FailureTarget]) -> Self {
        let downs: Vec<Down> = singles.iter().map(|t| Down::of(model, std::slice::from_ref(t))).collect();
        let hashes: Vec<u64> = downs.iter().map(Down::hash).collect();
        let mut seen: HashMap<&Down, usize> = HashMap::new();
        let first = downs.iter().enumerate().map(|(i, d)| *seen.entry(d).or_insert(i)).collect();
        let mut by_hash = HashMap::new();
        for (i, h) in hashes.iter().enumerate() {
            by_hash.entry(*h).or_insert(i);
        }
        Self { model, singles, downs, hashes, first, by_hash }
    }

    /// For each single, the first single failing exactly what it fails.
    pub fn first(&self) -> &[usize] {
        &self.first
    }

    /// The hash of what singles `a` and `b` fail together, had from
    /// theirs less what they share; `None` for a pair with a Mediation
    /// server, whose failure is not its pool's, nor its peer's, to the
    /// simulation (the peers retry its siblings, or notice it by their
    /// own timers): such a pair stands for no other case.
    pub fn pair_hash(&self, a: usize, b: usize) -> Option<u64> {
        let (x, y) = (&self.downs[a], &self.downs[b]);
        if !x.servers.is_empty() || !y.servers.is_empty() {
            return None;
        }
        Some(
            self.hashes[a]
                ^ self.hashes[b]
                ^ common(&x.trunks, &y.trunks, |t| item(0, t.index() as u64))
                ^ common(&x.links, &y.links, |l| item(1, l.index() as u64))
                ^ common(&x.registrars, &y.registrars, |r| item(2, r.index() as u64)),
        )
    }

    /// Whether two pairs fail exactly the same (compared in full: for
    /// pairs whose [`pair_hash`](Self::pair_hash) agrees).
    pub fn same_pairs(&self, [a, b]: [usize; 2], [c, d]: [usize; 2]) -> bool {
        let down = |i: usize, j: usize| Down::of(self.model, &[self.singles[i], self.singles[j]]);
        down(a, b) == down(c, d)
    }

    /// The single failing exactly what singles `a` and `b` fail together
    /// (the first of its kind; it may be `a` or `b` when the other adds
    /// nothing), or `None`.
    pub fn of_pair(&self, a: usize, b: usize) -> Option<usize> {
        let s = *self.by_hash.get(&self.pair_hash(a, b)?)?;
        if !self.downs[s].servers.is_empty() {
            return None;
        }
        // The hash found a candidate: compared exactly.
        (Down::of(self.model, &[self.singles[a], self.singles[b]]) == self.downs[s]).then_some(self.first[s])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ElementClass;

    #[test]
    fn two_trunks_of_a_gateway_with_no_other_are_the_gateway() {
        let m = Model::contoso();
        // Every class, sites and Registrar pools too.
        let e = super::super::elements(&m, &ElementClass::ALL);
        let same = SameFailures::of(&m, &e);
        let at = |label: &str| e.iter().position(|t| t.label(&m) == label).unwrap();
        let (gw, t1, t2) = (at("peer:gw-red-2"), at("trunk:gw-red-2"), at("trunk:gw-red-2-ld"));
        assert_eq!(same.of_pair(t1, t2), Some(gw));
        assert_eq!(same.of_pair(t2, t1), Some(gw));
        // One trunk of it with another gateway's: no one element.
        assert_eq!(same.of_pair(t1, at("trunk:gw-red-1")), None);
        // Every pair found is exactly its single's failure, checked the
        // slow way; and no pair is missed.
        let mut found = 0;
        for a in 0..e.len() {
            for b in a + 1..e.len() {
                let pair = Down::of(&m, &[e[a], e[b]]);
                let slow =
                    (0..e.len()).find(|&s| same.downs[s] == pair && pair.servers.is_empty()).map(|s| same.first[s]);
                assert_eq!(same.of_pair(a, b), slow, "{} + {}", e[a].label(&m), e[b].label(&m));
                found += usize::from(slow.is_some());
            }
        }
        assert!(found > 1, "{found}");
    }
}
