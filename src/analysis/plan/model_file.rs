//! The model file rewritten with a step's planned sizes.

use super::{ElementKind, PlanStep, Unit};
use crate::analysis::AnalysisError;
use crate::model::edit::{edit_text, Edit, FieldPath, FieldValue};
use crate::model::Model;

/// The edit that gives an element of the plan `n` of its units: a
/// gateway in whole spans where it is bought in them (its other TDM
/// fields removed), else channels; an ITSP or IP-PBX its session limit;
/// a trunk its call limit; a pool its servers; a policy its audio limit;
/// a link its bandwidth.
pub(super) fn edit(kind: ElementKind, unit: Unit, name: &str, n: u32) -> Edit {
    let set =
        |list: &str, field: &str| Edit::set(FieldPath::entry(list, name, field), FieldValue::Integer(i64::from(n)));
    match kind {
        ElementKind::PstnGateway => match unit {
            Unit::T1Span => Edit { replaces: &["e1_spans", "channels"], ..set("peer", "t1_spans") },
            Unit::E1Span => Edit { replaces: &["t1_spans", "channels"], ..set("peer", "e1_spans") },
            _ => Edit { replaces: &["t1_spans", "e1_spans"], ..set("peer", "channels") },
        },
        ElementKind::IpPbx | ElementKind::ItspSbc => set("peer", "session_limit"),
        ElementKind::Trunk => set("trunk", "max_calls"),
        ElementKind::MediationPool => set("mediation_pool", "servers"),
        ElementKind::BandwidthPolicy => set("bandwidth_policy", "audio_limit_kbps"),
        ElementKind::WanLink => set("wan_link", "bandwidth_kbps"),
    }
}

/// The model file with a step's planned sizes (`n_minus_1`: its N-1
/// sizes): each changed element in the unit it is bought in. The file's
/// comments and layout are kept; a header says where it came from.
pub fn planned_model(model: &Model, step: &PlanStep, n_minus_1: bool) -> Result<String, AnalysisError> {
    let edits: Vec<Edit> = step
        .elements
        .iter()
        .filter_map(|e| {
            let n = if n_minus_1 { e.n_minus_1? } else { e.needed };
            (n != e.today).then(|| edit(e.kind, e.unit, &e.name, n))
        })
        .collect();
    let (body, _) = edit_text(&model.text, &edits).map_err(|e| AnalysisError::Input(e.to_string()))?;
    let what = if n_minus_1 { "N-1 sizes" } else { "sizes" };
    Ok(format!("# {} with the {what} planned for growth x{} by `voicetwin plan`.\n\n{body}", model.name, step.growth))
}
