//! Stage 0 of loading: every number of the file against its range
//! ([`crate::limits::model`]).
//!
//! A value out of range is reported with its object and field, then
//! replaced by the range's minimum, so the later stages neither report it
//! again nor compute with it (the model is rejected all the same).

use super::super::file::*;
use super::{label, Builder};
use crate::limits::model::*;
use crate::limits::{Real, Span, Whole};
use crate::model::Micros;

impl Builder {
    pub(super) fn ranges(&mut self, raw: &mut ModelFile) {
        self.span("[routing]", "fast_failover_timeout", &mut raw.routing.fast_failover_timeout, FAST_FAILOVER_TIMEOUT);
        self.real("[media]", "video_share", &mut raw.media.video_share, VIDEO_SHARE);
        for p in &mut raw.bandwidth_policies {
            let obj = label("bandwidth_policy", &p.name);
            self.optional(&obj, "audio_limit_kbps", &mut p.audio_limit_kbps, BANDWIDTH_KBPS);
            self.optional(&obj, "audio_session_limit_kbps", &mut p.audio_session_limit_kbps, AUDIO_SESSION_KBPS);
            self.optional(&obj, "video_limit_kbps", &mut p.video_limit_kbps, BANDWIDTH_KBPS);
            self.optional(&obj, "video_session_limit_kbps", &mut p.video_session_limit_kbps, VIDEO_SESSION_KBPS);
        }
        for l in &mut raw.wan_links {
            let obj = label("wan_link", &l.name);
            self.whole(&obj, "bandwidth_kbps", &mut l.bandwidth_kbps, BANDWIDTH_KBPS);
            self.span(&obj, "one_way_delay", &mut l.one_way_delay, LINK_DELAY);
            self.span(&obj, "jitter", &mut l.jitter, LINK_DELAY);
            self.real(&obj, "loss_percent", &mut l.loss_percent, LOSS_PERCENT);
        }
        for p in &mut raw.registrar_pools {
            self.whole(&label("registrar_pool", &p.fqdn), "servers", &mut p.servers, REGISTRAR_SERVERS);
        }
        for p in &mut raw.mediation_pools {
            let obj = label("mediation_pool", &p.fqdn);
            self.optional(&obj, "servers", &mut p.servers, MEDIATION_SERVERS);
            self.optional(&obj, "calls_per_server", &mut p.calls_per_server, CALLS_PER_SERVER);
        }
        for p in &mut raw.peers {
            let obj = label("peer", &p.name);
            self.optional(&obj, "t1_spans", &mut p.t1_spans, SPANS);
            self.optional(&obj, "e1_spans", &mut p.e1_spans, SPANS);
            self.optional(&obj, "channels", &mut p.channels, SESSIONS);
            self.optional(&obj, "session_limit", &mut p.session_limit, SESSIONS);
        }
        for t in &mut raw.trunks {
            let obj = label("trunk", &t.name);
            self.optional(&obj, "mediation_port", &mut t.mediation_port, PORT);
            self.optional(&obj, "peer_port", &mut t.peer_port, PORT);
            self.optional(&obj, "max_calls", &mut t.max_calls, SESSIONS);
        }
        for c in &raw.trunk_configurations {
            let obj = label("trunk_configuration", &c.scope);
            self.priorities(&obj, "outbound_translation_rules", &c.outbound_translation_rules);
            self.priorities(
                &obj,
                "outbound_calling_number_translation_rules",
                &c.outbound_calling_number_translation_rules,
            );
            for r in &c.sip_response_code_translation_rules {
                let field = format!("sip_response_code_translation_rules[{}].priority", r.name);
                self.priority(&obj, &field, r.priority);
            }
        }
        for d in &raw.dial_plans {
            self.priorities(&label("dial_plan", &d.scope), "normalization_rules", &d.normalization_rules);
        }
        for r in &raw.voice_routes {
            self.priority(&label("voice_route", &r.name), "priority", Some(r.priority));
        }
        for g in &mut raw.user_groups {
            self.whole(&label("user_group", &g.name), "users", &mut g.users, USERS);
        }
    }

    fn whole(&mut self, obj: &str, field: &str, v: &mut i64, range: Whole) {
        if let Err(e) = range.check(*v) {
            self.err(obj, field, e);
            *v = range.min;
        }
    }

    fn optional(&mut self, obj: &str, field: &str, v: &mut Option<i64>, range: Whole) {
        if let Some(v) = v {
            self.whole(obj, field, v, range);
        }
    }

    fn real(&mut self, obj: &str, field: &str, v: &mut f64, range: Real) {
        if let Err(e) = range.check(*v) {
            self.err(obj, field, e);
            *v = range.min;
        }
    }

    fn span(&mut self, obj: &str, field: &str, v: &mut Micros, range: Span) {
        if let Err(e) = range.check(*v) {
            self.err(obj, field, e);
            *v = range.min;
        }
    }

    /// A priority out of range is only reported: it orders, and the
    /// duplicate check must see the value as written.
    fn priority(&mut self, obj: &str, field: &str, v: Option<i64>) {
        if let Some(Err(e)) = v.map(|p| PRIORITY.check(p)) {
            self.err(obj, field, e);
        }
    }

    fn priorities(&mut self, obj: &str, field: &str, rules: &[RuleFile]) {
        for r in rules {
            self.priority(obj, &format!("{field}[{}].priority", r.name), r.priority);
        }
    }
}
