//! Scenario validation and resolution against its model.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::limits::scenario::*;
use crate::limits::{grouped, model::USERS, short, Real, Span, Whole};
use crate::model::{self, Micros, Model, Problem};
use crate::traffic::source::{FiniteUsers, Retry};
use crate::traffic::{DialMix, DialTemplate, Holding, Origin, Source};

use super::file::{HoldingFile, ScenarioFile, SourceFile};
use super::Overrides;
use super::{Detection, Failure, Scenario, ScenarioError, Signalling};

/// Scenarios built into the binary, by name.
pub const BUILTIN_SCENARIOS: &[(&str, &str)] = &[
    ("busy-hour", include_str!("../../scenarios/busy-hour.toml")),
    ("single-trunk-group", include_str!("../../scenarios/single-trunk-group.toml")),
    ("gateway-failover", include_str!("../../scenarios/gateway-failover.toml")),
    ("n-minus-1", include_str!("../../scenarios/n-minus-1.toml")),
];

/// Models built into the binary, by name.
const BUILTIN_MODELS: &[(&str, &str)] =
    &[("contoso", model::CONTOSO_TOML), ("single-trunk-group", include_str!("../../models/single-trunk-group.toml"))];

/// The text of a built-in scenario.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_SCENARIOS.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Reads a scenario file and its model, with the command line's
/// overrides.
pub fn load_file(path: &Path, overrides: &Overrides) -> Result<(Scenario, Model), ScenarioError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ScenarioError::Read { file: file.clone(), message: e.to_string() })?;
    load_str(&text, &file, path.parent(), overrides)
}

/// Validates scenario text and applies the overrides (checked like the
/// file's fields); `base` resolves a relative model path.
pub fn load_str(
    text: &str,
    file: &str,
    base: Option<&Path>,
    overrides: &Overrides,
) -> Result<(Scenario, Model), ScenarioError> {
    let raw: ScenarioFile = crate::model::error::parse_toml(text, "the scenario")
        .map_err(|e| ScenarioError::Syntax { file: file.to_owned(), message: e })?;
    // A model the file names is its `model` field's problem; one given
    // by the caller (`--model`) is the caller's.
    let named = |error| ScenarioError::Model { scenario: Some(file.to_owned()), error };
    let model = match overrides.model.as_deref() {
        Some(p) => model::load_file(p).map_err(|error| ScenarioError::Model { scenario: None, error })?,
        None => match BUILTIN_MODELS.iter().find(|(n, _)| *n == raw.model) {
            Some((name, text)) => model::load_str(text, &format!("models/{name}.toml (built in)")).map_err(named)?,
            None => {
                let p = base.map(|b| b.join(&raw.model)).unwrap_or_else(|| PathBuf::from(&raw.model));
                model::load_file(&p).map_err(named)?
            }
        },
    };
    let mut scenario = validate(raw, file, text, &model)?;
    overrides.apply(&mut scenario)?;
    Ok((scenario, model))
}

/// Validates scenario text against `model`, whatever model the text names.
pub fn load_for_model(text: &str, file: &str, model: &Model) -> Result<Scenario, ScenarioError> {
    let raw: ScenarioFile = crate::model::error::parse_toml(text, "the scenario")
        .map_err(|e| ScenarioError::Syntax { file: file.to_owned(), message: e })?;
    validate(raw, file, text, model)
}

fn validate(raw: ScenarioFile, file: &str, text: &str, model: &Model) -> Result<Scenario, ScenarioError> {
    let mut v = Validator { problems: Vec::new(), model };
    let factor = raw.load_factor;
    let factor_ok = v.real("the scenario", "load_factor", factor, LOAD_FACTOR);
    let mut scenario = v.scenario(raw, file, text);
    // The work of a replication, once every field is in its range, at the
    // load asked for.
    if v.problems.is_empty() && factor_ok && factor != 1.0 {
        if let Err(e) = scenario.scale_load(factor) {
            v.err("the scenario", "load_factor", e);
        }
    }
    if v.problems.is_empty() {
        v.problems = scenario.work_problems();
    }
    if v.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError::Invalid { file: file.to_owned(), problems: v.problems })
    }
}

pub(super) struct Validator<'m> {
    problems: Vec<Problem>,
    pub(super) model: &'m Model,
}

impl Validator<'_> {
    pub(super) fn err(&mut self, object: &str, field: &str, message: impl Into<String>) {
        self.problems.push(Problem { object: object.to_owned(), field: field.to_owned(), message: message.into() });
    }

    /// Whether `v` is in `range`, reporting it when not.
    pub(super) fn whole(&mut self, obj: &str, field: &str, v: i64, range: Whole) -> bool {
        range.check(v).map_err(|e| self.err(obj, field, e)).is_ok()
    }

    pub(super) fn real(&mut self, obj: &str, field: &str, v: f64, range: Real) -> bool {
        range.check(v).map_err(|e| self.err(obj, field, e)).is_ok()
    }

    pub(super) fn span(&mut self, obj: &str, field: &str, v: Micros, range: Span) -> bool {
        range.check(v).map_err(|e| self.err(obj, field, e)).is_ok()
    }

    fn scenario(&mut self, raw: ScenarioFile, file: &str, text: &str) -> Scenario {
        let obj = "the scenario";
        self.span(obj, "duration", raw.duration, DURATION);
        if raw.warm_up >= raw.duration && raw.duration.0 > 0 {
            self.err(obj, "warm_up", format!("{} leaves nothing to measure in a run of {}", raw.warm_up, raw.duration));
        }
        self.whole(obj, "replications", raw.replications, REPLICATIONS);
        if self.span(obj, "bucket", raw.bucket, BUCKET) && raw.duration.0.div_ceil(raw.bucket.0) > MAX_BUCKETS {
            self.err(
                obj,
                "bucket",
                format!(
                    "\"{}\" makes more than {} buckets in \"{}\"; every element keeps one value per bucket",
                    short(raw.bucket),
                    grouped(MAX_BUCKETS as i64),
                    short(raw.duration)
                ),
            );
        }
        self.whole(obj, "start_hour", raw.start_hour, START_HOUR);
        let start_date = super::date::parse(&raw.start_date).unwrap_or_else(|e| {
            self.err(obj, "start_date", e);
            0
        });
        self.span("[signalling]", "hop_latency", raw.signalling.hop_latency, HOP_LATENCY);
        self.span("[signalling]", "pstn_setup", raw.signalling.pstn_setup, PSTN_SETUP);
        if raw.sources.is_empty() {
            self.err(obj, "source", "defines no traffic; add a [[source]]");
        } else if raw.sources.len() > MAX_SOURCES {
            self.err(
                obj,
                "source",
                format!("{} sources are more than {}", raw.sources.len(), grouped(MAX_SOURCES as i64)),
            );
        }
        let mut names = HashSet::new();
        let sources: Vec<Source> = raw
            .sources
            .iter()
            .filter_map(|s| {
                if !names.insert(s.name.to_lowercase()) {
                    self.err(&format!("source \"{}\"", s.name), "name", "duplicate: another source has this name");
                }
                self.source(s)
            })
            .collect();
        let start_hour = raw.start_hour.clamp(START_HOUR.min, START_HOUR.max) as u8;
        let sources = local_time(self.model, sources, start_date, start_hour);
        let d = &raw.detection;
        self.whole("[detection]", "missed_options", d.missed_options, MISSED_OPTIONS);
        self.span("[detection]", "options_interval", d.options_interval, PROBE_INTERVAL);
        self.span("[detection]", "down_probe_interval", d.down_probe_interval, PROBE_INTERVAL);
        self.whole("[detection]", "less_preferred_after", d.less_preferred_after, LESS_PREFERRED_AFTER);
        let detection = Detection {
            options_interval: d.options_interval,
            missed_options: d.missed_options.clamp(MISSED_OPTIONS.min, MISSED_OPTIONS.max) as u32,
            down_probe_interval: d.down_probe_interval,
            less_preferred_after: d.less_preferred_after.clamp(LESS_PREFERRED_AFTER.min, LESS_PREFERRED_AFTER.max)
                as u32,
        };
        let failures: Vec<Failure> = raw.failures.iter().flat_map(|f| self.failures(f, raw.duration.0)).collect();
        if failures.len() > MAX_FAILURES {
            self.err(
                obj,
                "failure",
                format!(
                    "{} failures (after `class:*` expansion) are more than {}",
                    grouped(failures.len() as i64),
                    grouped(MAX_FAILURES as i64)
                ),
            );
        }
        let replications = raw.replications.clamp(REPLICATIONS.min, REPLICATIONS.max) as u32;
        let precision = raw.precision.as_ref().and_then(|p| {
            let first = replications;
            super::Precision::new(p.relative, p.absolute, p.max_replications, first)
                .map_err(|(field, message)| self.err("[precision]", &field, message))
                .ok()
        });
        let whatif = self.whatif(&raw.whatif, raw.warm_up.0, raw.duration.0);
        let targets = self.targets(&raw.targets, &sources);
        let responses = self.responses(&raw.responses);
        let tariffs = self.tariffs(&raw.tariffs);
        Scenario {
            targets,
            responses,
            tariffs,
            source: file.to_owned(),
            detection,
            failures,
            whatif,
            name: if raw.name.is_empty() { file.to_owned() } else { raw.name },
            description: raw.description,
            model: raw.model,
            duration: raw.duration,
            warm_up: raw.warm_up,
            replications,
            seed: raw.seed,
            bucket: raw.bucket,
            start_hour: raw.start_hour.clamp(START_HOUR.min, START_HOUR.max) as u8,
            start_date,
            out: raw.out,
            signalling: Signalling { hop_latency: raw.signalling.hop_latency, pstn_setup: raw.signalling.pstn_setup },
            sources,
            load_factor: 1.0,
            precision,
            text: text.to_owned(),
        }
    }

    /// A distribution, every duration written in it within `values`.
    fn holding(&mut self, obj: &str, field: &str, h: &HoldingFile, values: Span) -> Option<Holding> {
        let written: Vec<Micros> = match h {
            HoldingFile::Constant(d) | HoldingFile::Exponential(d) => vec![*d],
            HoldingFile::Lognormal { mean, sd } => vec![*mean, *sd],
            HoldingFile::Empirical(points) => points.iter().map(|p| p.0).collect(),
        };
        let weights: &[(Micros, f64)] = match h {
            HoldingFile::Empirical(points) => points,
            _ => &[],
        };
        let in_range = written.iter().filter(|d| !self.span(obj, field, **d, values)).count() == 0;
        let weighed = weights.iter().filter(|(_, w)| !self.real(obj, field, *w, WEIGHT)).count() == 0;
        if !(in_range && weighed) {
            return None;
        }
        let r = match h {
            HoldingFile::Constant(d) => Ok(Holding::constant(d.0)),
            HoldingFile::Exponential(m) => Holding::exponential(m.0),
            HoldingFile::Lognormal { mean, sd } => Holding::lognormal(mean.0, sd.0),
            HoldingFile::Empirical(points) => {
                Holding::empirical(&points.iter().map(|(d, w)| (d.0, *w)).collect::<Vec<_>>())
            }
        };
        r.map_err(|e| self.err(obj, field, e)).ok()
    }

    fn source(&mut self, s: &SourceFile) -> Option<Source> {
        let obj = format!("source \"{}\"", s.name);
        let m = self.model;
        let origins = [s.user_group.is_some(), s.site.is_some(), s.trunk.is_some(), s.trunks.is_some()];
        if origins.iter().filter(|x| **x).count() != 1 {
            self.err(&obj, "user_group", "name exactly one of user_group, site, trunk or trunks");
            return None;
        }
        let hunt = match &s.trunks {
            Some(names) => self.hunt(&obj, names)?,
            None => Vec::new(),
        };
        let origin = if let Some(g) = &s.user_group {
            match m.user_group_by_name(g) {
                Some(id) => Origin::Users(id),
                None => {
                    let known: Vec<&str> = m.user_groups.iter().map(|g| g.name.as_str()).collect();
                    self.err(
                        &obj,
                        "user_group",
                        format!("no user group \"{g}\" in the model (known: {})", known.join(", ")),
                    );
                    return None;
                }
            }
        } else if let Some(site) = &s.site {
            match m.site_by_name(site) {
                Some(id) => Origin::Site(id),
                None => {
                    self.err(&obj, "site", format!("no site \"{site}\" in the model"));
                    return None;
                }
            }
        } else if let Some(&first) = hunt.first() {
            Origin::Trunk(first)
        } else {
            let t = s.trunk.as_deref().unwrap_or_default();
            match m.trunk_by_name(t) {
                Some(id) => Origin::Trunk(id),
                None => {
                    let known: Vec<&str> = m.trunks.iter().map(|t| t.name.as_str()).collect();
                    self.err(&obj, "trunk", format!("no trunk \"{t}\" in the model (known: {})", known.join(", ")));
                    return None;
                }
            }
        };
        let holding = self.holding(&obj, "holding", &s.holding, HOLDING)?;
        if let Err(e) = HOLDING_MEAN.check(Micros(holding.mean().round() as u64)) {
            self.err(&obj, "holding", format!("its mean {e}"));
            return None;
        }
        let ring = match &s.ring_time {
            Some(h) => self.holding(&obj, "ring_time", h, RING)?,
            None => Holding::constant(Micros::from_secs(6).0),
        };
        if !self.span(&obj, "no_answer_timeout", s.no_answer_timeout, RING) {
            return None;
        }
        let rates = [s.bhca_per_user.is_some(), s.calls_per_hour.is_some(), s.erlangs.is_some()];
        if rates.iter().filter(|x| **x).count() != 1 {
            self.err(&obj, "calls_per_hour", "give exactly one of bhca_per_user, calls_per_hour or erlangs");
            return None;
        }
        let users = match (origin, s.users) {
            (Origin::Users(g), None) => Some(f64::from(m.user_group(g).users)),
            (Origin::Users(_), Some(_)) => {
                self.err(&obj, "users", "a user group's size comes from the model");
                None
            }
            (_, Some(n)) if self.whole(&obj, "users", n, USERS) => Some(n as f64),
            (_, Some(_)) => return None,
            (_, None) => None,
        };
        // A bad rate is reported with the source's other problems, not
        // instead of them: the source is dropped once all are checked.
        let (rate_field, rate_per_s) = if let Some(b) = s.bhca_per_user {
            match users {
                None => {
                    self.err(&obj, "bhca_per_user", "needs a user group, or `users` for a site or trunk source");
                    ("bhca_per_user", f64::NAN)
                }
                Some(_) if !self.real(&obj, "bhca_per_user", b, BHCA_PER_USER) => ("bhca_per_user", f64::NAN),
                Some(users) => ("bhca_per_user", users * b / 3600.0),
            }
        } else if let Some(c) = s.calls_per_hour {
            let ok = self.real(&obj, "calls_per_hour", c, CALLS_PER_HOUR);
            ("calls_per_hour", if ok { c / 3600.0 } else { f64::NAN })
        } else {
            let e = s.erlangs.unwrap_or_default();
            let ok = self.real(&obj, "erlangs", e, ERLANGS);
            // Offered Erlangs = arrival rate x mean holding time (at least
            // `HOLDING_MEAN.min`, checked above).
            ("erlangs", if ok { e / (holding.mean() / 1e6) } else { f64::NAN })
        };
        self.real(&obj, "answer_probability", s.answer_probability, PROBABILITY);
        let retry = self.retry(&obj, s);
        let profile = match &s.profile {
            None => [1.0; 24],
            Some(p) if p.len() == 24 => {
                if p.iter().filter(|x| !self.real(&obj, "profile", **x, PROFILE)).count() > 0 {
                    return None;
                }
                let mut a = [0.0; 24];
                a.copy_from_slice(p);
                a
            }
            Some(p) => {
                self.err(&obj, "profile", format!("needs 24 hourly multipliers, got {} values", p.len()));
                return None;
            }
        };
        let mut mix = Vec::new();
        for d in &s.dial {
            match DialTemplate::new(&d.template) {
                Ok(t) if self.real(&obj, "dial", d.weight, WEIGHT) => mix.push((d.weight, t)),
                Ok(_) => {}
                Err(e) => self.err(&obj, "dial", e),
            }
        }
        let dial = DialMix::new(mix).map_err(|e| self.err(&obj, "dial", e)).ok()?;
        let calling = match (&s.calling, origin) {
            (Some(c), Origin::Trunk(_) | Origin::Site(_)) => {
                Some(DialTemplate::new(c).map_err(|e| self.err(&obj, "calling", e)).ok()?)
            }
            (Some(_), Origin::Users(_)) => {
                self.err(&obj, "calling", "users call with their own Line URI");
                return None;
            }
            (None, _) => None,
        };
        let answer_probability = if PROBABILITY.contains(s.answer_probability) { s.answer_probability } else { 1.0 };
        let mean_busy_s = Source::mean_busy_s(answer_probability, &holding, &ring, s.no_answer_timeout.0);
        let finite = match (origin, s.finite_sources) {
            (Origin::Users(g), None | Some(true)) => Some(FiniteUsers { users: m.user_group(g).users, mean_busy_s }),
            (_, Some(true)) => {
                self.err(
                    &obj,
                    "finite_sources",
                    "only a user-group source has users who can be busy; a site or trunk source is Poisson",
                );
                None
            }
            (_, _) => None,
        };
        if rate_per_s.is_nan() {
            return None;
        }
        let source = Source {
            name: s.name.clone(),
            origin,
            rate_field,
            rate_per_s,
            profile,
            utc_offset_s: 0,
            dial,
            calling,
            holding,
            ring,
            answer_probability,
            no_answer_timeout: s.no_answer_timeout.0,
            finite,
            retry,
            hunt,
        };
        if let Some(problem) = source.overloaded_users() {
            self.err(&obj, "finite_sources", problem);
            return None;
        }
        Some(source)
    }

    /// A source's `trunks`: each a trunk of the model, once, 1 to
    /// [`MAX_HUNT_TRUNKS`] of them.
    fn hunt(&mut self, obj: &str, names: &[String]) -> Option<Vec<model::TrunkId>> {
        if names.is_empty() || names.len() > MAX_HUNT_TRUNKS {
            self.err(obj, "trunks", format!("lists {} trunks; give 1 to {MAX_HUNT_TRUNKS}", names.len()));
            return None;
        }
        let mut list = Vec::with_capacity(names.len());
        for name in names {
            let Some(t) = self.model.trunk_by_name(name) else {
                let known: Vec<&str> = self.model.trunks.iter().map(|t| t.name.as_str()).collect();
                self.err(obj, "trunks", format!("no trunk \"{name}\" in the model (known: {})", known.join(", ")));
                return None;
            };
            if list.contains(&t) {
                self.err(obj, "trunks", format!("\"{name}\" is listed twice; a carrier hunts each trunk once"));
                return None;
            }
            list.push(t);
        }
        Some(list)
    }

    /// A source's redials: none unless `retry_probability` is above 0.
    fn retry(&mut self, obj: &str, s: &SourceFile) -> Option<Retry> {
        let p = s.retry_probability.unwrap_or(0.0);
        let max = s.max_redials.unwrap_or(3);
        // Both checked, so that one bad field does not hide the other.
        let p_ok = self.real(obj, "retry_probability", p, PROBABILITY);
        if !(self.whole(obj, "max_redials", max, MAX_REDIALS) && p_ok) {
            return None;
        }
        if p == 0.0 {
            if s.retry_delay.is_some() || s.max_redials.is_some() {
                self.err(obj, "retry_probability", "retry_delay and max_redials need a retry_probability above 0");
            }
            return None;
        }
        let delay = s.retry_delay.unwrap_or(Micros::from_secs(30));
        if !self.span(obj, "retry_delay", delay, RETRY_DELAY) {
            return None;
        }
        Some(Retry { probability: p, mean_delay_us: delay.0, max_redials: max as u32 })
    }
}

/// Each source's local time: the offset of its site's `time_zone` in force
/// when the run starts (`start_hour` on `start_date`, UTC); a site
/// without one is at offset 0, the scenario's clock (docs/scenario.md,
/// "Local time").
fn local_time(m: &Model, mut sources: Vec<Source>, start_date: i64, start_hour: u8) -> Vec<Source> {
    let start = start_date * 86_400 + i64::from(start_hour) * 3600;
    for src in &mut sources {
        let site = match src.origin {
            Origin::Users(g) => m.user_group(g).site,
            Origin::Site(s) => s,
            Origin::Trunk(t) => m.trunk(t).site,
        };
        src.utc_offset_s = m.site(site).time_zone.as_ref().map_or(0, |z| z.offset_s_at(start));
    }
    sources
}
