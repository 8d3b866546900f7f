//! `Get-CsTenantDialPlan`: the tenant's dial plans, tenant-wide (`Global`)
//! or per user (`Tag:NAME`). Teams layers each on the user's service
//! country dial plan, which no export holds; every imported plan says so.

use crate::model::file::DialPlanFile;
use crate::model::import::error::Problems;
use crate::model::import::object::CmdletObject;
use crate::model::import::Todo;

use super::routing::scope;
use super::rules::rule;

/// What every imported plan lacks.
pub const COUNTRY_PLAN: &str = "Teams merges this tenant plan with the user's service country dial plan, whose rules \
                                no export holds: numbers only the country plan would normalize (national numbers, \
                                international prefixes) stay as dialed in the twin. Add the country rules you need \
                                after the tenant ones (`Get-CsEffectiveTenantDialPlan -Identity USER` lists both)";

/// The tenant's plans, and a global one (empty) when the tenant has none.
pub fn read(objects: &[CmdletObject], problems: &mut Problems, todos: &mut Vec<Todo>) -> Vec<DialPlanFile> {
    let mut out: Vec<DialPlanFile> = Vec::new();
    for o in objects {
        let Some(scope) = scope(o, problems) else { continue };
        if out.iter().any(|p| p.scope.eq_ignore_ascii_case(&scope)) {
            problems.push(&o.file, &o.label, "Identity", "this dial plan is given twice");
            continue;
        }
        let mut normalization_rules = Vec::new();
        for (i, r) in o.objects("NormalizationRules", problems).iter().enumerate() {
            let Some(r) = rule(r, &format!("rule {}", i + 1), problems) else { continue };
            if normalization_rules.iter().any(|x: &crate::model::file::RuleFile| x.name.eq_ignore_ascii_case(&r.name)) {
                problems.push(
                    &o.file,
                    &o.label,
                    &format!("NormalizationRules[{}]", i + 1),
                    format!("a second rule named `{}`", r.name),
                );
                continue;
            }
            normalization_rules.push(r);
        }
        todos.push(Todo::new("dial_plan", &scope, "normalization_rules", COUNTRY_PLAN));
        out.push(DialPlanFile {
            scope,
            description: o.text("Description", problems).unwrap_or_default(),
            external_access_prefix: None,
            optimize_device_dialing: false,
            normalization_rules,
        });
    }
    if !out.iter().any(|p| p.scope == "global") {
        todos.push(Todo::new(
            "dial_plan",
            "global",
            "normalization_rules",
            format!(
                "the tenant has no Global dial plan: users without a per-user plan get the service country plan \
                 alone, which no export holds. {COUNTRY_PLAN}"
            ),
        ));
        out.insert(
            0,
            DialPlanFile {
                scope: "global".into(),
                description: "Stand-in for the service country dial plan (not exported)".into(),
                external_access_prefix: None,
                optimize_device_dialing: false,
                normalization_rules: Vec::new(),
            },
        );
    }
    out
}
