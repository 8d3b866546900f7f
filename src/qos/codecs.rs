//! Codec impairment values for the E-model: ITU-T G.113 Appendix I,
//! Table I.1 (Ie) and Table I.3 (Bpl, random packet loss). Only codecs
//! for which G.113 publishes both values are listed: RTAudio and SILK
//! have none, so their quality cannot be scored honestly here.

use serde::Serialize;

/// One codec's impairment figures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CodecImpairment {
    pub name: &'static str,
    /// Equipment impairment factor.
    pub ie: f64,
    /// Packet-loss robustness factor.
    pub bpl: f64,
    pub note: &'static str,
}

/// The documented table.
pub const CODECS: &[CodecImpairment] = &[
    CodecImpairment { name: "G.711", ie: 0.0, bpl: 4.3, note: "64 kbit/s, no packet-loss concealment" },
    CodecImpairment {
        name: "G.711-PLC",
        ie: 0.0,
        bpl: 25.1,
        note: "64 kbit/s with packet-loss concealment (G.711 Appendix I)",
    },
    CodecImpairment { name: "G.729A", ie: 11.0, bpl: 19.0, note: "8 kbit/s with VAD" },
    CodecImpairment { name: "G.723.1", ie: 15.0, bpl: 16.1, note: "6.3 kbit/s with VAD" },
];

/// A codec by name (case-insensitive).
pub fn codec(name: &str) -> Option<&'static CodecImpairment> {
    CODECS.iter().find(|c| c.name.eq_ignore_ascii_case(name))
}
