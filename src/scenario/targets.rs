//! `[[target]]`: a grade of service for one stream of calls, where it
//! differs from the one `voicetwin plan --target-gos` gives every stream.

use crate::limits::scenario::GRADE_OF_SERVICE;
use crate::model::{Model, SiteId};
use crate::traffic::{Origin, Source};

use super::file::TargetFile;
use super::load::Validator;

/// A stream of calls whose grade of service a plan holds to a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Every call needing the PSTN side.
    Overall,
    /// The outbound PSTN calls of the users at a site.
    SiteOutbound(SiteId),
    /// The PSTN calls of one traffic source (an inbound trunk's callers,
    /// or a user source named on its own).
    Source(usize),
}

impl Stream {
    /// `overall`, `site:<name>` or `source:<name>`, as `[[target]]`
    /// writes it.
    pub fn label(&self, model: &Model, sources: &[Source]) -> String {
        match *self {
            Stream::Overall => "overall".into(),
            Stream::SiteOutbound(s) => format!("site:{}", model.site(s).name),
            Stream::Source(i) => format!("source:{}", sources[i].name),
        }
    }

    /// The streams every plan holds to a target: overall, each site's
    /// outbound calls (sites with users), each inbound source.
    pub fn defaults(model: &Model, sources: &[Source]) -> Vec<Stream> {
        let mut out = vec![Stream::Overall];
        for s in 0..model.sites.len() {
            if model.user_groups.iter().any(|g| g.site.index() == s) {
                out.push(Stream::SiteOutbound(SiteId::from_index(s)));
            }
        }
        for (i, src) in sources.iter().enumerate() {
            if matches!(src.origin, Origin::Trunk(_)) {
                out.push(Stream::Source(i));
            }
        }
        out
    }
}

/// A grade of service for one stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StreamTarget {
    pub stream: Stream,
    pub grade_of_service: f64,
}

impl Validator<'_> {
    /// The `[[target]]` entries, each stream resolved against the model
    /// and the scenario's sources; a stream named twice is an error.
    pub(super) fn targets(&mut self, raw: &[TargetFile], sources: &[Source]) -> Vec<StreamTarget> {
        let mut out: Vec<StreamTarget> = Vec::new();
        for (k, t) in raw.iter().enumerate() {
            let obj = format!("target {} (\"{}\")", k + 1, t.stream);
            if !self.real(&obj, "grade_of_service", t.grade_of_service, GRADE_OF_SERVICE) {
                continue;
            }
            let stream = match parse(&t.stream, self.model, sources) {
                Ok(s) => s,
                Err(e) => {
                    self.err(&obj, "stream", e);
                    continue;
                }
            };
            if out.iter().any(|o| o.stream == stream) {
                self.err(&obj, "stream", "named twice; give each stream one target");
                continue;
            }
            out.push(StreamTarget { stream, grade_of_service: t.grade_of_service });
        }
        out
    }
}

fn parse(text: &str, model: &Model, sources: &[Source]) -> Result<Stream, String> {
    if text.trim() == "overall" {
        return Ok(Stream::Overall);
    }
    let known = |names: Vec<&str>| names.join(", ");
    match text.split_once(':') {
        Some(("site", name)) => model.site_by_name(name).map(Stream::SiteOutbound).ok_or_else(|| {
            format!(
                "no site \"{name}\" in the model (known: {})",
                known(model.sites.iter().map(|s| s.name.as_str()).collect())
            )
        }),
        Some(("source", name)) => {
            sources.iter().position(|s| crate::model::same_name(&s.name, name)).map(Stream::Source).ok_or_else(|| {
                format!(
                    "no source \"{name}\" in the scenario (known: {})",
                    known(sources.iter().map(|s| s.name.as_str()).collect())
                )
            })
        }
        _ => Err(format!("\"{text}\" is not a stream; write overall, site:<name> or source:<name>")),
    }
}
