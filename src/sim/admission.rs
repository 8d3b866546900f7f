//! Admission of a call's media: which links and call admission control
//! (CAC) elements an attempt's media crosses, whether the bandwidth
//! policies admit it, and the bandwidth it then holds until its attempt
//! ends. This room owns the bandwidth in use on each WAN link, the audio
//! and video admitted on each CAC element, the state of each region's
//! Bandwidth Policy Service, and what CAC did.
//!
//! While the Registrar pool running a region's Bandwidth Policy Service is
//! down, the CAC elements that region checks admit every session; what
//! they admit is still counted, so oversubscription shows
//! (docs/lync-behaviour.md, "Call admission control").

use rand::RngExt;

use crate::model::{Model, RegistrarPoolId, SiteId, TrunkId};
use crate::rng::Stream;

use super::call::{Call, MediaHolds};
use super::metrics::{CacCounts, Occupancy, VideoCounts, Window};
use super::reach::Reach;

/// A media leg: from, to, tenths of a kbps.
pub(super) type MediaLeg = (SiteId, SiteId, u32);

/// The media legs of one attempt, at most two, kept on the stack.
#[derive(Debug, Clone, Copy)]
struct MediaLegs {
    legs: [MediaLeg; 2],
    len: usize,
}

impl MediaLegs {
    fn as_slice(&self) -> &[MediaLeg] {
        &self.legs[..self.len]
    }
}

/// A CAC denial: `full` when an aggregate audio limit refused it (a size
/// to plan), not only a session limit (a codec setting no size fixes).
#[derive(Debug, Clone, Copy)]
pub(super) struct Denied {
    pub full: bool,
}

/// What became of a call whose media CAC denied.
#[derive(Debug, Clone, Copy)]
pub(super) enum AfterDenial {
    /// A PSTN trunk attempt failed over.
    TrunkFailover,
    /// An internal call went over the PSTN instead.
    ReroutedPstn,
    Voicemail,
    Failed,
}

pub(super) struct Admission<'a> {
    model: &'a Model,
    window: Window,
    /// Bandwidth in use on each WAN link, in tenths of a kbps.
    links: Vec<Occupancy>,
    /// Audio admitted on each CAC element (model `cac_elements`), in
    /// tenths of a kbps.
    cac_audio: Vec<Occupancy>,
    /// `admit`'s buffer: audio per CAC element of the legs asked about.
    extra: Vec<(u32, u32)>,
    counts: CacCounts,
    denials: Vec<u64>,
    bucket_denials: Vec<Vec<u32>>,
    /// The Registrar pool running each region's Bandwidth Policy Service,
    /// and the failures holding it down (overlapping ones counted).
    bps_pool: Vec<Option<RegistrarPoolId>>,
    bps_down: Vec<u32>,
    /// Whether any region's service is down (the common case asks nothing).
    any_bps_down: bool,
    /// Video: each source's draws of which of its calls add it (none when
    /// video is off; per source, so one source's calls never shift
    /// another's draws),
    /// video admitted on each CAC element (tenths of a kbps; empty when
    /// video is off), and per element the sessions admitted and denied.
    video_draws: Vec<Stream>,
    cac_video: Vec<Occupancy>,
    video: VideoCounts,
    video_admitted: Vec<u64>,
    video_denials: Vec<u64>,
}

/// What media admission measured.
pub(super) struct AdmissionFigures {
    pub links: Vec<Occupancy>,
    pub cac: CacCounts,
    pub cac_denials: Vec<u64>,
    pub cac_audio: Vec<Occupancy>,
    pub bucket_cac_denials: Vec<Vec<u32>>,
    pub video: VideoCounts,
    pub cac_video: Vec<Occupancy>,
    pub cac_video_admitted: Vec<u64>,
    pub cac_video_denials: Vec<u64>,
}

impl<'a> Admission<'a> {
    /// `video_draws`: each source's stream deciding which of its calls
    /// video; none when the model has no video.
    pub(super) fn new(model: &'a Model, window: Window, video_draws: Vec<Stream>) -> Self {
        let audio_limit = |policy: usize| model.bandwidth_policies[policy].audio_limit_kbps.map(|l| l * 10);
        let video_limit = |policy: usize| model.bandwidth_policies[policy].video_limit_kbps.map(|l| l * 10);
        let video_on = !video_draws.is_empty();
        let elements = if video_on { model.cac_elements.len() } else { 0 };
        Self {
            model,
            window,
            links: model
                .links
                .iter()
                .map(|l| Occupancy::new(Some(l.bandwidth_kbps.saturating_mul(10)), &window))
                .collect(),
            cac_audio: model.cac_elements.iter().map(|e| Occupancy::new(audio_limit(e.policy), &window)).collect(),
            extra: Vec::new(),
            counts: CacCounts::default(),
            denials: vec![0; model.cac_elements.len()],
            bucket_denials: vec![vec![0; window.buckets()]; model.cac_elements.len()],
            bps_pool: (0..model.regions.len())
                .map(|r| model.bandwidth_policy_pool(crate::model::RegionId::from_index(r)))
                .collect(),
            bps_down: vec![0; model.regions.len()],
            any_bps_down: false,
            video_draws,
            cac_video: model.cac_elements[..elements]
                .iter()
                .map(|e| Occupancy::new(video_limit(e.policy), &window))
                .collect(),
            video: VideoCounts::default(),
            video_admitted: vec![0; elements],
            video_denials: vec![0; elements],
        }
    }

    /// Registrar pool `r` goes down (or comes back): the regions whose
    /// Bandwidth Policy Service it runs stop (or resume) checking.
    pub(super) fn set_registrar(&mut self, r: RegistrarPoolId, down: bool) {
        for (pool, d) in self.bps_pool.iter().zip(&mut self.bps_down) {
            if *pool == Some(r) {
                *d = if down { *d + 1 } else { d.saturating_sub(1) };
            }
        }
        self.any_bps_down = self.bps_down.iter().any(|d| *d > 0);
    }

    /// Whether CAC element `e` is checked now: the Bandwidth Policy
    /// Service of each region it belongs to is up.
    #[inline]
    fn checked(&self, e: u32) -> bool {
        if !self.any_bps_down {
            return true;
        }
        let (a, b) = self.model.cac_elements[e as usize].regions;
        self.bps_down[a.index()] == 0 && self.bps_down[b.index()] == 0
    }

    /// The bandwidth in use on each WAN link, for voice quality.
    #[inline]
    pub(super) fn links(&self) -> &[Occupancy] {
        &self.links
    }

    /// A model without WAN links or CAC (one site) holds no media anywhere.
    fn nothing_to_hold(&self) -> bool {
        self.model.links.is_empty() && self.model.cac_elements.is_empty()
    }

    /// The media legs of an outbound attempt of call `c` on trunk `t`:
    /// straight to the peer when bypassed, else to the Mediation site and
    /// on to the peer.
    fn media_legs(&self, c: &Call, t: TrunkId) -> MediaLegs {
        let m = self.model;
        let peer = m.peer(m.trunk(t).peer).site;
        let ms = m.mediation_pool(m.trunk(t).mediation_pool).site;
        let gw = super::media::gateway_leg(m, t);
        if c.bypassed {
            MediaLegs { legs: [(c.media_site, peer, gw), (peer, peer, 0)], len: 1 }
        } else {
            // A trunk caller's media reaches this Mediation Server in G.711.
            let near = if c.inbound.is_some() { gw } else { super::media::lync_leg(m) };
            MediaLegs { legs: [(c.media_site, ms, near), (ms, peer, gw)], len: 2 }
        }
    }

    /// [`admit`](Self::admit) for the media legs of call `c`'s outbound
    /// attempt on trunk `t`, worked out only when there is CAC to ask.
    #[inline]
    pub(super) fn admit_outbound(&mut self, now: u64, c: &Call, t: TrunkId) -> Result<(), Denied> {
        if self.model.cac_elements.is_empty() {
            return Ok(());
        }
        let legs = self.media_legs(c, t);
        self.admit(now, c.measured, legs.as_slice())
    }

    /// Whether call admission control admits these legs: on every link
    /// with a bandwidth policy, each session within the session limit and
    /// the total within the audio limit. Denials are counted per element.
    pub(super) fn admit(&mut self, now: u64, measured: bool, legs: &[MediaLeg]) -> Result<(), Denied> {
        let m = self.model;
        if m.cac_elements.is_empty() {
            return Ok(());
        }
        // Audio per CAC element, in a buffer the run reuses.
        let mut extra = std::mem::take(&mut self.extra);
        extra.clear();
        for &(a, b, bw) in legs {
            for e in &m.cac_paths[a.index()][b.index()] {
                match extra.iter_mut().find(|(x, _)| x == e) {
                    Some((_, v)) => *v += bw,
                    None => extra.push((*e, bw)),
                }
            }
        }
        let mut verdict = Ok(());
        for &(e, bw) in &extra {
            let policy = &m.bandwidth_policies[m.cac_elements[e as usize].policy];
            // A profile without an audio policy does not check audio; one
            // without an aggregate limit caps only each session.
            let Some(session_limit) = policy.audio_session_limit_kbps else { continue };
            if !self.checked(e) {
                continue;
            }
            let session_ok = bw <= session_limit * 10;
            let total_ok = policy.audio_limit_kbps.is_none_or(|l| self.cac_audio[e as usize].in_use + bw <= l * 10);
            if !(session_ok && total_ok) {
                let full = verdict.is_err_and(|d: Denied| d.full);
                verdict = Err(Denied { full: full || session_ok });
                if session_ok {
                    // Only the aggregate is a size to plan; a session over
                    // the session limit is a codec setting no size fixes.
                    self.cac_audio[e as usize].refuse(now, &self.window);
                }
                if measured {
                    self.counts.denials += 1;
                    self.denials[e as usize] += 1;
                    let buckets = &mut self.bucket_denials[e as usize];
                    let b = ((now / self.window.bucket) as usize).min(buckets.len() - 1);
                    buckets[b] += 1;
                }
            }
        }
        self.extra = extra;
        verdict
    }

    /// Counts what became of a measured call CAC denied.
    #[inline]
    pub(super) fn after_denial(&mut self, what: AfterDenial, measured: bool) {
        if !measured {
            return;
        }
        let c = &mut self.counts;
        match what {
            AfterDenial::TrunkFailover => c.trunk_failovers += 1,
            AfterDenial::ReroutedPstn => c.rerouted_pstn += 1,
            AfterDenial::Voicemail => c.voicemail += 1,
            AfterDenial::Failed => c.failed += 1,
        }
    }

    /// Holds a leg's `bw` (tenths of a kbps) on every link of the media
    /// path from `a` to `b` and, when CAC counts it (`cac`), on every CAC
    /// element between them, until the attempt ends.
    #[inline]
    pub(super) fn hold(&mut self, now: u64, holds: &mut MediaHolds, reach: &Reach, leg: MediaLeg, cac: bool) {
        let (a, b, bw) = leg;
        if self.nothing_to_hold() {
            return;
        }
        let w = self.window;
        if cac {
            for &e in &self.model.cac_paths[a.index()][b.index()] {
                self.cac_audio[e as usize].add(now, &w, bw);
                holds.cac.push((e, bw));
            }
        }
        let Some(path) = reach.path(a, b) else { return };
        for l in path {
            self.links[l.index()].add(now, &w, bw);
            holds.links.push((*l, bw));
        }
    }

    /// Holds the media of call `c`'s outbound leg on trunk `t`; CAC counts
    /// it unless it is bypassed.
    #[inline]
    pub(super) fn hold_outbound(&mut self, now: u64, c: &mut Call, t: TrunkId, reach: &Reach) {
        if self.nothing_to_hold() {
            return;
        }
        let legs = self.media_legs(c, t);
        for &leg in legs.as_slice() {
            self.hold(now, &mut c.holds, reach, leg, !c.bypassed);
        }
    }

    /// Whether a call between users adds video: a draw from the video
    /// stream, made only when the model has video.
    #[inline]
    pub(super) fn draw_video(&mut self, source: u16) -> bool {
        let share = self.model.media.video_share;
        self.video_draws.get_mut(source as usize).is_some_and(|rng| rng.random::<f64>() < share)
    }

    /// A video session between users at `a` and `b`, beside their admitted
    /// audio. Its rate is the resolution's maximum payload, lowered to the
    /// smallest video session limit checked on its way (video adapts its
    /// bit rate); it is denied where that is under the resolution's
    /// minimum, or where the video aggregate would be exceeded. Admitted,
    /// it holds its rate on every CAC element and WAN link of its way
    /// until the attempt ends; denied, the call goes on with audio only.
    /// Returns whether it was admitted.
    pub(super) fn video(
        &mut self,
        now: u64,
        measured: bool,
        holds: &mut MediaHolds,
        reach: &Reach,
        (a, b): (SiteId, SiteId),
    ) -> bool {
        let m = self.model;
        let (max, min) = super::media::video_rate(m.media.video_resolution);
        let path = &m.cac_paths[a.index()][b.index()];
        let video_limits = |e: u32| {
            let p = &m.bandwidth_policies[m.cac_elements[e as usize].policy];
            p.video_session_limit_kbps.map(|s| (s * 10, p.video_limit_kbps.map(|l| l * 10)))
        };
        let mut rate = max;
        for &e in path {
            if let (Some((session, _)), true) = (video_limits(e), self.checked(e)) {
                rate = rate.min(session);
            }
        }
        let mut admitted = true;
        for &e in path {
            let Some((session, total)) = video_limits(e) else { continue };
            if !self.checked(e) {
                continue;
            }
            let session_ok = session >= min;
            let total_ok = total.is_none_or(|t| self.cac_video[e as usize].in_use + rate <= t);
            if !(session_ok && total_ok) {
                admitted = false;
                if session_ok {
                    self.cac_video[e as usize].refuse(now, &self.window);
                }
                if measured {
                    self.video_denials[e as usize] += 1;
                }
            }
        }
        if measured {
            self.video.sessions += 1;
            self.video.denied += u64::from(!admitted);
        }
        if !admitted {
            return false;
        }
        let w = self.window;
        for &e in path {
            self.cac_video[e as usize].add(now, &w, rate);
            holds.video.push((e, rate));
            if measured {
                self.video_admitted[e as usize] += 1;
            }
        }
        if let Some(links) = reach.path(a, b) {
            for l in links {
                self.links[l.index()].add(now, &w, rate);
                holds.video_links.push((*l, rate));
            }
        }
        true
    }

    /// Releases everything a call's media holds.
    #[inline]
    pub(super) fn release(&mut self, now: u64, holds: &mut MediaHolds) {
        let w = self.window;
        for (l, bw) in holds.links.drain(..).chain(holds.video_links.drain(..)) {
            self.links[l.index()].remove(now, &w, bw);
        }
        for (e, bw) in holds.cac.drain(..) {
            self.cac_audio[e as usize].remove(now, &w, bw);
        }
        for (e, bw) in holds.video.drain(..) {
            self.cac_video[e as usize].remove(now, &w, bw);
        }
    }

    /// Closes the bandwidth integrals at the end of the run and hands over
    /// what admission measured.
    pub(super) fn close(mut self) -> AdmissionFigures {
        for o in self.links.iter_mut().chain(&mut self.cac_audio).chain(&mut self.cac_video) {
            o.finish(&self.window);
        }
        AdmissionFigures {
            links: self.links,
            cac: self.counts,
            cac_denials: self.denials,
            cac_audio: self.cac_audio,
            bucket_cac_denials: self.bucket_denials,
            video: self.video,
            cac_video: self.cac_video,
            cac_video_admitted: self.video_admitted,
            cac_video_denials: self.video_denials,
        }
    }
}
