//! The sizes a plan changes, each counted in the unit it is bought in: a
//! gateway written in spans grows and shrinks by whole spans, an ITSP by
//! sessions, a Mediation pool by servers, a bandwidth policy by one
//! audio session's kbps.

use crate::analysis::AnalysisError;
use crate::limits::model::{BANDWIDTH_KBPS, CALLS_PER_SERVER, SESSIONS};
use crate::model::edit::{edited_model, Edit, FieldPath, FieldValue};
use crate::model::{Model, PeerKind};

use super::{ElementKind, Unit};

/// Which element of the model a size is for (index in its list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ref {
    Peer(usize),
    Trunk(usize),
    Pool(usize),
    Policy(usize),
    Link(usize),
}

/// One sized element.
#[derive(Debug, Clone)]
pub(super) struct Sized {
    pub(super) r: Ref,
    pub(super) kind: ElementKind,
    pub(super) unit: Unit,
    /// Channels of a span, calls per Mediation Server, 1 otherwise.
    pub(super) per_unit: u32,
    /// Units one grow or trim step moves: 1, or a policy's one session.
    pub(super) step: u32,
    pub(super) today: u32,
    pub(super) size: u32,
    /// The least the plan may give it: today's size, or with shrinking
    /// allowed one step.
    pub(super) floor: u32,
}

/// Every sized element, in `plan.json`'s order: limited peers, trunks
/// with a call limit, Mediation pools, bandwidth policies, WAN links.
#[derive(Debug, Clone)]
pub(super) struct Sizes(pub(super) Vec<Sized>);

impl Sizes {
    /// Today's sizes; floors at today's unless `allow_shrink`.
    pub(super) fn today(model: &Model, allow_shrink: bool) -> Self {
        let mut out = Vec::new();
        let mut push = |r, kind, unit, per_unit: u32, step: u32, today: u32| {
            let floor = if allow_shrink { step.min(today).max(1) } else { today };
            out.push(Sized { r, kind, unit, per_unit, step, today, size: today, floor });
        };
        for (i, p) in model.peers.iter().enumerate() {
            match (p.kind, p.spans) {
                (PeerKind::PstnGateway { channels }, Some(s)) => {
                    push(Ref::Peer(i), ElementKind::PstnGateway, span_unit(s), s.channels(), 1, channels / s.channels())
                }
                (PeerKind::PstnGateway { channels }, None) => {
                    push(Ref::Peer(i), ElementKind::PstnGateway, Unit::Channel, 1, 1, channels)
                }
                (PeerKind::ItspSbc { session_limit }, _) => {
                    push(Ref::Peer(i), ElementKind::ItspSbc, Unit::Session, 1, 1, session_limit)
                }
                (PeerKind::IpPbx { session_limit: Some(n) }, _) => {
                    push(Ref::Peer(i), ElementKind::IpPbx, Unit::Session, 1, 1, n)
                }
                (PeerKind::IpPbx { session_limit: None }, _) => {}
            }
        }
        for (i, t) in model.trunks.iter().enumerate() {
            if let Some(n) = t.max_calls {
                push(Ref::Trunk(i), ElementKind::Trunk, Unit::Call, 1, 1, n);
            }
        }
        for (i, p) in model.mediation_pools.iter().enumerate() {
            push(Ref::Pool(i), ElementKind::MediationPool, Unit::Server, p.calls_per_server, 1, p.servers);
        }
        // A policy with an aggregate audio limit (a session limit alone
        // caps no total: nothing to size).
        for (i, p) in model.bandwidth_policies.iter().enumerate() {
            if let (Some(limit), Some(step)) = (p.audio_limit_kbps, p.audio_session_limit_kbps) {
                push(Ref::Policy(i), ElementKind::BandwidthPolicy, Unit::Kbps, 1, step, limit);
            }
        }
        for (i, l) in model.links.iter().enumerate() {
            push(Ref::Link(i), ElementKind::WanLink, Unit::Kbps, 1, 1, l.bandwidth_kbps);
        }
        Sizes(out)
    }

    /// The element's name in the model.
    pub(super) fn name(model: &Model, r: Ref) -> &str {
        match r {
            Ref::Peer(i) => &model.peers[i].name,
            Ref::Trunk(i) => &model.trunks[i].name,
            Ref::Pool(i) => &model.mediation_pools[i].fqdn,
            Ref::Policy(i) => &model.bandwidth_policies[i].name,
            Ref::Link(i) => &model.links[i].name,
        }
    }

    /// Position of an element in the list.
    pub(super) fn find(&self, r: Ref) -> Option<usize> {
        self.0.iter().position(|s| s.r == r)
    }

    /// The edits that give `model` these sizes (only those that differ
    /// from today's).
    pub(super) fn edits(&self, model: &Model) -> Vec<Edit> {
        self.0
            .iter()
            .filter(|s| s.size != s.today)
            .map(|s| super::model_file::edit(s.kind, s.unit, Self::name(model, s.r), s.size))
            .collect()
    }

    /// `model` with these sizes, made through its file and checked as a
    /// file is (a size out of its field's range is an error, not a run).
    pub(super) fn apply(&self, model: &Model) -> Result<Model, AnalysisError> {
        edited_model(model, &self.edits(model), &format!("{} with planned sizes", model.source))
            .map_err(|e| AnalysisError::Input(e.to_string()))
    }

    /// `model` with nothing sized in the way: every limited peer, trunk,
    /// Mediation Server and bandwidth policy at the most its field takes,
    /// so each carries what the routes offer it first, with no refusal
    /// and so no overflow counted twice. WAN links keep their bandwidth
    /// (it limits no call).
    pub(super) fn unconstrained(&self, model: &Model) -> Result<Model, AnalysisError> {
        let most = |range: crate::limits::Whole| FieldValue::Integer(range.max);
        let mut edits = Vec::new();
        for s in &self.0 {
            let name = Self::name(model, s.r);
            match s.r {
                Ref::Peer(_) if s.kind == ElementKind::PstnGateway => {
                    let mut e = Edit::set(FieldPath::entry("peer", name, "channels"), most(SESSIONS));
                    e.replaces = &["t1_spans", "e1_spans"];
                    edits.push(e);
                }
                Ref::Peer(_) => edits.push(Edit::set(FieldPath::entry("peer", name, "session_limit"), most(SESSIONS))),
                Ref::Trunk(_) => edits.push(Edit::set(FieldPath::entry("trunk", name, "max_calls"), most(SESSIONS))),
                Ref::Pool(_) => edits.push(Edit::set(
                    FieldPath::entry("mediation_pool", name, "calls_per_server"),
                    most(CALLS_PER_SERVER),
                )),
                Ref::Policy(_) => edits.push(Edit::set(
                    FieldPath::entry("bandwidth_policy", name, "audio_limit_kbps"),
                    most(BANDWIDTH_KBPS),
                )),
                Ref::Link(_) => {}
            }
        }
        edited_model(model, &edits, &format!("{} with no size in the way", model.source))
            .map_err(|e| AnalysisError::Input(e.to_string()))
    }
}

/// The unit of a span kind.
pub(super) fn span_unit(s: crate::model::SpanKind) -> Unit {
    match s {
        crate::model::SpanKind::T1 => Unit::T1Span,
        crate::model::SpanKind::E1 => Unit::E1Span,
    }
}
