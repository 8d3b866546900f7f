//! Reading CDRs into an [`Observer`]: each usable row tied to the model
//! (rows that cannot be are counted against their file and row, as the
//! reader counts its own), classified and folded in, in start order.

use crate::model::Model;
use crate::traffic::cdr::{CdrError, CdrRecord, CdrSource, Resolver};
use crate::traffic::Origin;

use super::classify::Classifier;
use super::observe::{Observed, Observer, StreamKey};

/// Folds every row of `source` (already in start order) into an observer.
/// `offset_us` gives a site's clock offset from UTC at an instant (µs).
pub fn observe<S: CdrSource>(
    source: &mut S,
    model: &Model,
    redial_window_us: i64,
    offset_us: impl Fn(usize, i64) -> i64,
) -> Result<Observer, CdrError> {
    let resolver = Resolver::new(model);
    let mut classifier = Classifier::new(model);
    let mut obs = Observer::new(redial_window_us);
    let mut rec = CdrRecord::default();
    while source.next_record(&mut rec)? {
        let call = match resolver.resolve(&rec) {
            Ok(c) => c,
            Err(problem) => {
                source.count(&rec, &problem);
                continue;
            }
        };
        let stream = match call.origin {
            Origin::Users(g) => StreamKey::Group(g),
            Origin::Site(s) => StreamKey::Site(s),
            Origin::Trunk(t) => StreamKey::Trunk(t),
        };
        let dest = classifier.destination(&rec, call.site, call.direction);
        obs.add(&Observed {
            stream,
            offset_us: offset_us(call.site.index(), rec.start_us),
            start_us: rec.start_us,
            ringback_us: rec.ringback_us,
            answer_us: rec.answer_us,
            end_us: rec.end_us.unwrap_or(rec.start_us),
            outcome: rec.outcome,
            direction: call.direction,
            attempt: rec.attempt,
            caller: super::classify::strip(&rec.caller),
            category: dest.category,
            templates: &dest.templates,
            calling_template: dest.calling.as_deref(),
            called: super::classify::strip(&rec.called),
        });
    }
    Ok(obs)
}
