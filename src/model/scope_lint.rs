//! Lint `site-scope-unused`: a site-scoped object that no user or trunk
//! gets. Site scope follows the site of a user's home pool, not where the
//! user sits (docs/lync-behaviour.md, "Scopes"), so a branch homed on a
//! central pool never gets its own site's dial plan or policy.

use super::lint::Lint;
use super::{DialPlanScope, LocationPolicyScope, Model, SiteId, TrunkConfigScope, VoicePolicyScope};

/// Every site-scoped object nothing gets, naming who sits at its site and
/// where they are homed.
pub fn unused_site_scopes(model: &Model) -> Vec<Lint> {
    let mut out = Vec::new();
    let mut check = |kind: &str, identity: &str, site: SiteId, used: bool, with_trunks: bool| {
        if used {
            return;
        }
        let site_name = &model.site(site).name;
        let here: Vec<String> = model
            .user_groups
            .iter()
            .filter(|g| g.site == site)
            .map(|g| {
                let pool = &model.registrar_pools[g.registrar_pool.index()];
                format!("{} (homed on {} at {})", g.name, pool.fqdn, model.site(pool.site).name)
            })
            .collect();
        let who = if with_trunks {
            "no user is homed on a pool at this site and no trunk's peer is here"
        } else {
            "no user is homed on a pool at this site"
        };
        let hint = if here.is_empty() {
            format!("no user group is at {site_name} either")
        } else {
            format!(
                "the users at {site_name}, {}, get the scopes of their home pool's site: assign them a per-user {kind} instead",
                here.join(", ")
            )
        };
        out.push(Lint {
            code: "site-scope-unused",
            object: format!("{kind} \"{identity}\""),
            field: "scope".into(),
            message: format!("applies to nobody: {who}; {hint}"),
        });
    };
    for (i, p) in model.dial_plans.iter().enumerate() {
        if let DialPlanScope::Site(s) = p.scope {
            let used = model.user_groups.iter().any(|g| g.dial_plan.index() == i)
                || model.trunks.iter().any(|t| t.inbound_dial_plan.index() == i);
            check("dial_plan", &p.identity, s, used, true);
        }
    }
    for (i, p) in model.voice_policies.iter().enumerate() {
        if let VoicePolicyScope::Site(s) = p.scope {
            check("voice_policy", &p.identity, s, model.user_groups.iter().any(|g| g.voice_policy.index() == i), false);
        }
    }
    for (i, p) in model.location_policies.iter().enumerate() {
        if let LocationPolicyScope::Site(s) = p.scope {
            let used = model.user_groups.iter().any(|g| g.location_policy.index() == i);
            check("location_policy", &p.identity, s, used, false);
        }
    }
    for (i, c) in model.trunk_configs.iter().enumerate() {
        if let TrunkConfigScope::Site(s) = c.scope {
            let used = model.trunks.iter().any(|t| t.config.index() == i);
            if !used {
                out.push(Lint {
                    code: "site-scope-unused",
                    object: format!("trunk_configuration \"{}\"", c.identity),
                    field: "scope".into(),
                    message: format!("applies to no trunk: no trunk's peer is at {}", model.site(s).name),
                });
            }
        }
    }
    out
}
