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

/// One case to run.
#[derive(Debug, Clone)]
pub struct CasePlan {
    pub targets: Targets,
    /// For a pair: the index in the case list of each element's single.
    pub singles: Option<[usize; 2]>,
}

/// The cases of a what-if, and the pairs left out.
#[derive(Debug, Clone)]
pub struct Cases {
    /// The singles (in element order), then the pairs run.
    pub cases: Vec<CasePlan>,
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
    Equivalent,
}

/// Each element alone; with `k` = 2, also each pair whose elements are
/// not parts of each other.
pub fn cases(model: &Model, elements: &[FailureTarget], k: u8) -> Cases {
    cases_where(model, elements, k, &|_, _| LeftOut::No)
}

/// As [`cases`], leaving out the pairs (by their singles' indices) that
/// `left_out` says, counted by why. Pairs are decided as they are
/// generated: an N-2 of a large network has millions of pairs, most of
/// them left out, and only those run are ever held.
pub fn cases_where(
    model: &Model,
    elements: &[FailureTarget],
    k: u8,
    left_out: &dyn Fn(usize, usize) -> LeftOut,
) -> Cases {
    let mut cases: Vec<CasePlan> =
        elements.iter().map(|e| CasePlan { targets: Targets::one(*e), singles: None }).collect();
    let (mut pairs_skipped, mut pairs_dominated, mut pairs_equivalent) = (0, 0, 0);
    if k >= 2 {
        let parts: Vec<_> = elements.iter().map(|e| e.parts(model)).collect();
        for i in 0..elements.len() {
            for j in i + 1..elements.len() {
                if parts[i].is_subset(&parts[j]) || parts[j].is_subset(&parts[i]) {
                    pairs_skipped += 1;
                    continue;
                }
                match left_out(i, j) {
                    LeftOut::No => {
                        cases.push(CasePlan { targets: Targets::two(elements[i], elements[j]), singles: Some([i, j]) })
                    }
                    LeftOut::Dominated => pairs_dominated += 1,
                    LeftOut::Equivalent => pairs_equivalent += 1,
                }
            }
        }
    }
    cases.shrink_to_fit();
    Cases { cases, pairs_skipped, pairs_dominated, pairs_equivalent }
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
        let all = [
            ElementClass::Peer,
            ElementClass::Trunk,
            ElementClass::MediationPool,
            ElementClass::MediationServer,
            ElementClass::RegistrarPool,
            ElementClass::WanLink,
            ElementClass::Site,
        ];
        let e = elements(&m, &all);
        let c = cases(&m, &e, 2);
        let n = e.len();
        assert_eq!(c.cases.len() - n + c.pairs_skipped, n * (n - 1) / 2);
        let pairs: Vec<Vec<String>> = c.cases[n..].iter().map(|p| labels(&m, p)).collect();
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
        for p in &c.cases[n..] {
            let [a, b] = p.singles.unwrap();
            assert_eq!(*p.targets, [e[a], e[b]]);
        }
        // N-1 has no pairs and skips none; a class given twice counts once.
        let one = cases(&m, &elements(&m, &[ElementClass::Peer, ElementClass::Peer]), 1);
        assert_eq!((one.cases.len(), one.pairs_skipped), (m.peers.len(), 0));
    }
}
