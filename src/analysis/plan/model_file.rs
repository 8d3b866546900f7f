//! The model file rewritten with a step's planned sizes.

use super::*;
use crate::analysis::AnalysisError;
use crate::model::edit::{edit_text, FieldPath, FieldValue};

/// Channels of a span: a T1 carries 23 (PRI), an E1 30.
pub fn span_channels(kind: &str) -> u32 {
    if kind == "T1" {
        23
    } else {
        30
    }
}

/// T1 or E1 when a gateway's channels are a whole number of such spans
/// in the model, with the channels of one.
pub(super) fn span_kind(model: &Model, i: usize) -> Option<(u32, &'static str)> {
    let PeerKind::PstnGateway { channels } = model.peers[i].kind else { return None };
    ["E1", "T1"].into_iter().map(|k| (span_channels(k), k)).find(|(per, _)| channels % per == 0)
}

/// The edit that sizes entry `name` of the model file's list `list`.
pub(super) fn size(list: &str, name: &str, field: &str, n: u32) -> Edit {
    Edit::set(FieldPath::entry(list, name, field), FieldValue::Integer(i64::from(n)))
}

/// The edit that sizes a peer: a gateway in whole spans when `spans` says
/// so (else channels), an IP-PBX or ITSP by its session limit.
pub(super) fn peer_size(peer: &crate::model::Peer, needed: u32, spans: Option<(u32, &str)>) -> Edit {
    const TDM: [&str; 3] = ["t1_spans", "e1_spans", "channels"];
    let (field, n) = match (&peer.kind, spans) {
        (PeerKind::PstnGateway { .. }, Some((n, "T1"))) => ("t1_spans", n),
        (PeerKind::PstnGateway { .. }, Some((n, _))) => ("e1_spans", n),
        (PeerKind::PstnGateway { .. }, None) => ("channels", needed),
        _ => ("session_limit", needed),
    };
    let mut edit = size("peer", &peer.name, field, n);
    if matches!(peer.kind, PeerKind::PstnGateway { .. }) {
        edit.replaces = match field {
            "t1_spans" => &TDM[1..],
            "e1_spans" => &[TDM[0], TDM[2]],
            _ => &TDM[..2],
        };
    }
    edit
}

/// The model file with a step's planned sizes: gateways in whole spans
/// where they are built of them (else channels), ITSP and PBX session
/// limits, Mediation servers, bandwidth policies' audio limits and WAN
/// links' bandwidth. The file's comments and layout are kept; a header
/// says where it came from.
pub fn planned_model(model: &Model, step: &PlanStep) -> Result<String, AnalysisError> {
    let mut edits = Vec::new();
    for plan in &step.peers {
        if let Some(p) = model.peers.iter().find(|p| p.name == plan.name) {
            edits.push(peer_size(p, plan.needed, plan.spans));
        }
    }
    for p in &step.mediation_pools {
        edits.push(size("mediation_pool", &p.fqdn, "servers", p.needed));
    }
    for p in &step.bandwidth_policies {
        edits.push(size("bandwidth_policy", &p.name, "audio_limit_kbps", p.needed));
    }
    for t in &step.trunks {
        edits.push(size("trunk", &t.name, "max_calls", t.needed));
    }
    for l in &step.wan_links {
        edits.push(size("wan_link", &l.name, "bandwidth_kbps", l.needed));
    }
    let (body, _) = edit_text(&model.text, &edits).map_err(|e| AnalysisError::Input(e.to_string()))?;
    Ok(format!("# {} with the sizes planned for growth x{} by `voicetwin plan`.\n\n{body}", model.name, step.growth))
}
