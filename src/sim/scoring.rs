//! Voice quality of answered calls: each is scored once, when it is
//! answered, from its media path and the links' load at that moment, and
//! the scores kept overall, per site, per trunk, per link and per time
//! bucket. The E-model itself is `qos/`; this is its use on a call:
//!
//! - Delay (mouth to ear): each link's one-way delay, plus queueing from the
//!   link's load at that moment (M/M/1 waiting time of a 200-byte voice
//!   packet, load capped at 98%), plus a jitter buffer twice the path's
//!   jitter (at least 20 ms), plus 20 ms of packetization, plus
//!   `TRANSCODING_MS` when the Mediation Server transcodes.
//! - Loss: each link's random loss, combined.
//! - Codec: G.711 with packet-loss concealment (G.113 Ie 0, Bpl 25.1).
//!   RTAudio has no published Ie or Bpl, so its codec impairment is not
//!   modelled rather than invented.

use crate::model::{LinkId, Model};
use crate::qos::emodel::{rating, Params};

use super::call::Call;
use super::metrics::{Occupancy, Window};

/// Delay a transcoding Mediation Server adds (ms).
pub const TRANSCODING_MS: f64 = 10.0;
/// Voice packet size for the queueing model (bytes): 160 of G.711 payload
/// and 40 of IP/UDP/RTP headers.
pub const PACKET_BYTES: f64 = 200.0;
/// MOS under which a call counts as poor (R = 60: "many users dissatisfied").
pub const POOR_MOS: f64 = 3.1;

/// Scores calls, remembering the E-model's answer for each (delay to
/// 0.01 ms, loss to 0.0001%): the model is a pure function of those two,
/// and most calls share paths, so most scores are a lookup. The memory is
/// a fixed direct-mapped table (a colliding key just replaces the entry),
/// so it is bounded and costs one multiply to probe.
#[derive(Debug)]
pub struct Scorer {
    memo: Vec<(u64, f64)>,
}

const MEMO_BITS: u32 = 12;
const MEMO_SLOTS: usize = 1 << MEMO_BITS;
const EMPTY: u64 = u64::MAX;

impl Default for Scorer {
    fn default() -> Self {
        Self { memo: vec![(EMPTY, 0.0); MEMO_SLOTS] }
    }
}

impl Scorer {
    /// The MOS of a call whose media crosses `links` (each once per leg).
    pub fn score(&mut self, model: &Model, links: &[(LinkId, u32)], load: &[Occupancy], transcoded: bool) -> f64 {
        let (delay_ms, loss_pct) = path_delay_loss(model, links, load, transcoded);
        // Both are non-negative: adding a half and truncating rounds them.
        let (d, l) = ((delay_ms * 100.0 + 0.5) as u32, (loss_pct * 10_000.0 + 0.5) as u32);
        let key = u64::from(d) << 32 | u64::from(l);
        let slot = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_BITS)) as usize;
        if self.memo[slot].0 == key {
            return self.memo[slot].1;
        }
        let m = mos_of(f64::from(d) / 100.0, f64::from(l) / 10_000.0);
        self.memo[slot] = (key, m);
        m
    }
}

/// The MOS of a call whose media crosses `links` (each once per leg).
pub fn score(model: &Model, links: &[(LinkId, u32)], load: &[Occupancy], transcoded: bool) -> f64 {
    let (delay_ms, loss_pct) = path_delay_loss(model, links, load, transcoded);
    mos_of(delay_ms, loss_pct)
}

/// E-model MOS for G.711 with PLC at this mouth-to-ear delay and loss.
fn mos_of(delay_ms: f64, loss_pct: f64) -> f64 {
    let p = Params {
        Ie: 0.0,
        Bpl: 25.1,
        Ta: delay_ms,
        T: delay_ms,
        Tr: 2.0 * delay_ms,
        Ppl: loss_pct,
        ..Params::default()
    };
    rating(&p).mos
}

/// Mouth-to-ear delay (ms) and loss (%) of a media path.
fn path_delay_loss(model: &Model, links: &[(LinkId, u32)], load: &[Occupancy], transcoded: bool) -> (f64, f64) {
    let mut delay_ms = 20.0 + if transcoded { TRANSCODING_MS } else { 0.0 };
    let mut jitter_ms = 0.0;
    let mut delivered = 1.0;
    for (l, _) in links {
        let link = &model.links[l.index()];
        delay_ms += link.one_way_delay.as_millis_f64();
        jitter_ms += link.jitter.as_millis_f64();
        delivered *= 1.0 - link.loss_percent / 100.0;
        let rho = (f64::from(load[l.index()].in_use) / 10.0 / f64::from(link.bandwidth_kbps.max(1))).min(0.98);
        let service_ms = PACKET_BYTES * 8.0 / f64::from(link.bandwidth_kbps.max(1));
        delay_ms += service_ms * rho / (1.0 - rho);
    }
    delay_ms += (2.0 * jitter_ms).max(20.0);
    (delay_ms, (1.0 - delivered) * 100.0)
}

/// MOS figures of a set of calls, bounded in memory (0.01 bins).
#[derive(Debug, Clone)]
pub struct MosStats {
    bins: Vec<u32>,
    pub count: u64,
    pub sum: f64,
    pub poor: u64,
    /// The lowest and highest MOS recorded: a quantile lies within them.
    min: f64,
    max: f64,
}

impl Default for MosStats {
    fn default() -> Self {
        Self { bins: vec![0; 351], count: 0, sum: 0.0, poor: 0, min: f64::INFINITY, max: f64::NEG_INFINITY }
    }
}

impl MosStats {
    /// Heap bytes it holds (its bins), for a replication's footprint.
    pub fn heap_bytes(&self) -> usize {
        self.bins.capacity() * std::mem::size_of::<u32>()
    }

    pub fn record(&mut self, mos: f64) {
        // MOS is at least 1: adding a half and truncating rounds.
        let bin = (((mos - 1.0) * 100.0 + 0.5) as usize).min(350);
        self.bins[bin] += 1;
        self.count += 1;
        self.sum += mos;
        self.min = self.min.min(mos);
        self.max = self.max.max(mos);
        if mos < POOR_MOS {
            self.poor += 1;
        }
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }

    /// The `q` quantile (0.01 resolution), within the lowest and highest
    /// MOS recorded.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.bin_quantile(q).clamp(self.min, self.max)
    }

    fn bin_quantile(&self, q: f64) -> f64 {
        let target = (q * self.count as f64).ceil().max(1.0) as u64;
        let mut acc = 0;
        for (i, n) in self.bins.iter().enumerate() {
            acc += u64::from(*n);
            if acc >= target {
                return 1.0 + i as f64 / 100.0;
            }
        }
        4.5
    }

    /// The share of scored calls under MOS 3.1, in this set alone.
    pub fn poor_share(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.poor as f64 / self.count as f64
        }
    }
}

pub(super) struct Scoring<'a> {
    model: &'a Model,
    window: Window,
    scorer: Scorer,
    mos: MosStats,
    per_site: Vec<MosStats>,
    per_trunk: Vec<MosStats>,
    per_link: Vec<MosStats>,
    /// (sum, count) per time bucket.
    buckets: Vec<(f64, u64)>,
}

/// The voice quality of answered calls: overall, per site, per trunk, per
/// WAN link crossed, and (sum, count) per time bucket.
pub(super) struct ScoringFigures {
    pub mos: MosStats,
    pub mos_per_site: Vec<MosStats>,
    pub mos_per_trunk: Vec<MosStats>,
    pub mos_per_link: Vec<MosStats>,
    pub bucket_mos: Vec<(f64, u64)>,
}

impl<'a> Scoring<'a> {
    pub(super) fn new(model: &'a Model, window: Window) -> Self {
        Self {
            model,
            window,
            scorer: Scorer::default(),
            mos: MosStats::default(),
            per_site: vec![MosStats::default(); model.sites.len()],
            per_trunk: vec![MosStats::default(); model.trunks.len()],
            per_link: vec![MosStats::default(); model.links.len()],
            buckets: vec![(0.0, 0); window.buckets()],
        }
    }

    /// Scores call `c`'s voice quality, answered at `at`, from its media
    /// path with the links' load `links`.
    pub(super) fn score(&mut self, c: &Call, links: &[Occupancy], at: u64) {
        let held = &c.holds.links;
        // An internal call rerouted by CAC has no modelled path: not scored.
        if held.is_empty() && c.callee_site.is_some_and(|s| s != c.media_site) {
            return;
        }
        let transcoded =
            c.outbound.is_some_and(|l| l.server.is_some()) || c.inbound.is_some_and(|l| l.server.is_some());
        let mos = self.scorer.score(self.model, held, links, transcoded);
        self.mos.record(mos);
        self.per_site[c.profile.site].record(mos);
        if let Some(t) = c.outbound.or(c.inbound).map(|l| l.trunk) {
            self.per_trunk[t.index()].record(mos);
        }
        for (i, (l, _)) in held.iter().enumerate() {
            // Once per link, though both legs may cross it.
            if !held[..i].iter().any(|(k, _)| k == l) {
                self.per_link[l.index()].record(mos);
            }
        }
        let b = ((at / self.window.bucket) as usize).min(self.buckets.len() - 1);
        self.buckets[b].0 += mos;
        self.buckets[b].1 += 1;
    }

    pub(super) fn close(self) -> ScoringFigures {
        ScoringFigures {
            mos: self.mos,
            mos_per_site: self.per_site,
            mos_per_trunk: self.per_trunk,
            mos_per_link: self.per_link,
            bucket_mos: self.buckets,
        }
    }
}
