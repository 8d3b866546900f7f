//! Call admission control on a call's media legs: which links and CAC
//! elements an attempt's media crosses, whether the policies admit it,
//! and the bandwidth it then holds.

use crate::model::{SiteId, TrunkId};

use super::engine::Simulation;

/// The media legs of one attempt: (from, to, tenths of a kbps), at most
/// two, kept on the stack.
#[derive(Debug, Clone, Copy)]
pub(super) struct MediaLegs {
    legs: [(SiteId, SiteId, u32); 2],
    len: usize,
}

impl MediaLegs {
    fn as_slice(&self) -> &[(SiteId, SiteId, u32)] {
        &self.legs[..self.len]
    }
}

impl Simulation<'_> {
    /// The media legs of an outbound attempt on trunk `t`: (from, to,
    /// tenths of a kbps). Straight to the peer when bypassed, else to the
    /// Mediation site and on to the peer.
    pub(super) fn media_legs(&self, id: u32, t: TrunkId) -> MediaLegs {
        let m = self.model;
        let c = self.calls.get(id);
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

    /// Reserves the media of an outbound leg on trunk `t`; CAC counts it
    /// unless it is bypassed.
    pub(super) fn reserve_media(&mut self, now: u64, id: u32, t: TrunkId) {
        if self.nothing_to_hold() {
            return;
        }
        let cac = !self.calls.get(id).bypassed;
        let legs = self.media_legs(id, t);
        for &(a, b, bw) in legs.as_slice() {
            self.reserve_path(now, id, a, b, bw, cac);
        }
    }

    /// [`admit`](Self::admit) for the media legs of an outbound attempt on
    /// trunk `t`, worked out only when there is CAC to ask.
    pub(super) fn admit_outbound(&mut self, id: u32, t: TrunkId) -> bool {
        if self.model.cac_elements.is_empty() {
            return true;
        }
        let legs = self.media_legs(id, t);
        self.admit(id, legs.as_slice())
    }

    /// Whether call admission control admits these legs: on every link
    /// with a bandwidth policy, each session within the session limit and
    /// the total within the audio limit. Denials are counted per link.
    pub(super) fn admit(&mut self, id: u32, legs: &[(SiteId, SiteId, u32)]) -> bool {
        let m = self.model;
        if m.cac_elements.is_empty() {
            return true;
        }
        // Audio per CAC element, in a buffer the run reuses.
        let mut extra = std::mem::take(&mut self.cac_extra);
        extra.clear();
        for &(a, b, bw) in legs {
            for e in &m.cac_paths[a.index()][b.index()] {
                match extra.iter_mut().find(|(x, _)| x == e) {
                    Some((_, v)) => *v += bw,
                    None => extra.push((*e, bw)),
                }
            }
        }
        let mut ok = true;
        for &(e, bw) in &extra {
            let policy = &m.bandwidth_policies[m.cac_elements[e as usize].policy];
            let session_ok = bw <= policy.audio_session_limit_kbps * 10;
            let total_ok = self.cac_used[e as usize] + bw <= policy.audio_limit_kbps * 10;
            if !(session_ok && total_ok) {
                ok = false;
                let now = self.queue.now();
                if session_ok {
                    // Only the aggregate is a size to plan; a session over
                    // the session limit is a codec setting no size fixes.
                    let w = self.window();
                    self.out.cac_audio[e as usize].refuse(now, &w);
                    self.calls.get_mut(id).refused = true;
                }
                if self.calls.get(id).measured {
                    self.out.cac.denials += 1;
                    self.out.cac_denials[e as usize] += 1;
                    let b = ((now / self.out.window.bucket) as usize).min(self.out.bucket_offered.len() - 1);
                    self.out.bucket_cac_denials[e as usize][b] += 1;
                }
            }
        }
        self.cac_extra = extra;
        ok
    }
}
