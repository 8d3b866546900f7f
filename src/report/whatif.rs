//! `voicetwin whatif` results: the ranked table, `whatif.json`, `whatif.csv`.

use super::folder::{FolderError, ResultsFolder};
use std::io::{self, Write};

use crate::analysis::schema::table::{field_names, CsvRow};
use crate::analysis::schema::whatif::{
    CaseCounts, CaseList, CaseResult, EmergencyRoute, WhatIfResults, WhatIfRow, ORDER,
};
use crate::analysis::schema::ResultFile;
use crate::model::emergency::EmergencySource;
use crate::scenario::FailureMode;

use super::figure::{calls, percent, share};

/// What the PSTN-cut flag means, in one sentence.
pub const PSTN_CUT: &str = "PSTN cut: of each site's outbound calls that have a route without failures (by the \
                            scenario's destination mix over the window), the share the failure leaves with no \
                            route; 100% is a site cut off from the PSTN.";

/// The window and how the elements fail, in a line.
pub fn window<C>(r: &WhatIfResults<C>) -> String {
    format!(
        "each element {} from {} to {} ({:.0} s to {:.0} s of the run)",
        if r.mode == FailureMode::Silent { "silent (stops answering)" } else { "rejecting (503)" },
        r.window_from_clock,
        r.window_to_clock,
        r.window_from_s,
        r.window_to_s,
    )
}

/// How many pairs were run, skipped and folded, in a sentence (k = 2).
pub fn pairs<C: CaseCounts>(r: &WhatIfResults<C>) -> Option<String> {
    (r.k >= 2).then(|| {
        let singles = r.results.singles();
        let run = r.results.count() - singles + r.pairs_folded;
        let n = |k: usize, one: &str| format!("{k} {one}{}", if k == 1 { "" } else { "s" });
        let summed = if r.pairs_summed > 0 {
            format!(
                " ({} of them the sum of their singles: their elements touch different parts of the network)",
                r.pairs_summed
            )
        } else {
            String::new()
        };
        let dominated = if r.pairs_dominated > 0 {
            format!(
                "; {} left out as dominated: one element alone cuts a site off from the PSTN (--all-pairs runs \
                 them)",
                n(r.pairs_dominated, "pair")
            )
        } else {
            String::new()
        };
        let equivalent = if r.pairs_equivalent > 0 {
            format!(
                "; {} left out as equivalent: an element failing exactly the trunks, links, Registrar pools and \
                 server of one before it (a gateway and its one trunk, a branch's gateway and its Mediation pool), \
                 whose pairs stand for them, or two failing together exactly what one element fails (the two \
                 trunks of a gateway with no other), whose single stands for them, or a pair failing exactly \
                 what an earlier pair fails, which stands for it",
                n(r.pairs_equivalent, "pair")
            )
        } else {
            String::new()
        };
        format!(
            "{} and {} run{summed}; {} skipped: an element with a part of itself (failing both is failing the \
             larger){dominated}{equivalent}; {} folded into one of their singles (the same blocked, dropped and failed calls \
             in every replication). The ranking has the {} case(s) not folded.",
            n(singles, "single"),
            n(run, "pair"),
            n(r.pairs_skipped, "pair"),
            n(r.pairs_folded, "pair"),
            r.results.count()
        )
    })
}

/// A site's PSTN cuts: `Paris 100%; London 25%`.
pub fn pstn_cut(c: &CaseResult) -> String {
    c.pstn_cut.iter().map(|p| format!("{} {}", p.site, percent(p.share))).collect::<Vec<_>>().join("; ")
}

/// An emergency number with no route even without failures, in words:
/// who dials it and what their dial plans make of it.
pub fn no_route_why(e: &EmergencyRoute) -> String {
    let normalized: Vec<String> =
        e.normalized.iter().map(|n| if n.is_empty() { "nothing".to_owned() } else { n.clone() }).collect();
    format!(
        "{} {}: no route even without failures for {} (normalized to {})",
        e.site,
        e.number,
        e.without_route.join(", "),
        normalized.join(" or ")
    )
}

/// Emergency numbers a case's notes name before counting the rest: a
/// central gateway's failure moves every site of its country, and a note
/// naming them all hides the table's other columns.
const NOTES_NAMED: usize = 3;

/// `items` as notes: the first [`NOTES_NAMED`], then one counting the rest.
fn named_then_counted(items: Vec<String>, rest: &str) -> Vec<String> {
    let more = items.len().saturating_sub(NOTES_NAMED);
    let mut notes: Vec<String> = items.into_iter().take(NOTES_NAMED).collect();
    if more > 0 {
        notes.push(format!("{more} more {rest}"));
    }
    notes
}

/// The emergency notes of a case: numbers lost, numbers now served by
/// other peers than without failures.
fn emergency_notes<C>(r: &WhatIfResults<C>, c: &CaseResult) -> Vec<String> {
    let lost = c.emergency_lost.iter().map(|e| format!("EMERGENCY {} {} LOST", e.site, e.number)).collect();
    let mut notes = named_then_counted(lost, "EMERGENCY numbers LOST (below the table)");
    let moved = c
        .emergency_changed
        .iter()
        .filter(|now| {
            r.emergency
                .iter()
                .find(|b| b.site == now.site && b.number == now.number)
                .is_some_and(|before| now.reached && before.reached && now.peers != before.peers)
        })
        .map(|now| format!("emergency {} {} via {}", now.site, now.number, now.peers.join(", ")))
        .collect();
    notes.extend(named_then_counted(moved, "emergency numbers via other peers"));
    notes
}

/// A case's notes, as the text and the report show them: emergency
/// numbers lost or served by other gateways, inbound sources cut,
/// absorbed, pairs folded in.
pub fn notes<C>(r: &WhatIfResults<C>, c: &CaseResult) -> Vec<String> {
    let mut notes = emergency_notes(r, c);
    if !c.inbound_cut.is_empty() {
        notes.push(format!("inbound cut: {}", c.inbound_cut.join("; ")));
    }
    if c.absorbed {
        notes.push("absorbed".into());
    }
    if c.sum_of_singles {
        notes.push("sum of singles".into());
    }
    if !c.equivalent.is_empty() {
        notes.push(format!("same failure as {}", c.equivalent.join(", ")));
    }
    if !c.folded_pairs.is_empty() {
        let n = c.folded_pairs.len();
        notes.push(format!("{n} pair{} folded in", if n == 1 { "" } else { "s" }));
    }
    notes
}

/// The ranked table for a terminal, as text.
pub fn render<C: CaseList>(r: &WhatIfResults<C>) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if reading the cases back does.
    if let Err(e) = render_to(r, &mut out) {
        let _ = writeln!(out, "\n(the cases could not be read back: {e})");
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The ranked table for a terminal, written to `s` a case at a time (an
/// N-2 of a large network has hundreds of thousands of lines).
pub fn render_to<C: CaseList>(r: &WhatIfResults<C>, s: &mut dyn Write) -> io::Result<()> {
    // Every case of the study's list, as a shard counts them; the folded
    // pairs are not ranked.
    let folded = match r.pairs_folded {
        0 => String::new(),
        n => format!(" ({} ranked, {n} pair(s) folded into a single)", r.results.count()),
    };
    writeln!(
        s,
        "{}: N-{} what-if over {} case(s){folded}, {}, {} paired replication(s), seed {}",
        r.scenario,
        r.k,
        r.results.count() + r.pairs_folded,
        window(r),
        r.replications,
        r.seed
    )?;
    if let Some(p) = pairs(r) {
        writeln!(s, "{p}")?;
    }
    match r.components {
        0 | 1 => writeln!(s, "The network is one part: each case ran on the whole network.")?,
        n => writeln!(s, "The network has {n} independent parts: each case ran on the parts its elements touch.")?,
    };
    if let Some(w) = r.pattern_limit_hits.warning() {
        writeln!(s, "WARNING: {w}")?;
    }
    let mut lost = 0;
    r.results.each(&mut |c| {
        lost += usize::from(!c.emergency_lost.is_empty());
        Ok(())
    })?;
    let never = r.emergency.iter().filter(|e| !e.reached).count();
    if lost + never > 0 {
        writeln!(
            s,
            "EMERGENCY: {lost} failure case(s) leave an emergency number without a route; {never} emergency \
             number(s) have no route even without failures (below the table)."
        )?;
    }
    if let Some(p) = &r.precision {
        writeln!(
            s,
            "Precision {:.0}% (or {}) of the baseline: {} after {} replication(s), which every case runs; \
             deciding figure: {}",
            p.relative * 100.0,
            p.absolute,
            if p.met { "reached" } else { "NOT reached" },
            p.replications,
            p.deciding_figure.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(
        s,
        "Baseline grade of service {} overall, {} in the window. Calls are whole calls per replication, with \
         their 95% interval, against the same calls without the failure; GoS during is the grade of service of \
         the calls arriving in the window.\n{ORDER}\n{PSTN_CUT}\n",
        share(&r.baseline_grade_of_service),
        share(&r.baseline_grade_of_service_during)
    )?;
    writeln!(
        s,
        "{:>4}  {:<44} {:>22} {:>22} {:>22} {:>22} {:>8}  {:<20}  notes",
        "rank", "failed element(s)", "calls lost", "blocked", "dropped", "GoS during", "PDD +ms", "PSTN cut"
    )?;
    r.results.each(&mut |c| {
        let notes = notes(r, c);
        let cut = pstn_cut(c);
        writeln!(
            s,
            "{:>4}  {:<44} {:>22} {:>22} {:>22} {:>22} {:>8}  {:<20}  {}",
            c.rank,
            c.label(),
            calls(&c.calls_lost),
            calls(&c.blocked),
            calls(&c.dropped),
            share(&c.grade_of_service_during),
            c.pdd_delta_ms.map_or("-".into(), |e| super::figure::number(e.mean, 0)),
            if cut.is_empty() { "-".into() } else { cut },
            notes.join("; ")
        )
    })?;
    emergency(s, r)?;
    let mut folded: Vec<(String, String)> = Vec::new();
    r.results.each(&mut |c| {
        folded.extend(c.folded_pairs.iter().map(|p| (p.clone(), c.label())));
        Ok(())
    })?;
    if !folded.is_empty() {
        writeln!(s, "\nPairs folded into a single (the same calls in every replication):")?;
        for (pair, single) in folded {
            writeln!(s, "  {pair}  =  {single}")?;
        }
    }
    Ok(())
}

/// The emergency numbers without failures, and the failures that leave
/// one without a route.
fn emergency<C: CaseList>(s: &mut dyn Write, r: &WhatIfResults<C>) -> io::Result<()> {
    writeln!(s, "\nEmergency numbers, dialed as each site's users dial them, without failures:")?;
    for site in &r.emergency_sites {
        if site.source == EmergencySource::Unknown {
            writeln!(
                s,
                "  {}: no emergency number (country \"{}\" is not in voicetwin's table; set [[site]] \
                 emergency_numbers)",
                site.site, site.country
            )?;
        }
    }
    for e in &r.emergency {
        if e.reached {
            writeln!(s, "  {} {}: via {}", e.site, e.number, e.peers.join(", "))?;
        } else {
            writeln!(s, "  NO ROUTE: {}", no_route_why(e))?;
        }
    }
    let mut lost: Vec<String> = Vec::new();
    r.results.each(&mut |c| {
        lost.extend(c.emergency_lost.iter().map(|e| {
            format!(
                "  {}: {} {} has no route left (without failures: via {})",
                c.label(),
                e.site,
                e.number,
                e.peers_without_failure.join(", ")
            )
        }));
        Ok(())
    })?;
    if lost.is_empty() {
        writeln!(s, "No failure here leaves an emergency number that has a route without failures without one.")?;
    } else {
        writeln!(s, "EMERGENCY ROUTES LOST under a failure:")?;
        for l in lost {
            writeln!(s, "{l}")?;
        }
    }
    Ok(())
}

/// The files of a what-if folder.
pub const FILES: [&str; 2] = [WhatIfResults::<Vec<CaseResult>>::FILE, WhatIfRow::FILE];

/// Writes `whatif.json` and `whatif.csv`, each streamed a case at a time:
/// the cases are read back from where the what-if holds them, never all
/// in memory at once.
pub fn write_folder<C: CaseList + serde::Serialize>(
    folder: &mut ResultsFolder,
    r: &WhatIfResults<C>,
) -> Result<(), FolderError> {
    let file = WhatIfResults::<Vec<CaseResult>>::FILE;
    let failed = |what: &str, e: &dyn std::fmt::Display| FolderError::Io(format!("{what}: {e}"));
    let (stream, f) = folder.begin_stream(file)?;
    let mut w = io::BufWriter::new(f);
    serde_json::to_writer_pretty(&mut w, r).map_err(|e| failed(file, &e))?;
    w.write_all(b"\n").and_then(|()| w.flush()).map_err(|e| failed(file, &e))?;
    drop(w);
    folder.finish_stream(stream)?;
    let (stream, f) = folder.begin_stream(WhatIfRow::FILE)?;
    let mut csv = csv::WriterBuilder::new().has_headers(false).from_writer(io::BufWriter::new(f));
    csv.write_record(field_names::<WhatIfRow>()).map_err(|e| failed(WhatIfRow::FILE, &e))?;
    r.results
        .each(&mut |c| csv.serialize(c.row()).map_err(io::Error::other))
        .map_err(|e| failed(WhatIfRow::FILE, &e))?;
    csv.flush().map_err(|e| failed(WhatIfRow::FILE, &e))?;
    drop(csv);
    folder.finish_stream(stream)
}

#[cfg(test)]
mod tests {
    use super::named_then_counted;

    #[test]
    fn notes_name_three_then_count_the_rest() {
        let items = |n: usize| (0..n).map(|i| format!("s{i}")).collect::<Vec<_>>();
        assert_eq!(named_then_counted(items(3), "more"), ["s0", "s1", "s2"]);
        assert_eq!(named_then_counted(items(5), "numbers"), ["s0", "s1", "s2", "2 more numbers"]);
        assert!(named_then_counted(Vec::new(), "x").is_empty());
    }
}
