//! Lints that take routing decisions: every user group must reach its
//! emergency numbers however its users dial them, and through more than
//! one trunk (docs/lync-behaviour.md, "Emergency calls"; lint codes in
//! docs/commands.md).

use std::collections::BTreeMap;

use crate::model::lint::Lint;
use crate::model::{Model, UserGroupId};

use super::decide::{is_emergency_call, Caller, Decision, Outcome, Router};
use super::selection::TrunkStates;

/// `emergency-unreachable` and `emergency-single-trunk`, in a stable order.
pub fn emergency_lints(model: &Model) -> Vec<Lint> {
    let mut out = Vec::new();
    let mut router = Router::new(model);
    let states = TrunkStates::all_up(model);
    let mut d = Decision::default();
    // Route name -> (trunk, the callers and numbers it alone serves).
    let mut single: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for (i, g) in model.user_groups.iter().enumerate() {
        let caller = Caller::User { group: UserGroupId::from_index(i), index: 0 };
        for (dialed, number) in emergency_dialing(model, i) {
            router.decide_into(caller, &dialed, None, &states, 0, &mut d);
            let ending = if !is_emergency_call(&d, &number) {
                Some("as an ordinary call, not an emergency call")
            } else if d.outcome != Outcome::Routed {
                Some(outcome_text(d.outcome))
            } else {
                None
            };
            if let Some(ending) = ending {
                out.push(Lint {
                    code: "emergency-unreachable",
                    object: format!("user_group \"{}\"", g.name),
                    field: "location_policy".into(),
                    message: format!(
                        "dialing \"{dialed}\" (emergency number {number} at {}) ends {ending}: dial plan {} makes it \
                         \"{}\"; give the users a location policy with E9-1-1 and this number as its emergency dial \
                         string or a mask, or a normalization rule to +{} and a route for it",
                        model.site(g.site).name,
                        model.dial_plan(d.dial_plan).identity,
                        d.normalized.number,
                        number.trim_start_matches('+'),
                    ),
                });
                continue;
            }
            let mut trunks: Vec<_> = d.candidates.iter().map(|c| c.trunk).collect();
            trunks.sort_unstable();
            trunks.dedup();
            if let ([only], Some(first)) = (trunks.as_slice(), d.candidates.first()) {
                let route = model.route(first.route).name.clone();
                let entry = single.entry(route).or_insert_with(|| (model.trunk(*only).name.clone(), Vec::new()));
                let who = format!("{} dialing {dialed}", g.name);
                if !entry.1.contains(&who) {
                    entry.1.push(who);
                }
            }
        }
    }
    for (route, (trunk, callers)) in single {
        out.push(Lint {
            code: "emergency-single-trunk",
            object: format!("voice_route \"{route}\""),
            field: "pstn_gateways".into(),
            message: format!(
                "emergency calls have only trunk {trunk} ({}): one failure of it, its peer or its Mediation pool \
                 leaves them no route; list a second trunk, or give the callers a second emergency usage",
                callers.join("; ")
            ),
        });
    }
    out
}

/// What a group's users dial for the emergency services: the numbers of
/// the site they are at and their location policy's dial string and
/// masks, each as dialed and after the external access prefix; with the
/// emergency number each stands for.
fn emergency_dialing(model: &Model, group: usize) -> Vec<(String, String)> {
    let g = &model.user_groups[group];
    let plan = model.dial_plan(g.dial_plan);
    let location = model.location_policy(g.location_policy);
    let mut numbers: Vec<String> = model.site(g.site).emergency_numbers.clone();
    if location.enhanced_emergency_services {
        numbers.extend(location.emergency_dial_string.iter().cloned());
        numbers.extend(location.emergency_dial_masks.iter().cloned());
    }
    let prefix = super::normalize::access_prefix(&model.settings, plan);
    let mut out = Vec::new();
    for n in numbers {
        if let Some(p) = prefix {
            out.push((format!("{p}{n}"), n.clone()));
        }
        out.push((n.clone(), n));
    }
    out.sort();
    out.dedup();
    out
}

fn outcome_text(o: Outcome) -> &'static str {
    match o {
        Outcome::Internal => "as an internal call",
        Outcome::Routed => "routed",
        Outcome::NoTrunkAvailable => "with no trunk available",
        Outcome::NotAuthorized => "NOT AUTHORIZED (no route matches)",
        Outcome::NotFound => "not found",
    }
}
