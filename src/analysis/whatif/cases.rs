//! The cases of a what-if: each element alone, and with k = 2 each pair
//! of elements neither of which is a part of the other.

use crate::model::Model;
use crate::scenario::{ElementClass, FailureTarget};

/// Every element of `classes`, in model order, each once (a class given
/// twice adds nothing).
pub fn elements(model: &Model, classes: &[ElementClass]) -> Vec<FailureTarget> {
    let mut out: Vec<FailureTarget> = Vec::new();
    for t in classes.iter().flat_map(|c| FailureTarget::all_of(*c, model)) {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// A case's one or two elements, held inline: an N-2 of a large network
/// has hundreds of thousands of cases. Reads as a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    items: [FailureTarget; 2],
    len: u8,
}

impl Targets {
    pub fn one(t: FailureTarget) -> Self {
        Self { items: [t, t], len: 1 }
    }

    pub fn two(a: FailureTarget, b: FailureTarget) -> Self {
        Self { items: [a, b], len: 2 }
    }
}

impl std::ops::Deref for Targets {
    type Target = [FailureTarget];
    fn deref(&self) -> &[FailureTarget] {
        &self.items[..self.len as usize]
    }
}

/// One case to run, as read from the list.
#[derive(Debug, Clone, Copy)]
pub struct CasePlan {
    pub targets: Targets,
    /// For a pair: the index in the case list of each element's single.
    pub singles: Option<[usize; 2]>,
}

/// The cases of a what-if, and the pairs left out. The singles are the
/// elements, in model order; the pairs run follow, each held as its two
/// elements' places (8 bytes a pair: an N-2 of a large network runs
/// hundreds of thousands of pairs, and every shard holds the whole list).
#[derive(Debug, Clone)]
pub struct Cases {
    elements: Vec<FailureTarget>,
    pairs: Vec<[u32; 2]>,
    /// Pairs not run: one element is a part of the other
    /// ([`FailureTarget::parts`]: a peer and its own trunk, a Mediation
    /// pool and one of its trunks or servers, a Registrar pool and a
    /// Mediation pool collocated on it, a site and anything at it), so
    /// failing both is failing the larger alone.
    pub pairs_skipped: usize,
    /// Pairs not run because one of their elements alone cuts a site
    /// off from the PSTN ([`LeftOut::Dominated`]).
    pub pairs_dominated: usize,
    /// Pairs not run because an element fails exactly what an earlier
    /// element fails ([`LeftOut::Equivalent`]).
    pub pairs_equivalent: usize,
}

impl Cases {
    /// How many cases: the singles, then the pairs run.
    pub fn len(&self) -> usize {
        self.elements.len() + self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The singles' elements, in case order.
    pub fn singles(&self) -> &[FailureTarget] {
        &self.elements
    }

    /// Case `i` (`i` < [`Cases::len`]).
    pub fn get(&self, i: usize) -> CasePlan {
        match i.checked_sub(self.elements.len()) {
            None => CasePlan { targets: Targets::one(self.elements[i]), singles: None },
            Some(p) => {
                let [a, b] = self.pairs[p].map(|x| x as usize);
                CasePlan { targets: Targets::two(self.elements[a], self.elements[b]), singles: Some([a, b]) }
            }
        }
    }

    /// Every case, in order.
    pub fn iter(&self) -> impl Iterator<Item = CasePlan> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Why a pair is left out of the cases, besides being an element with a
/// part of itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeftOut {
    /// Run it.
    No,
    /// One of its elements alone cuts a site off from the PSTN. A
    /// reviewer reads such a pair as dominated: the single already shows
    /// the site's single point of failure, and what the second element
    /// adds is most often its own single's loss. This is a choice of what
    /// to run, not an exact reduction; `pairs = "all"` runs them.
    Dominated,
    /// An element fails exactly what an earlier element fails (the same
    /// trunks, WAN links, Registrar pools and Mediation server: a
    /// gateway, its one trunk and the branch Mediation pool that has only
    /// that trunk are one failure to routing): a reviewer pairs it once.
    /// Or the pair together fails exactly what one element fails (the
    /// two trunks of a gateway that has no other): that single is run.
    Equivalent,
}

/// Each element alone; with `k` = 2, also each pair whose elements are
/// not parts of each other.
pub fn cases(model: &Model, elements: &[FailureTarget], k: u8) -> Cases {
    cases_where(model, elements, k, &mut |_, _, _| LeftOut::No)
}

/// As [`cases`], leaving out the pairs (by their singles' indices) that
/// `left_out` says, counted by why. Pairs are decided as they are
/// generated, in two passes over the same pairs in the same order (once
/// to count those run, once to list them, so the list is allocated once
/// at its size): `left_out(a, b, listing)` is told which pass it is in,
/// and must decide alike in both. An N-2 of a large network has millions
/// of pairs, most of them left out, and only those run are ever held.
pub fn cases_where(
    model: &Model,
    elements: &[FailureTarget],
    k: u8,
    left_out: &mut dyn FnMut(usize, usize, bool) -> LeftOut,
) -> Cases {
    let mut cases = Cases {
        elements: elements.to_vec(),
        pairs: Vec::new(),
        pairs_skipped: 0,
        pairs_dominated: 0,
        pairs_equivalent: 0,
    };
    if k < 2 {
        return cases;
    }
    let parts: Vec<_> = elements.iter().map(|e| e.parts(model)).collect();
    let mut each_pair = |listing: bool, f: &mut dyn FnMut(usize, usize, Option<LeftOut>)| {
        for i in 0..elements.len() {
            for j in i + 1..elements.len() {
                if parts[i].is_subset(&parts[j]) || parts[j].is_subset(&parts[i]) {
                    f(i, j, None);
                } else {
                    f(i, j, Some(left_out(i, j, listing)));
                }
            }
        }
    };
    let mut run = 0usize;
    each_pair(false, &mut |_, _, why| run += usize::from(why == Some(LeftOut::No)));
    cases.pairs.reserve_exact(run);
    // Element indices fit in u32: each element is a model object or a
    // server of one, and the model's ids are u32.
    each_pair(true, &mut |i, j, why| match why {
        None => cases.pairs_skipped += 1,
        Some(LeftOut::No) => cases.pairs.push([i as u32, j as u32]),
        Some(LeftOut::Dominated) => cases.pairs_dominated += 1,
        Some(LeftOut::Equivalent) => cases.pairs_equivalent += 1,
    });
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(m: &Model, c: &CasePlan) -> Vec<String> {
        c.targets.iter().map(|t| t.label(m)).collect()
    }

    #[test]
    fn no_pair_holds_an_element_and_a_part_of_itself() {
        let m = Model::contoso();
        let e = elements(&m, &ElementClass::ALL);
        let c = cases(&m, &e, 2);
        let n = e.len();
        assert_eq!(c.len() - n + c.pairs_skipped, n * (n - 1) / 2);
        let pairs: Vec<Vec<String>> = c.iter().skip(n).map(|p| labels(&m, &p)).collect();
        let has = |a: &str, b: &str| pairs.iter().any(|p| p == &[a.to_owned(), b.to_owned()]);
        // A peer with its own trunk, a pool with its trunk or server, a
        // Registrar pool with the Mediation pool collocated on it, a site
        // with what is at it: never.
        assert!(!has("peer:gw-nyc", "trunk:gw-nyc"));
        assert!(!has("peer:gw-red-2", "trunk:gw-red-2-ld"));
        assert!(!has("trunk:itsp-red", "mediation-pool:med-red.contoso.com"));
        assert!(!has("mediation-pool:med-red.contoso.com", "mediation-server:med-red.contoso.com#2"));
        assert!(!has("mediation-pool:fe-lon.contoso.com", "registrar-pool:fe-lon.contoso.com"));
        assert!(!has("trunk:gw-lon-1", "registrar-pool:fe-lon.contoso.com"));
        assert!(!has("peer:gw-par", "site:Paris"));
        assert!(!has("wan-link:london-paris", "site:Paris"));
        assert!(!has("registrar-pool:sba-par.contoso.com", "site:Paris"));
        // Elements that are not parts of each other still pair: the ITSP
        // reached from two pools, a peer at another site, two links.
        assert!(has("peer:itsp", "mediation-pool:med-red.contoso.com"));
        assert!(has("peer:gw-par", "site:London"));
        assert!(has("wan-link:redmond-london", "wan-link:london-paris"));
        assert!(has("trunk:gw-red-1", "trunk:gw-red-2"));
        // Each pair names its singles.
        for p in c.iter().skip(n) {
            let [a, b] = p.singles.unwrap();
            assert_eq!(*p.targets, [e[a], e[b]]);
        }
        // N-1 has no pairs and skips none; a class given twice counts once.
        let one = cases(&m, &elements(&m, &[ElementClass::Peer, ElementClass::Peer]), 1);
        assert_eq!((one.len(), one.pairs_skipped), (m.peers.len(), 0));
    }
}
