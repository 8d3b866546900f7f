//! `voicetwin replay`: the calls a CDR file recorded, each at its own
//! time with its own ring and conversation time, through the model's
//! routing and resources (docs/commands.md, "replay"); and what each
//! gateway carried, observed (the CDR) against simulated.
//!
//! The file is read three ways, each a stream: a first pass finds the
//! trace's span, its callers and what it observed; each replication then
//! reads it again as its trace ([`Feed`]). Rows are read and tied to the
//! model by the same reader and resolver as `voicetwin calibrate`
//! (`traffic::cdr`), in any layout it knows.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::path::Path;

use rand::RngExt;

use crate::model::{Model, PeerId};
use crate::rng::{stream, Stream};
use crate::scenario::Scenario;
use crate::sim::cdr::{AttemptRecord, CdrSink};
use crate::sim::trace::{TraceCall, TraceFeed};
use crate::traffic::cdr::read::clean_number;
use crate::traffic::cdr::{
    CdrError, CdrFiles, CdrOutcome, CdrRecord, CdrSource, ProblemKind, ReadOptions, Resolver, RowProblem, RowTally,
};
use crate::traffic::Origin;

const HOUR_US: i64 = 3_600_000_000;
/// Rows may come out of start order by this much (a CDR is written as
/// calls end): a row that starts earlier than a call already fed by more
/// is counted late and skipped.
pub const REORDER_WINDOW_US: i64 = 4 * HOUR_US;

/// What the replay asks of the trace.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Rows starting before `from` or at or after `to` (UTC µs) are skipped.
    pub from_us: Option<i64>,
    pub to_us: Option<i64>,
    /// Each row kept with this probability (< 1), or copied (> 1).
    pub load_factor: f64,
    /// The nominal post-dial delay taken off a row's answer time when it
    /// records no ringback, in µs.
    pub pdd_us: u64,
}

// ---------------------------------------------------------------- reading

/// Opens the trace: a CDR file or folder in any layout the reader knows
/// (docs/cdr.md), the error naming the file, row and column.
pub fn open(path: &Path, read: &ReadOptions) -> Result<CdrFiles, CdrError> {
    CdrFiles::open(path, read)
}

// -------------------------------------------------------------- resolving

/// Where a replayed call comes from: a key for the source the replay
/// makes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OriginKey {
    Group(usize),
    Site(usize),
    Trunk(usize),
}

/// A row tied to the model, with what the engine replays of it.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    pub origin: Option<OriginKey>,
    pub user: u32,
    pub dialed: String,
    pub calling: Option<String>,
    pub answered: bool,
    pub ring: u64,
    pub holding: u64,
    pub from_peer: Option<PeerId>,
    pub to_peer: Option<PeerId>,
}

/// Ties row `r` to the model (the shared [`Resolver`]) and takes its
/// times, or says why it cannot be replayed.
pub fn resolve(resolver: &Resolver, r: &CdrRecord, pdd_us: u64, out: &mut Resolved) -> Result<(), RowProblem> {
    *out = Resolved::default();
    let call = resolver.resolve(r)?;
    let end = r.end_us.ok_or_else(|| RowProblem::new(ProblemKind::MissingEnd, "end", "no end time"))?;
    let caller = clean_number(&r.caller);
    out.origin = Some(match call.origin {
        Origin::Users(g) => OriginKey::Group(g.index()),
        Origin::Site(s) => OriginKey::Site(s.index()),
        Origin::Trunk(t) => OriginKey::Trunk(t.index()),
    });
    out.user = call.user;
    out.from_peer = call.from_peer;
    out.to_peer = call.to_peer;
    if !matches!(call.origin, Origin::Users(_)) {
        out.calling = (!caller.is_empty()).then(|| caller.to_owned());
    }
    out.dialed = if r.dialed.is_empty() { clean_number(&r.called).to_owned() } else { r.dialed.clone() };
    if out.dialed.is_empty() {
        return Err(RowProblem::new(ProblemKind::BadValue, "called", "no number dialed or called"));
    }
    let gap = |a: i64, b: i64| (b - a).max(0) as u64;
    match (r.outcome, r.answer_us) {
        (CdrOutcome::Answered | CdrOutcome::Dropped, Some(a)) => {
            out.answered = true;
            out.ring = match r.ringback_us {
                Some(rb) => gap(rb, a),
                None => gap(r.start_us, a).saturating_sub(pdd_us),
            };
            out.holding = gap(a, end);
        }
        (CdrOutcome::Answered, None) => {
            return Err(RowProblem::new(ProblemKind::BadValue, "answer", "answered, with no answer time"))
        }
        _ => {
            out.ring = match r.ringback_us {
                Some(rb) => gap(rb, end),
                None => gap(r.start_us, end).saturating_sub(pdd_us),
            };
        }
    }
    Ok(())
}

// ---------------------------------------------------------- gateway tally

/// What each gateway carried: answered calls through it (either
/// direction), their conversation time, and the calls it delivered that
/// were blocked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GatewayTally {
    pub carried: Vec<u64>,
    pub holding_us: Vec<u128>,
    pub blocked: Vec<u64>,
}

impl GatewayTally {
    pub fn new(peers: usize) -> Self {
        Self { carried: vec![0; peers], holding_us: vec![0; peers], blocked: vec![0; peers] }
    }

    /// One call: answered (`holding` µs) or blocked, from and to gateways.
    pub fn add(&mut self, outcome: CdrOutcome, from: Option<PeerId>, to: Option<PeerId>, holding: u64) {
        match outcome {
            CdrOutcome::Answered => {
                for p in [from, to.filter(|t| Some(*t) != from)].into_iter().flatten() {
                    self.carried[p.index()] += 1;
                    self.holding_us[p.index()] += u128::from(holding);
                }
            }
            CdrOutcome::Blocked => {
                if let Some(p) = from {
                    self.blocked[p.index()] += 1;
                }
            }
            _ => {}
        }
    }

    pub fn absorb(&mut self, o: &GatewayTally) {
        for (a, b) in self.carried.iter_mut().zip(&o.carried) {
            *a += b;
        }
        for (a, b) in self.holding_us.iter_mut().zip(&o.holding_us) {
            *a += b;
        }
        for (a, b) in self.blocked.iter_mut().zip(&o.blocked) {
            *a += b;
        }
    }
}

/// The simulated side: a replication's records tallied per gateway.
pub struct TallySink(pub std::sync::Arc<std::sync::Mutex<GatewayTally>>, GatewayTally);

impl TallySink {
    pub fn new(into: std::sync::Arc<std::sync::Mutex<GatewayTally>>, peers: usize) -> Self {
        Self(into, GatewayTally::new(peers))
    }
}

impl CdrSink for TallySink {
    fn record(&mut self, model: &Model, r: &AttemptRecord<'_>) {
        let (from, to) = r.peers(model);
        let holding = r.answer.map_or(0, |a| r.end.saturating_sub(a));
        self.1.add(r.outcome, from, to, holding);
    }

    fn finish(self: Box<Self>) -> std::io::Result<u64> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).absorb(&self.1);
        Ok(0)
    }
}

// ------------------------------------------------------------- first pass

/// What the first pass found.
#[derive(Debug, Clone, Default)]
pub struct Survey {
    /// Rows read and why some were skipped, as the reader and the
    /// resolver counted them (docs/cdr.md).
    pub tally: RowTally,
    pub layout: String,
    pub used: u64,
    pub outside: u64,
    pub first_start_us: Option<i64>,
    pub last_start_us: Option<i64>,
    pub origins: Vec<OriginKey>,
    pub observed: GatewayTally,
}

fn inside(o: &Options, start: i64) -> bool {
    o.from_us.is_none_or(|f| start >= f) && o.to_us.is_none_or(|t| start < t)
}

/// Reads the whole trace once.
pub fn survey(model: &Model, path: &Path, read: &ReadOptions, o: &Options) -> Result<Survey, CdrError> {
    let mut rows = open(path, read)?;
    let resolver = Resolver::new(model);
    let mut s = Survey { observed: GatewayTally::new(model.peers.len()), ..Default::default() };
    let mut origins = std::collections::BTreeSet::new();
    let (mut rec, mut res) = (CdrRecord::default(), Resolved::default());
    while rows.next_record(&mut rec)? {
        if let Err(p) = resolve(&resolver, &rec, o.pdd_us, &mut res) {
            rows.count(&rec, &p);
            continue;
        }
        if !inside(o, rec.start_us) {
            s.outside += 1;
            continue;
        }
        s.used += 1;
        s.first_start_us = Some(s.first_start_us.map_or(rec.start_us, |f| f.min(rec.start_us)));
        s.last_start_us = Some(s.last_start_us.map_or(rec.start_us, |f| f.max(rec.start_us)));
        if let Some(k) = res.origin {
            origins.insert(k);
        }
        let holding = if rec.outcome == CdrOutcome::Answered { res.holding } else { 0 };
        s.observed.add(rec.outcome, res.from_peer, res.to_peer, holding);
    }
    s.tally = rows.tally();
    s.layout = rows.layout().to_owned();
    s.origins = origins.into_iter().collect();
    Ok(s)
}

// ------------------------------------------------------------------ feed

#[derive(Debug)]
struct Queued(TraceCall, u64);

impl PartialEq for Queued {
    fn eq(&self, o: &Self) -> bool {
        (self.0.at, self.1) == (o.0.at, o.1)
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Queued {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.0.at, self.1).cmp(&(o.0.at, o.1))
    }
}

/// A replication's trace: the file's rows in start order (reordered
/// within [`REORDER_WINDOW_US`]), thinned or copied by the load factor.
pub struct Feed<'m> {
    resolver: Resolver<'m>,
    rows: CdrFiles,
    o: Options,
    /// UTC µs of simulated time 0.
    base_us: i64,
    sources: BTreeMap<OriginKey, u16>,
    rng: Stream,
    heap: BinaryHeap<Reverse<Queued>>,
    seq: u64,
    frontier: i64,
    emitted: u64,
    done: bool,
    /// Rows skipped as late (too far out of start order).
    pub late: std::sync::Arc<std::sync::atomic::AtomicU64>,
    rec: CdrRecord,
    res: Resolved,
}

impl<'m> Feed<'m> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        model: &'m Model,
        path: &Path,
        read: &ReadOptions,
        o: Options,
        base_us: i64,
        origins: &[OriginKey],
        seed: u64,
        index: u32,
    ) -> Result<Self, CdrError> {
        Ok(Self {
            resolver: Resolver::new(model),
            rows: open(path, read)?,
            o,
            base_us,
            sources: origins.iter().enumerate().map(|(i, k)| (*k, i as u16)).collect(),
            rng: stream(seed, index, "replay/load-factor"),
            heap: BinaryHeap::new(),
            seq: 0,
            frontier: i64::MIN,
            emitted: 0,
            done: false,
            late: Default::default(),
            rec: CdrRecord::default(),
            res: Resolved::default(),
        })
    }

    fn push(&mut self, at: u64) {
        let r = &self.res;
        let call = TraceCall {
            at,
            source: self.sources[&r.origin.expect("resolved")],
            user: r.user,
            dialed: r.dialed.clone(),
            calling: r.calling.clone().unwrap_or_default(),
            has_calling: r.calling.is_some(),
            answered: r.answered,
            ring: r.ring,
            holding: r.holding,
        };
        self.seq += 1;
        self.heap.push(Reverse(Queued(call, self.seq)));
    }

    /// Reads one more row into the queue; `false` at the end of the file.
    fn read(&mut self) -> bool {
        loop {
            match self.rows.next_record(&mut self.rec) {
                Ok(true) => {}
                // The first pass read the same files whole: an error now is
                // a file changed under the replay; it ends the trace.
                Ok(false) | Err(_) => return false,
            }
            if resolve(&self.resolver, &self.rec, self.o.pdd_us, &mut self.res).is_err()
                || !inside(&self.o, self.rec.start_us)
            {
                continue;
            }
            let start = self.rec.start_us;
            let at = (start - self.base_us).max(0) as u64;
            self.frontier = self.frontier.max(start);
            if at < self.emitted {
                self.late.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                continue;
            }
            let f = self.o.load_factor;
            let whole = f.floor();
            let copies = whole as u64 + u64::from(self.rng.random::<f64>() < f - whole);
            let hour = (start.div_euclid(HOUR_US) * HOUR_US - self.base_us).max(0) as u64;
            for k in 0..copies {
                let t = if k == 0 { at } else { hour + (self.rng.random::<f64>() * HOUR_US as f64) as u64 };
                self.push(t.max(self.emitted));
            }
            return true;
        }
    }
}

impl TraceFeed for Feed<'_> {
    fn next(&mut self, call: &mut TraceCall) -> bool {
        loop {
            if let Some(Reverse(top)) = self.heap.peek() {
                let due = self.base_us + top.0.at as i64 + REORDER_WINDOW_US + HOUR_US <= self.frontier;
                if self.done || due {
                    let Reverse(Queued(c, _)) = self.heap.pop().expect("peeked");
                    self.emitted = c.at;
                    *call = c;
                    return true;
                }
            } else if self.done {
                return false;
            }
            if !self.read() {
                self.done = true;
            }
        }
    }
}

// -------------------------------------------------------------- scenario

/// A source's key written as a scenario `[[source]]`.
fn source_table(model: &Model, k: OriginKey) -> toml_edit::Table {
    let mut t = toml_edit::Table::new();
    let (kind, field, name) = match k {
        OriginKey::Group(g) => ("users", "user_group", model.user_groups[g].name.clone()),
        OriginKey::Site(s) => ("site", "site", model.sites[s].name.clone()),
        OriginKey::Trunk(tr) => ("trunk", "trunk", model.trunks[tr].name.clone()),
    };
    t["name"] = toml_edit::value(format!("trace {kind} {name}"));
    t[field] = toml_edit::value(name);
    t["calls_per_hour"] = toml_edit::value(0.0);
    if matches!(k, OriginKey::Group(_)) {
        t["finite_sources"] = toml_edit::value(false);
    }
    let mut h = toml_edit::InlineTable::new();
    h.insert("constant", "1s".into());
    t["holding"] = toml_edit::value(h);
    let mut d = toml_edit::InlineTable::new();
    d.insert("template", "0".into());
    let mut a = toml_edit::Array::new();
    a.push(d);
    t["dial"] = toml_edit::value(a);
    t
}

/// The scenario a replay runs: `base`'s text (signalling, detection,
/// routing settings, failures; its sources dropped) with the trace's span,
/// one source per caller the trace has (no arrivals of their own), and
/// `failures` added (`[[failure]]` tables as TOML text).
pub fn scenario_text(
    model: &Model,
    base: &str,
    name: &str,
    survey: &Survey,
    span: (i64, u64),
    replications: u32,
    failures: &[toml_edit::Table],
) -> Result<String, String> {
    use toml_edit::{value, ArrayOfTables, DocumentMut};
    let mut doc = base.parse::<DocumentMut>().map_err(|e| format!("the scenario: {e}"))?;
    let (base_us, duration_us) = span;
    let day = base_us.div_euclid(86_400_000_000);
    let hour = base_us.rem_euclid(86_400_000_000) / HOUR_US;
    let (y, m, d) = crate::scenario::date::civil_from_days(day);
    doc["name"] = value(name);
    doc["duration"] = value(crate::model::Micros(duration_us).to_string());
    doc["warm_up"] = value("0s");
    doc["start_hour"] = value(hour);
    doc["start_date"] = value(format!("{y:04}-{m:02}-{d:02}"));
    let buckets_s = (duration_us / 1_000_000).div_ceil(1440).div_ceil(60).max(1) * 60;
    doc["bucket"] = value(crate::model::Micros(buckets_s * 1_000_000).to_string());
    doc["replications"] = value(i64::from(replications));
    doc.remove("precision");
    doc.remove("load_factor");
    let mut sources = ArrayOfTables::new();
    for k in &survey.origins {
        sources.push(source_table(model, *k));
    }
    doc["source"] = toml_edit::Item::ArrayOfTables(sources);
    if !failures.is_empty() {
        let mut all = match doc.remove("failure") {
            Some(toml_edit::Item::ArrayOfTables(a)) => a,
            _ => ArrayOfTables::new(),
        };
        for f in failures {
            all.push(f.clone());
        }
        doc["failure"] = toml_edit::Item::ArrayOfTables(all);
    }
    Ok(doc.to_string())
}

/// The nominal post-dial delay of an outbound call: client to Front End
/// to Mediation Server to the peer (three hops) and the far end's setup.
pub fn nominal_pdd(sc: &Scenario) -> u64 {
    3 * sc.signalling.hop_latency.0 + sc.signalling.pstn_setup.0
}

/// One gateway's line of the comparison.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GatewayRow {
    pub gateway: String,
    pub observed_calls: u64,
    pub simulated_calls: f64,
    pub observed_erlangs: f64,
    pub simulated_erlangs: f64,
    pub observed_blocked: u64,
    pub simulated_blocked: f64,
}

/// Observed against simulated per gateway (simulated: the mean per
/// replication), over `measured_us`; gateways with nothing either side
/// left out.
pub fn compare(
    model: &Model,
    observed: &GatewayTally,
    simulated: &GatewayTally,
    replications: u32,
    measured_us: u64,
) -> Vec<GatewayRow> {
    let n = f64::from(replications.max(1));
    let t = measured_us.max(1) as f64;
    model
        .peers
        .iter()
        .enumerate()
        .map(|(i, p)| GatewayRow {
            gateway: p.name.clone(),
            observed_calls: observed.carried[i],
            simulated_calls: simulated.carried[i] as f64 / n,
            observed_erlangs: observed.holding_us[i] as f64 / t,
            simulated_erlangs: simulated.holding_us[i] as f64 / n / t,
            observed_blocked: observed.blocked[i],
            simulated_blocked: simulated.blocked[i] as f64 / n,
        })
        .filter(|r| r.observed_calls + r.observed_blocked > 0 || r.simulated_calls + r.simulated_blocked > 0.0)
        .collect()
}
