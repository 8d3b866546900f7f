//! What the design-review page keeps of a what-if's ranked cases: the
//! few it draws and tabulates in full, and counts and names of the rest,
//! folded one case at a time as `whatif.json` is read. An N-2 of a large
//! network ranks hundreds of thousands of cases; the page shows a few
//! dozen, so its memory follows what it shows, not the cases.

use std::collections::HashMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, SeqAccess, Visitor};

use crate::analysis::schema::whatif::{CaseCounts, CaseResult};
use crate::report::limits::{TABLE_ROWS, WHATIF_BARS as TOP, WHATIF_NAMED as NAMED};

use super::super::GOS_TARGET;

/// The first [`NAMED`] of some items in their order, and how many there
/// were in all.
#[derive(Debug, Clone)]
pub(in crate::report::review) struct Named<T> {
    pub first: Vec<T>,
    pub total: usize,
}

impl<T> Default for Named<T> {
    fn default() -> Self {
        Self { first: Vec::new(), total: 0 }
    }
}

impl<T> Named<T> {
    /// Counts `item`, kept while fewer than [`NAMED`] are.
    fn push(&mut self, item: impl FnOnce() -> T) {
        if self.first.len() < NAMED {
            self.first.push(item());
        }
        self.total += 1;
    }
}

impl Named<String> {
    /// `a, b, c and 4 more`.
    pub fn words(&self) -> String {
        let named = self.first.join(", ");
        match self.total - self.first.len() {
            0 => named,
            more => format!("{named} and {more} more"),
        }
    }
}

/// The ranked cases as the page reads them (module doc). Cases must be
/// added in rank order, as `whatif.json` holds them.
#[derive(Debug, Clone, Default)]
pub(in crate::report::review) struct Ranking {
    /// Every ranked case, and the single elements among them.
    pub total: usize,
    pub singles: usize,
    /// The first [`TABLE_ROWS`] cases (the ranking table).
    pub first: Vec<CaseResult>,
    /// The first [`TOP`] cases that lose calls (the chart's bars).
    pub shown: Vec<CaseResult>,
    /// The cases losing calls past the chart, and the least and most
    /// they lose on average.
    pub more: usize,
    pub more_range: (f64, f64),
    /// The cases losing calls, past the three told in full, that cut a
    /// site off from all or part of the PSTN: their finding.
    pub cutting: Named<Option<String>>,
    /// The cases that lose no calls, by name.
    pub none: Named<String>,
    /// The cases whose grade of service during the failure misses the
    /// target, by name.
    pub over: Named<String>,
    /// For each emergency number (site, number), the cases that leave it
    /// without a route, by name, and the rank of the costliest of them.
    pub lost_by: HashMap<(String, String), (usize, Named<String>)>,
    /// Losing cases seen so far (to tell the three told in full).
    losing: usize,
}

impl Ranking {
    /// The ranking of `cases`, in their order.
    #[cfg(test)]
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a CaseResult>) -> Self {
        let mut r = Self::default();
        cases.into_iter().for_each(|c| r.add(c.clone()));
        r
    }

    /// Folds the next case in rank order.
    pub fn add(&mut self, c: CaseResult) {
        self.total += 1;
        self.singles += usize::from(c.elements.len() == 1);
        if c.grade_of_service_during.is_some_and(|g| g.mean > GOS_TARGET) {
            self.over.push(|| c.label());
        }
        for l in &c.emergency_lost {
            let (_, named) =
                self.lost_by.entry((l.site.clone(), l.number.clone())).or_insert((c.rank, Named::default()));
            named.push(|| c.label());
        }
        if super::loses_calls(&c) {
            if self.losing >= 3 && !c.pstn_cut.is_empty() {
                self.cutting.push(|| super::cutting_finding(&c));
            }
            self.losing += 1;
            if self.shown.len() < TOP {
                self.shown.push(c.clone());
            } else {
                let (lo, hi) = if self.more == 0 { (f64::INFINITY, 0f64) } else { self.more_range };
                self.more_range = (lo.min(c.calls_lost.mean), hi.max(c.calls_lost.mean));
                self.more += 1;
            }
        } else {
            self.none.push(|| c.label());
        }
        if self.first.len() < TABLE_ROWS {
            self.first.push(c);
        }
    }
}

impl CaseCounts for Ranking {
    fn count(&self) -> usize {
        self.total
    }

    fn singles(&self) -> usize {
        self.singles
    }
}

/// Read from `whatif.json`'s `results`, a case at a time.
impl<'de> Deserialize<'de> for Ranking {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Cases;
        impl<'de> Visitor<'de> for Cases {
            type Value = Ranking;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("the ranked cases, a list")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ranking, A::Error> {
                let mut r = Ranking::default();
                while let Some(c) = seq.next_element::<CaseResult>()? {
                    r.add(c);
                }
                Ok(r)
            }
        }
        d.deserialize_seq(Cases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::schema::whatif::{EmergencyLost, PstnCut};
    use crate::analysis::stats::Estimate;

    fn case(rank: usize, lost: f64) -> CaseResult {
        let est = |m: f64| Estimate { mean: m, ci95_low: m, ci95_high: m };
        CaseResult {
            rank,
            elements: vec![format!("peer:gw-{rank}")],
            trunks_down: 1,
            links_down: 0,
            registrar_pools_down: 0,
            calls_lost: est(lost),
            blocked: est(lost),
            dropped: est(0.0),
            grade_of_service_during: Some(est(if rank % 2 == 0 { 0.05 } else { 0.0 })),
            grade_of_service_delta: None,
            pdd_delta_ms: None,
            isolated_sites: vec![],
            pstn_cut: if rank % 3 == 0 { vec![PstnCut { site: "Depot".into(), share: 0.5 }] } else { vec![] },
            emergency_lost: if rank % 5 == 0 {
                vec![EmergencyLost { site: "Depot".into(), number: "911".into(), peers_without_failure: vec![] }]
            } else {
                vec![]
            },
            emergency_changed: vec![],
            inbound_cut: vec![],
            absorbed: false,
            folded_pairs: vec![],
            equivalent: vec![],
            sum_of_singles: false,
        }
    }

    /// 10,000 cases, the first 6,000 losing calls (most first).
    fn cases() -> Vec<CaseResult> {
        (1..=10_000).map(|r| case(r, if r <= 6_000 { 7_000.0 - r as f64 } else { 0.0 })).collect()
    }

    #[test]
    fn the_page_keeps_what_it_shows_and_counts_the_rest_whatever_the_cases() {
        let all = cases();
        let r = Ranking::of(&all);
        assert_eq!((r.total, r.singles), (10_000, 10_000));
        // Held whole: the table's rows and the chart's bars, no more.
        assert_eq!(r.first.len(), TABLE_ROWS);
        assert_eq!(r.shown.len(), TOP);
        assert!(r.first.iter().zip(&all).all(|(a, b)| a.rank == b.rank));
        assert_eq!(r.shown.last().unwrap().rank, TOP);
        // Counted, with the extremes and the first few named.
        assert_eq!(r.more, 6_000 - TOP);
        assert_eq!(r.more_range, (1_000.0, 7_000.0 - (TOP + 1) as f64));
        assert_eq!((r.none.total, r.none.first.len()), (4_000, NAMED));
        assert_eq!(r.none.first[0], "peer:gw-6001");
        assert_eq!(r.over.total, 5_000);
        assert!(r.over.words().ends_with(&format!("and {} more", 5_000 - NAMED)), "{}", r.over.words());
        let (costliest, lost) = &r.lost_by[&("Depot".to_owned(), "911".to_owned())];
        assert_eq!((*costliest, lost.total, lost.first.len()), (5, 2_000, NAMED));
        // Losing cases past the three told in full that cut the PSTN: every
        // third of ranks 4..=6000.
        assert_eq!(r.cutting.total, (4..=6_000).filter(|n| n % 3 == 0).count());
        assert!(r.cutting.first[0].as_deref().unwrap().starts_with("Losing peer:gw-6 leaves 50% of Depot's"));
    }

    #[test]
    fn read_from_the_file_it_is_the_same_as_folded_from_the_cases_and_errors_name_the_case() {
        let all = cases();
        let text = serde_json::to_string(&all).unwrap();
        let read: Ranking = serde_json::from_str(&text).unwrap();
        let folded = Ranking::of(&all);
        assert_eq!(format!("{read:?}"), format!("{folded:?}"));
        // A damaged case is named by its place in the list.
        let mut bad: Vec<serde_json::Value> = all[..5].iter().map(|c| serde_json::to_value(c).unwrap()).collect();
        bad[3]["rank"] = serde_json::json!("four");
        let text = serde_json::to_string(&bad).unwrap();
        let mut de = serde_json::Deserializer::from_str(&text);
        let e = serde_path_to_error::deserialize::<_, Ranking>(&mut de).unwrap_err();
        assert_eq!(e.path().to_string(), "[3].rank");
    }
}
