//! `voicetwin qos`: one E-model rating (ITU-T G.107) with its terms.

use serde::Serialize;

use crate::qos::codecs::CodecImpairment;
use crate::qos::emodel::Rating;

/// A codec under given network conditions, rated.
#[derive(Debug, Clone, Serialize)]
pub struct QosReport {
    pub codec: String,
    #[serde(skip)]
    pub note: String,
    pub delay_ms: f64,
    pub loss_pct: f64,
    pub burst_ratio: f64,
    pub r: f64,
    pub mos: f64,
    pub ie: f64,
    pub bpl: f64,
    pub ie_eff: f64,
    pub id: f64,
    pub is: f64,
    pub ro: f64,
}

impl QosReport {
    pub fn new(codec: &CodecImpairment, delay_ms: f64, loss_pct: f64, burst_ratio: f64, r: &Rating) -> Self {
        Self {
            codec: codec.name.to_owned(),
            note: codec.note.to_owned(),
            delay_ms,
            loss_pct,
            burst_ratio,
            r: r.r,
            mos: r.mos,
            ie: codec.ie,
            bpl: codec.bpl,
            ie_eff: r.ie_eff,
            id: r.id,
            is: r.is,
            ro: r.ro,
        }
    }
}

/// The rating and its terms, for a terminal.
pub fn render(q: &QosReport) -> String {
    format!(
        "{} ({}): Ie {}, Bpl {}\none-way delay {} ms, packet loss {}% (burst ratio {})\n\
         R = {:.1}  (Ro {:.1} - Is {:.1} - Id {:.1} - Ie,eff {:.1})\nMOS = {:.2}\n",
        q.codec, q.note, q.ie, q.bpl, q.delay_ms, q.loss_pct, q.burst_ratio, q.r, q.ro, q.is, q.id, q.ie_eff, q.mos
    )
}
