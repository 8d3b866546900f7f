//! The design-review page of a what-if keeps what it shows, not every
//! case: it reads `whatif.json` a case at a time, so a what-if of ten
//! times the cases needs about the same memory to report (docs/commands.md,
//! `whatif`, "Memory"), and says the same of the cases it shows.
//!
//! The heap is measured by this test binary's own allocator: its peak
//! while the page is built, above what was in use before. One test
//! only, so that nothing else allocates meanwhile.

#[path = "common/counting.rs"]
mod counting;

use std::path::{Path, PathBuf};

use counting::peak_of;
use voicetwin::analysis::schema::whatif::{CaseResult, WhatIfResults};
use voicetwin::analysis::whatif::run_whatif;
use voicetwin::report::folder::{Completed, ResultsFolder};
use voicetwin::report::review;
use voicetwin::scenario::{builtin, load_str};

/// Writes `cases` as a what-if's results folder at `dir`.
fn folder(dir: &Path, head: &WhatIfResults, cases: Vec<CaseResult>) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    let mut f = ResultsFolder::create(dir, "whatif", &[]).unwrap();
    let r = head.clone().with_results(cases);
    voicetwin::report::whatif::write_folder(&mut f, &r).unwrap();
    f.commit().unwrap()
}

/// The N-1 of contoso's busy hour, its cases copied `times` times (each
/// copy's elements renamed, ranks in order): a ranking as long as a large
/// network's N-2.
fn copies(w: &WhatIfResults, times: usize) -> Vec<CaseResult> {
    let mut out = Vec::with_capacity(w.results.len() * times);
    for k in 0..times {
        for c in &w.results {
            let mut c = c.clone();
            if k > 0 {
                c.elements.iter_mut().for_each(|e| e.push_str(&format!("#{k}")));
            }
            c.rank = out.len() + 1;
            out.push(c);
        }
    }
    out
}

#[test]
fn the_whatif_page_needs_the_same_memory_for_ten_times_the_cases() {
    let text = builtin("n-minus-1").unwrap();
    let (mut sc, model) = load_str(text, "n-minus-1.toml", None, &Default::default()).unwrap();
    sc.replications = 2;
    let w = run_whatif(&model, &sc, 2, &|_, _| {}).unwrap();
    let base = std::env::temp_dir().join(format!("voicetwin-report-memory-{}", std::process::id()));
    let (few_dir, many_dir) = (base.join("few"), base.join("many"));
    let few_cases = copies(&w, 40);
    let n = few_cases.len();
    folder(&few_dir, &w, few_cases);
    folder(&many_dir, &w, copies(&w, 400));
    let size = |d: &Path| std::fs::metadata(d.join("whatif.json")).unwrap().len();
    assert!(size(&many_dir) > 9 * size(&few_dir));

    let page = |dir: &Path| {
        let mut built = None;
        let peak = peak_of(|| built = Some(review::build(&Completed::open(dir).unwrap()).unwrap()));
        (peak, built.unwrap())
    };
    let ((few, a), (many, b)) = (page(&few_dir), page(&many_dir));
    eprintln!("peak heap building the page: {few} bytes for {n} cases, {many} for {}", n * 10);
    // Held whole, ten times the cases would take ten times the memory (the
    // file alone is over ten times larger).
    assert!(many * 4 < few * 5, "{few} bytes for {n} cases, {many} for ten times as many");
    assert!((many as u64) < size(&few_dir), "the page holds less than the smaller file");
    // The same page but for the counts.
    assert_eq!(a.tables.len(), b.tables.len());
    assert_eq!(a.tables.last().unwrap().2, b.tables.last().unwrap().2, "the ranking table's first rows");
    let finding = |r: &review::Review, start: &str| r.findings.iter().find(|f| f.starts_with(start)).cloned();
    assert_eq!(finding(&a, "The costliest failure"), finding(&b, "The costliest failure"));
    assert!(a.figures.iter().any(|(_, v)| v.contains(&format!("{n} case(s)"))), "{:?}", a.figures);
    assert!(b.figures.iter().any(|(_, v)| v.contains(&format!("{} case(s)", n * 10))), "{:?}", b.figures);
    let _ = std::fs::remove_dir_all(&base);
}
