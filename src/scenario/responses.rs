//! `[[response]]`: how peers answer the calls they take. A share of the
//! calls a peer accepts gets a final response (with an ISUP cause when
//! given) or no answer at all instead of ringback; the rest are answered
//! normally. docs/scenario.md documents the table.

use std::collections::HashSet;

use crate::limits::grouped;
use crate::limits::scenario::{ISUP_CAUSE, MAX_ANSWERS, PROBABILITY, RESPONSE_CODE};
use crate::voice::AttemptResult;

use super::file::ResponseFile;
use super::load::Validator;

/// Shares may add up to 1 give or take this much (0.1 + 0.2 + 0.7 in
/// binary floating point is a little over 1).
const SUM_TOLERANCE: f64 = 1e-9;

/// One answer of a mix: what the peer does, and the share of the calls it
/// takes that get it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    /// A final response, or no answer at all.
    pub result: AttemptResult,
    pub share: f64,
}

/// A peer's answers, in the order written; the calls left over (1 less
/// the shares) are answered normally.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseMix {
    pub answers: Vec<Answer>,
    /// The running sums of the shares, for one draw per call.
    cumulative: Vec<f64>,
}

impl ResponseMix {
    pub fn new(answers: Vec<Answer>) -> Self {
        let mut sum = 0.0;
        let cumulative = answers
            .iter()
            .map(|a| {
                sum += a.share;
                sum
            })
            .collect();
        Self { answers, cumulative }
    }

    /// The answer a uniform draw `u` in [0, 1) picks, or `None` for a call
    /// answered normally.
    #[inline]
    pub fn pick(&self, u: f64) -> Option<AttemptResult> {
        self.cumulative.iter().position(|c| u < *c).map(|i| self.answers[i].result)
    }

    /// The share of calls answered other than normally.
    pub fn total(&self) -> f64 {
        self.cumulative.last().copied().unwrap_or(0.0)
    }
}

impl Validator<'_> {
    /// Each peer's mix: its own `[[response]]`, else the `"*"` one; empty
    /// when the scenario has none.
    pub(super) fn responses(&mut self, raw: &[ResponseFile]) -> Vec<Option<ResponseMix>> {
        if raw.is_empty() {
            return Vec::new();
        }
        let m = self.model;
        let mut every: Option<ResponseMix> = None;
        let mut own: Vec<Option<ResponseMix>> = vec![None; m.peers.len()];
        let mut seen = HashSet::new();
        for (n, r) in raw.iter().enumerate() {
            let obj = format!("[[response]] #{} (peer \"{}\")", n + 1, r.peer);
            let key = if r.peer == "*" { None } else { m.peer_by_name(&r.peer) };
            if r.peer != "*" && key.is_none() {
                let known: Vec<&str> = m.peers.iter().map(|p| p.name.as_str()).collect();
                self.err(
                    &obj,
                    "peer",
                    format!(
                        "no peer \"{}\" in the model (known: {}; or \"*\" for every peer)",
                        r.peer,
                        known.join(", ")
                    ),
                );
                continue;
            }
            if !seen.insert(key.map(|p| p.index())) {
                self.err(&obj, "peer", "another [[response]] is for this peer: give each peer one list of answers");
                continue;
            }
            let Some(mix) = self.mix(&obj, r) else { continue };
            match key {
                Some(p) => own[p.index()] = Some(mix),
                None => every = Some(mix),
            }
        }
        own.into_iter().map(|o| o.or_else(|| every.clone())).collect()
    }

    fn mix(&mut self, obj: &str, r: &ResponseFile) -> Option<ResponseMix> {
        if r.answers.is_empty() {
            self.err(obj, "answers", "lists no answer: give at least one, e.g. { code = 486, share = 0.03 }");
            return None;
        }
        if r.answers.len() > MAX_ANSWERS {
            self.err(
                obj,
                "answers",
                format!("{} answers are more than {}", r.answers.len(), grouped(MAX_ANSWERS as i64)),
            );
            return None;
        }
        let mut answers = Vec::new();
        let mut ok = true;
        for (i, a) in r.answers.iter().enumerate() {
            let field = |f: &str| format!("answers[{}].{f}", i + 1);
            ok &= self.real(obj, &field("share"), a.share, PROBABILITY);
            let result = match (a.no_answer.unwrap_or(false), a.code) {
                (true, None) => {
                    if a.isup_cause.is_some() {
                        self.err(obj, &field("isup_cause"), "a call left unanswered has no cause value");
                        ok = false;
                    }
                    AttemptResult::NoProgress
                }
                (false, Some(code)) => {
                    let code_ok = self.whole(obj, &field("code"), code, RESPONSE_CODE);
                    let cause_ok = a.isup_cause.is_none_or(|c| self.whole(obj, &field("isup_cause"), c, ISUP_CAUSE));
                    if !(code_ok && cause_ok) {
                        ok = false;
                        continue;
                    }
                    AttemptResult::Response { code: code as u16, isup_cause: a.isup_cause.map(|c| c as u8) }
                }
                (true, Some(_)) => {
                    self.err(obj, &field("no_answer"), "an answer is either a response code or no answer, not both");
                    ok = false;
                    continue;
                }
                (false, None) => {
                    self.err(
                        obj,
                        &field("code"),
                        "give a response code (e.g. code = 486, isup_cause = 17) or no_answer = true",
                    );
                    ok = false;
                    continue;
                }
            };
            if answers.iter().any(|b: &Answer| b.result == result) {
                self.err(obj, &field("code"), "this answer is listed twice: give it once, with the shares added");
                ok = false;
            }
            answers.push(Answer { result, share: a.share });
        }
        let sum: f64 = answers.iter().map(|a| a.share).sum();
        if ok && sum > 1.0 + SUM_TOLERANCE {
            self.err(
                obj,
                "answers",
                format!("the shares add up to {sum}, more than 1; the calls left over (1 less the shares) are answered normally"),
            );
            ok = false;
        }
        ok.then(|| ResponseMix::new(answers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draw_picks_by_cumulative_share_and_the_rest_is_normal() {
        let busy = AttemptResult::Response { code: 486, isup_cause: Some(17) };
        let mix = ResponseMix::new(vec![
            Answer { result: busy, share: 0.1 },
            Answer { result: AttemptResult::NoProgress, share: 0.05 },
        ]);
        assert_eq!(mix.pick(0.0), Some(busy));
        assert_eq!(mix.pick(0.099), Some(busy));
        assert_eq!(mix.pick(0.1), Some(AttemptResult::NoProgress));
        assert_eq!(mix.pick(0.151), None);
        assert!((mix.total() - 0.15).abs() < 1e-12);
    }
}
