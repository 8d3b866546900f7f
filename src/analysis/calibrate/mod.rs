//! Calibration: a scenario's traffic estimated from call detail records
//! (`voicetwin calibrate`). The records are folded into streams as they
//! are read ([`observe`]); the figures are then estimated once, each with
//! its 95% interval or a note saying the data are too thin for it
//! (docs/results.md, "`calibration.json`", defines each).

pub mod busy;
pub mod classify;
pub mod destinations;
pub mod drive;
pub mod fit;
pub mod observe;
pub mod scenario;

use serde::{Deserialize, Serialize};

use crate::analysis::stats::{Estimate, Ratio};
use crate::model::Model;

use busy::{busy_hour, profile, rate_at, HourRate, Span};
use destinations::Category;
use fit::Fit;
use observe::{Observer, StreamKey, StreamObs};

/// What a calibration estimated: the schema of `calibration.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The hours the data span (hours since the Unix epoch, UTC) and the
    /// days they touch.
    pub span: Span,
    pub days: i64,
    /// Calls used (first attempts and redials) and first attempts.
    pub calls: u64,
    /// The network's time-consistent busy hour (UTC) and the runner-up.
    pub busy_hour: HourRate,
    pub runner_up: Option<HourRate>,
    /// Whether the busy hour's interval lies wholly above the runner-up's
    /// rate: the choice is clear, not noise.
    pub busy_hour_clear: bool,
    /// The network's calls per hour at each clock hour (UTC).
    pub day: Vec<HourRate>,
    /// The holding time of every answered call together.
    pub holding: Option<Fit>,
    pub streams: Vec<StreamFigures>,
    pub notes: Vec<String>,
}

/// One stream's figures: what its scenario source says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamFigures {
    /// The source's name in the scenario.
    pub source: String,
    /// `user_group`, `site` or `trunk`, and the model object's name.
    pub origin: String,
    pub object: String,
    pub site: String,
    pub users: Option<u32>,
    /// Every attempt, first attempts and redials.
    pub attempts: u64,
    pub redials: u64,
    /// At the network's busy hour, and at the stream's own (local clock).
    pub at_busy_hour: HourRate,
    pub own_busy_hour: Option<HourRate>,
    /// Busy-hour call attempts per user (user groups).
    pub bhca_per_user: Option<Estimate>,
    /// The 24 multipliers of its rate, by hour of its local clock,
    /// relative to its own busy hour.
    pub profile: Vec<f64>,
    pub holding: Option<Fit>,
    /// Ring time of answered calls (seconds): from ringback when the
    /// CDRs record it, else from the INVITE.
    pub ring: Option<Estimate>,
    pub ring_from_ringback: bool,
    /// Of the calls that rang, the share answered.
    pub answer_share: Option<Estimate>,
    /// How long unanswered calls rang (median, seconds).
    pub no_answer_s: Option<f64>,
    /// Calls by how they ended.
    pub outcomes: Vec<(String, u64)>,
    /// Destination shares of first attempts.
    pub destinations: Vec<DestinationShare>,
    pub dial: Vec<(String, f64)>,
    pub calling: Option<String>,
    /// Redials after blocking, when the data show blocking.
    pub redial: Option<RedialFigures>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestinationShare {
    pub category: Category,
    pub calls: u64,
    pub share: Estimate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedialFigures {
    /// Blocked attempts and the share of them redialed.
    pub blocked: u64,
    pub probability: Estimate,
    /// Mean delay before a redial (seconds), when any was timed.
    pub delay_s: Option<Estimate>,
    pub most_redials: u32,
}

/// A proportion from one sample: Clopper–Pearson.
fn share(events: u64, trials: u64) -> Option<Estimate> {
    let mut r = Ratio::default();
    r.add(events, trials);
    Estimate::proportion(&r)
}

/// The figures of everything `obs` folded, for `model`.
pub fn estimate(obs: &Observer, model: &Model) -> Option<Calibration> {
    let span = obs.span()?;
    let (busy, runner_up) = busy_hour(&obs.overall, &span)?;
    let clear = runner_up.is_none_or(|r| busy.calls_per_hour.ci95_low > r.calls_per_hour.mean);
    let day = (0..24).map(|h| rate_at(&obs.overall, &span, h)).collect();
    let mut notes = Vec::new();
    if span.days() < 3 {
        notes.push(format!(
            "The data cover {} day(s): rates rest on the Poisson spread of the calls alone; from three days on, the spread between days widens them when it is larger.",
            span.days()
        ));
    }
    let holding = obs.holding.fit();
    let network_fit = holding.is_some();
    let streams =
        obs.streams.iter().map(|(k, s)| stream_figures(obs, *k, s, model, &span, busy.hour, network_fit)).collect();
    if holding.is_none() {
        notes.push(format!(
            "Only {} answered calls: too few to fit a holding time (at least {}).",
            obs.holding.count(),
            fit::MIN_CALLS
        ));
    }
    let calls = obs.streams.values().map(|s| s.attempts).sum();
    Some(Calibration {
        span,
        days: span.days(),
        calls,
        busy_hour: busy,
        runner_up,
        busy_hour_clear: clear,
        day,
        holding,
        streams,
        notes,
    })
}

fn stream_figures(
    obs: &Observer,
    key: StreamKey,
    s: &StreamObs,
    model: &Model,
    span: &Span,
    busy: u8,
    network_fit: bool,
) -> StreamFigures {
    let (origin, object, site, users) = match key {
        StreamKey::Group(g) => {
            let group = model.user_group(g);
            ("user_group", group.name.clone(), model.sites[group.site.index()].name.clone(), Some(group.users))
        }
        StreamKey::Site(site) => {
            ("site", model.sites[site.index()].name.clone(), model.sites[site.index()].name.clone(), None)
        }
        StreamKey::Trunk(t) => {
            let trunk = model.trunk(t);
            ("trunk", trunk.name.clone(), model.sites[trunk.site.index()].name.clone(), None)
        }
    };
    let source = match key {
        StreamKey::Group(_) => format!("{object}-out"),
        StreamKey::Site(_) => format!("{object}-site"),
        StreamKey::Trunk(_) => format!("{object}-in"),
    };
    let mut notes = Vec::new();
    let at_busy_hour = rate_at(&s.hourly, span, busy);
    let local_span = local_span(obs, s);
    let own = local_span.as_ref().and_then(|ls| busy_hour(&s.local, ls)).map(|(b, _)| b);
    let profile = match (&local_span, own) {
        (Some(ls), Some(b)) => profile(&s.local, ls, b.hour).to_vec(),
        _ => vec![1.0; 24],
    };
    let bhca_per_user = users.filter(|u| *u > 0).map(|u| {
        let r = at_busy_hour.calls_per_hour;
        let u = f64::from(u);
        Estimate { mean: r.mean / u, ci95_low: r.ci95_low / u, ci95_high: r.ci95_high / u }
    });
    let holding = s.holding.fit();
    if holding.is_none() {
        notes.push(format!(
            "{} answered calls: too few for a holding time of its own (at least {}); {}.",
            s.holding.count(),
            fit::MIN_CALLS,
            if network_fit { "the network's fit stands in" } else { "nor are there enough in the whole network" }
        ));
    }
    let rang = s.ring.count() + s.no_answer.count();
    let answer_share = share(s.ring.count(), rang);
    if rang == 0 {
        notes.push("No call rang: no answer share.".into());
    }
    let no_answer_s = median(&s.no_answer.sorted_sample());
    let first = s.attempts - s.redials;
    let destinations = Category::ALL
        .iter()
        .filter_map(|c| {
            let n = s.categories.get(c).copied().unwrap_or(0);
            (n > 0).then(|| DestinationShare {
                category: *c,
                calls: n,
                share: share(n, first).unwrap_or(Estimate::exact(0.0)),
            })
        })
        .collect();
    let redial = (s.blocked > 0).then(|| RedialFigures {
        blocked: s.blocked,
        probability: share(s.blocked_redialed.min(s.blocked), s.blocked).unwrap_or(Estimate::exact(0.0)),
        delay_s: s.redial_delay.mean(),
        most_redials: s.most_redials.max(1),
    });
    if s.blocked == 0 {
        notes.push("No attempt was blocked: the data cannot show redials.".into());
    }
    let calling = s.calling.mix().into_iter().next().map(|(t, _)| t);
    StreamFigures {
        source,
        origin: origin.into(),
        object,
        site,
        users,
        attempts: s.attempts,
        redials: s.redials,
        at_busy_hour,
        own_busy_hour: own,
        bhca_per_user,
        profile,
        holding,
        // A mean of one call has no interval: not given.
        ring: s.ring.mean().filter(|_| s.ring.count() >= 2),
        ring_from_ringback: s.ring_from_ringback,
        answer_share,
        no_answer_s,
        outcomes: s.outcomes.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        destinations,
        dial: s.dial.mix(),
        calling,
        redial,
        notes,
    }
}

/// The span on the stream's local clock.
fn local_span(obs: &Observer, s: &StreamObs) -> Option<Span> {
    const HOUR: i64 = 3_600_000_000;
    let (first, last) = (obs.first_us?, obs.last_us?);
    Some(Span { first_hour: (first + s.offset_us).div_euclid(HOUR), last_hour: (last + s.offset_us).div_euclid(HOUR) })
}

fn median(sorted: &[f64]) -> Option<f64> {
    (!sorted.is_empty()).then(|| sorted[sorted.len() / 2])
}
