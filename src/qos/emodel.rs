//! The ITU-T G.107 E-model: a transmission rating R from the parameters of
//! a connection, and R to MOS.
//!
//! Written here rather than taken from a crate: no maintained crate
//! implements G.107, and the formulas are short. Every equation follows
//! G.107 (06/2015) section 3; the default values are its Table 3, with
//! which R = 93.2.

use serde::Serialize;

/// The E-model's inputs (G.107 Table 3 names and units).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct Params {
    /// Send loudness rating (dB).
    pub SLR: f64,
    /// Receive loudness rating (dB).
    pub RLR: f64,
    /// Sidetone masking rating (dB).
    pub STMR: f64,
    /// Listener sidetone rating (dB).
    pub LSTR: f64,
    /// D-value of telephone, send and receive side.
    pub Ds: f64,
    pub Dr: f64,
    /// Talker echo loudness rating (dB).
    pub TELR: f64,
    /// Weighted echo path loss (dB).
    pub WEPL: f64,
    /// Mean one-way delay of the echo path (ms).
    pub T: f64,
    /// Round-trip delay in a 4-wire loop (ms).
    pub Tr: f64,
    /// Absolute one-way (mouth-to-ear) delay (ms).
    pub Ta: f64,
    /// Number of quantization distortion units.
    pub qdu: f64,
    /// Equipment impairment factor of the codec.
    pub Ie: f64,
    /// Packet-loss robustness factor of the codec.
    pub Bpl: f64,
    /// Random packet-loss probability (%).
    pub Ppl: f64,
    /// Burst ratio (1 = random loss).
    pub BurstR: f64,
    /// Circuit noise referred to the 0 dBr point (dBm0p).
    pub Nc: f64,
    /// Noise floor at the receive side (dBmp).
    pub Nfor: f64,
    /// Room noise at the send and receive side (dB(A)).
    pub Ps: f64,
    pub Pr: f64,
    /// Advantage factor.
    pub A: f64,
}

impl Default for Params {
    /// G.107 Table 3.
    fn default() -> Self {
        Self {
            SLR: 8.0,
            RLR: 2.0,
            STMR: 15.0,
            LSTR: 18.0,
            Ds: 3.0,
            Dr: 3.0,
            TELR: 65.0,
            WEPL: 110.0,
            T: 0.0,
            Tr: 0.0,
            Ta: 0.0,
            qdu: 1.0,
            Ie: 0.0,
            Bpl: 4.3,
            Ppl: 0.0,
            BurstR: 1.0,
            Nc: -70.0,
            Nfor: -64.0,
            Ps: 35.0,
            Pr: 35.0,
            A: 0.0,
        }
    }
}

/// R and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rating {
    pub r: f64,
    pub ro: f64,
    pub is: f64,
    pub id: f64,
    pub ie_eff: f64,
    pub mos: f64,
}

fn lg(x: f64) -> f64 {
    x.log10()
}

/// Computes R (G.107 equations 7-1 to 7-33) and its MOS.
#[allow(non_snake_case)]
pub fn rating(p: &Params) -> Rating {
    // Basic signal-to-noise ratio Ro.
    let OLR = p.SLR + p.RLR;
    let Nfo = p.Nfor + p.RLR;
    let Pre = p.Pr + 10.0 * lg(1.0 + 10f64.powf((10.0 - p.LSTR) / 10.0));
    let Nor = p.RLR - 121.0 + Pre + 0.008 * (Pre - 35.0).powi(2);
    let Nos = p.Ps - p.SLR - p.Ds - 100.0 + 0.004 * (p.Ps - OLR - p.Ds - 14.0).powi(2);
    let No =
        10.0 * lg(10f64.powf(p.Nc / 10.0) + 10f64.powf(Nos / 10.0) + 10f64.powf(Nor / 10.0) + 10f64.powf(Nfo / 10.0));
    let Ro = 15.0 - 1.5 * (p.SLR + No);

    // Simultaneous impairment Is.
    let Xolr = OLR + 0.2 * (64.0 + No - p.RLR);
    let Iolr = 20.0 * ((1.0 + (Xolr / 8.0).powi(8)).powf(1.0 / 8.0) - Xolr / 8.0);
    let STMRo = -10.0 * lg(10f64.powf(-p.STMR / 10.0) + (-p.T / 4.0).exp() * 10f64.powf(-p.TELR / 10.0));
    let Ist = 12.0 * (1.0 + ((STMRo - 13.0) / 6.0).powi(8)).powf(1.0 / 8.0)
        - 28.0 * (1.0 + ((STMRo + 1.0) / 19.4).powi(35)).powf(1.0 / 35.0)
        - 13.0 * (1.0 + ((STMRo - 3.0) / 33.0).powi(13)).powf(1.0 / 13.0)
        + 29.0;
    let Q = 37.0 - 15.0 * lg(p.qdu);
    let G = 1.07 + 0.258 * Q + 0.0602 * Q * Q;
    let Z = 46.0 / 30.0 - G / 40.0;
    let Y = (Ro - 100.0) / 15.0 + 46.0 / 8.4 - G / 9.0;
    let Iq = 15.0 * lg(1.0 + 10f64.powf(Y) + 10f64.powf(Z));
    let Is = Iolr + Ist + Iq;

    // Delay impairment Id.
    let TERV = p.TELR - 40.0 * lg((1.0 + p.T / 10.0) / (1.0 + p.T / 150.0)) + 6.0 * (-0.3 * p.T * p.T).exp();
    let TERV = if p.STMR < 9.0 { TERV + Ist / 2.0 } else { TERV };
    let Re = 80.0 + 2.5 * (TERV - 14.0);
    let Roe = -1.5 * (No - p.RLR);
    let Idte = if p.T < 1.0 {
        0.0
    } else {
        ((Roe - Re) / 2.0 + ((Roe - Re).powi(2) / 4.0 + 100.0).sqrt() - 1.0) * (1.0 - (-p.T).exp())
    };
    let Idte = if p.STMR > 20.0 {
        let idtes = (Idte * Idte + Ist * Ist).sqrt();
        Idte.max(idtes)
    } else {
        Idte
    };
    let Rle = 10.5 * (p.WEPL + 7.0) * (p.Tr + 1.0).powf(-0.25);
    let Idle = (Ro - Rle) / 2.0 + ((Ro - Rle).powi(2) / 4.0 + 169.0).sqrt();
    let Idd = if p.Ta <= 100.0 {
        0.0
    } else {
        let X = lg(p.Ta / 100.0) / lg(2.0);
        25.0 * ((1.0 + X.powi(6)).powf(1.0 / 6.0) - 3.0 * (1.0 + (X / 3.0).powi(6)).powf(1.0 / 6.0) + 2.0)
    };
    let Id = Idte + Idle + Idd;

    // Effective equipment impairment with packet loss.
    let ie_eff = p.Ie + (95.0 - p.Ie) * p.Ppl / (p.Ppl / p.BurstR + p.Bpl);

    let r = Ro - Is - Id - ie_eff + p.A;
    Rating { r, ro: Ro, is: Is, id: Id, ie_eff, mos: mos(r) }
}

/// G.107 Annex B: R to estimated mean opinion score (conversational).
pub fn mos(r: f64) -> f64 {
    if r < 0.0 {
        1.0
    } else if r > 100.0 {
        4.5
    } else {
        let m = 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6;
        m.max(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_values_give_r_93_2() {
        let r = rating(&Params::default());
        assert!((r.r - 93.2).abs() < 0.05, "{r:?}");
        assert!((r.ro - 94.77).abs() < 0.05, "Ro {}", r.ro);
        assert!((r.is - 1.41).abs() < 0.05, "Is {}", r.is);
        assert!((r.id - 0.15).abs() < 0.01, "Id {}", r.id);
        assert!((r.mos - 4.41).abs() < 0.01, "MOS {}", r.mos);
    }

    #[test]
    fn mos_conversion_points() {
        assert_eq!(mos(-5.0), 1.0);
        assert_eq!(mos(105.0), 4.5);
        // 1 + 0.035 R + R (R-60)(100-R) 7e-6
        assert!((mos(50.0) - 2.575).abs() < 1e-9);
        assert!((mos(80.0) - 4.024).abs() < 1e-9);
        assert!((mos(70.0) - 3.6).abs() < 0.01);
    }

    #[test]
    fn packet_loss_through_ie_eff() {
        // G.729A (Ie 11, Bpl 19) at 2% random loss: Ie,eff = 11 + 84*2/(2+19) = 19.0.
        let p = Params { Ie: 11.0, Bpl: 19.0, Ppl: 2.0, ..Params::default() };
        assert!((rating(&p).ie_eff - 19.0).abs() < 1e-9);
        // Bursty loss hurts more than random loss at the same rate.
        let burst = Params { BurstR: 2.0, ..p };
        assert!(rating(&burst).r < rating(&p).r);
    }

    #[test]
    fn delay_impairment() {
        // Idd is 0 up to 100 ms and 25{2^(1/6) - 3(1+3^-6)^(1/6) + 2} = 3.04 at 200 ms.
        let at = |ta: f64| rating(&Params { T: ta, Ta: ta, Tr: 2.0 * ta, ..Params::default() });
        let d200 = Params { Ta: 200.0, ..Params::default() };
        let d100 = Params { Ta: 100.0, ..Params::default() };
        assert!((rating(&d100).id - rating(&Params::default()).id).abs() < 1e-9);
        assert!((rating(&d200).id - rating(&d100).id - 3.044).abs() < 0.01);
        // R falls steadily with delay, under 70 by 400 ms one way.
        let mut last = f64::INFINITY;
        for ta in [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0] {
            let r = at(ta).r;
            assert!(r < last + 1e-9, "{ta}: {r}");
            last = r;
        }
        assert!(at(400.0).r < 70.0);
        assert!(at(150.0).r > 85.0);
    }
}
