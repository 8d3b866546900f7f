//! Validating a scenario's failures and its what-if settings: each
//! failure's target resolved against the model, `class:*` expanded, its
//! timing checked against the run.

use crate::limits::scenario::*;
use crate::model::Micros;

use super::file::{FailureFile, WhatIfFile};
use super::load::Validator;
use super::{ElementClass, Failure, FailureMode, FailureTarget, FailureTiming, WhatIf};

/// When the what-if failures start without `[whatif] at`: a quarter of
/// the measured period after the warm-up (to the second), so that calls
/// placed after the warm-up are in progress when they start and the
/// calls they drop are measured.
pub fn default_whatif_start(warm_up: u64, duration: u64) -> u64 {
    let quarter = duration.saturating_sub(warm_up) / 4;
    warm_up + quarter / Micros::SECOND * Micros::SECOND
}

impl Validator<'_> {
    pub(super) fn whatif(&mut self, w: &WhatIfFile, warm_up: u64, duration: u64) -> WhatIf {
        let obj = "[whatif]";
        let classes = match &w.elements {
            None => vec![ElementClass::Peer, ElementClass::Trunk, ElementClass::MediationPool, ElementClass::WanLink],
            Some(list) if list.is_empty() => {
                self.err(obj, "elements", "names no element class: give at least one, e.g. [\"peer\", \"site\"]");
                Vec::new()
            }
            Some(list) => list
                .iter()
                .filter_map(|c| ElementClass::parse(c).map_err(|e| self.err(obj, "elements", e)).ok())
                .collect(),
        };
        let k = w.k.unwrap_or(1);
        self.whole(obj, "k", k, WHATIF_K);
        let at = w.at.map(|a| a.0).unwrap_or_else(|| default_whatif_start(warm_up, duration));
        // Without `at`, the window starts in the measured period, whose
        // own errors already say what is wrong with it.
        if at >= duration && duration > 0 && w.at.is_some() {
            self.err(obj, "at", "starts after the end of the run");
        }
        let window = w.duration.map(|d| d.0).unwrap_or(duration.saturating_sub(at));
        // Without `duration`, the window is the rest of the run, whose own
        // length is checked.
        if duration > at && w.duration.is_some() {
            self.span(obj, "duration", Micros(window), FAILURE_DURATION);
        }
        let mode = match w.mode.as_deref() {
            None | Some("silent") => FailureMode::Silent,
            Some("reject") => FailureMode::Reject,
            Some(other) => {
                self.err(obj, "mode", format!("\"{other}\" is not a mode; use \"silent\" or \"reject\""));
                FailureMode::Silent
            }
        };
        let all_pairs = match w.pairs.as_deref() {
            None | Some("undominated") => false,
            Some("all") => true,
            Some(other) => {
                self.err(obj, "pairs", format!("\"{other}\" is not a choice; use \"undominated\" or \"all\""));
                false
            }
        };
        WhatIf { classes, k: k.clamp(1, 2) as u8, at, duration: window.max(1), mode, all_pairs }
    }

    /// One failure, or with `class:*` one per element of the class (each
    /// with its own random stream, named after the element).
    pub(super) fn failures(&mut self, f: &FailureFile, duration: u64) -> Vec<Failure> {
        let Some(class) = f.element.strip_suffix(":*") else {
            return self.failure(f, duration, None).into_iter().collect();
        };
        let name = f.name.clone().unwrap_or_else(|| f.element.clone());
        match ElementClass::parse(class) {
            Ok(c) => FailureTarget::all_of(c, self.model)
                .into_iter()
                .filter_map(|t| {
                    let label = t.label(self.model);
                    let mut one = self.failure(f, duration, Some(t))?;
                    one.name = format!("{name}/{label}");
                    Some(one)
                })
                .collect(),
            Err(e) => {
                self.err(&format!("failure \"{name}\""), "element", e);
                Vec::new()
            }
        }
    }

    fn failure(&mut self, f: &FailureFile, duration: u64, expanded: Option<FailureTarget>) -> Option<Failure> {
        let name = f.name.clone().unwrap_or_else(|| f.element.clone());
        let obj = format!("failure \"{name}\"");
        let m = self.model;
        let target = match expanded.map(Ok).unwrap_or_else(|| FailureTarget::parse(&f.element, m)) {
            Ok(t) => t,
            Err(e) => {
                self.err(&obj, "element", e);
                return None;
            }
        };
        let trunks = target.trunks(m);
        let window = |v: &mut Self, at: Option<Micros>, dur: Option<Micros>| -> Option<FailureTiming> {
            let at = at.map(|a| a.0).unwrap_or(0);
            let dur = dur.map(|d| d.0).unwrap_or(duration.saturating_sub(at));
            if at >= duration {
                v.err(&obj, "at", "starts after the end of the run");
                return None;
            }
            if !v.span(&obj, "duration", Micros(dur), FAILURE_DURATION) {
                return None;
            }
            Some(FailureTiming::Scheduled { at, duration: dur })
        };
        let mode = match f.mode.as_deref() {
            None | Some("silent") => FailureMode::Silent,
            Some("reject") => FailureMode::Reject,
            Some("respond") => self.respond(&obj, f, target)?,
            Some(other) => {
                self.err(
                    &obj,
                    "mode",
                    format!(
                        "\"{other}\" is not a mode; use \"silent\" (stops answering), \"reject\" (answers 503) or \"respond\" (answers `response`)"
                    ),
                );
                return None;
            }
        };
        if !matches!(mode, FailureMode::Respond { .. }) {
            for (field, given) in [("response", f.response.is_some()), ("isup_cause", f.isup_cause.is_some())] {
                if given {
                    self.err(&obj, field, "only a failure with mode = \"respond\" answers a response");
                }
            }
        }
        let fraction = |v: &mut Self, field: &str, x: Option<f64>| -> f64 {
            let x = x.unwrap_or(0.0);
            if v.real(&obj, field, x, PROBABILITY) {
                x
            } else {
                0.0
            }
        };
        match f.kind.as_str() {
            "scheduled" => Some(Failure {
                name,
                target,
                trunks,
                timing: window(self, f.at, f.duration)?,
                mode: Some(mode),
                reject_fraction: 0.0,
                slow_fraction: 0.0,
                stream: None,
            }),
            "random" => {
                let (Some(mtbf), Some(mttr)) = (f.mtbf, f.mttr) else {
                    self.err(&obj, "mtbf", "a random failure needs mtbf and mttr, e.g. mtbf = \"30d\", mttr = \"4h\"");
                    return None;
                };
                let mtbf_ok = self.span(&obj, "mtbf", mtbf, MTBF);
                if !(self.span(&obj, "mttr", mttr, MTBF) && mtbf_ok) {
                    return None;
                }
                Some(Failure {
                    name,
                    target,
                    trunks,
                    timing: FailureTiming::Random { mtbf: mtbf.0, mttr: mttr.0 },
                    mode: Some(mode),
                    reject_fraction: 0.0,
                    slow_fraction: 0.0,
                    stream: None,
                })
            }
            "degraded" => {
                let reject_fraction = fraction(self, "reject_fraction", f.reject_fraction);
                let slow_fraction = fraction(self, "slow_fraction", f.slow_fraction);
                if reject_fraction + slow_fraction > 1.0 {
                    self.err(&obj, "slow_fraction", "reject_fraction and slow_fraction add up to more than 1");
                }
                if f.mode.is_some() {
                    self.err(&obj, "mode", "a degraded element is up; give reject_fraction and slow_fraction instead");
                }
                Some(Failure {
                    name,
                    target,
                    trunks,
                    timing: window(self, f.at, f.duration)?,
                    mode: None,
                    reject_fraction,
                    slow_fraction,
                    stream: None,
                })
            }
            other => {
                self.err(
                    &obj,
                    "kind",
                    format!("\"{other}\" is not a failure kind; use \"scheduled\", \"random\" or \"degraded\""),
                );
                None
            }
        }
    }
}

impl Validator<'_> {
    /// A `respond` failure's answer: `response` (400–699) and, when given,
    /// `isup_cause` (0–127). Only a peer or a trunk answers calls.
    fn respond(&mut self, obj: &str, f: &FailureFile, target: FailureTarget) -> Option<FailureMode> {
        if !matches!(target, FailureTarget::Peer(_) | FailureTarget::Trunk(_)) {
            self.err(obj, "mode", "only a peer or a trunk answers calls: mode = \"respond\" needs element = \"peer:<name>\" or \"trunk:<name>\"");
            return None;
        }
        let Some(code) = f.response else {
            self.err(
                obj,
                "response",
                "mode = \"respond\" needs the response it answers, e.g. response = 486, isup_cause = 34",
            );
            return None;
        };
        let code_ok = self.whole(obj, "response", code, RESPONSE_CODE);
        let cause_ok = f.isup_cause.is_none_or(|c| self.whole(obj, "isup_cause", c, ISUP_CAUSE));
        (code_ok && cause_ok)
            .then(|| FailureMode::Respond { code: code as u16, isup_cause: f.isup_cause.map(|c| c as u8) })
    }
}
