//! `voicetwin check` as text.

use crate::model::lint::Lint;
use crate::model::Model;

/// Renders the model summary and its lints for a terminal.
pub fn render(model: &Model, lints: &[Lint]) -> String {
    let mut s = format!(
        "{}: valid. {} sites, {} WAN links, {} Mediation pools, {} peers, {} trunks, {} routes, {} usages, {} user groups ({} users).\n",
        model.source,
        model.sites.len(),
        model.links.len(),
        model.mediation_pools.len(),
        model.peers.len(),
        model.trunks.len(),
        model.routes.len(),
        model.usages.len(),
        model.user_groups.len(),
        model.user_groups.iter().map(|g| u64::from(g.users)).sum::<u64>(),
    );
    if lints.is_empty() {
        s.push_str("No lints.\n");
    } else {
        s.push_str(&format!("{} lint(s):\n", lints.len()));
        for l in lints {
            let field = if l.field.is_empty() { String::new() } else { format!(", field `{}`", l.field) };
            s.push_str(&format!("  warning[{}] {}{field}: {}\n", l.code, l.object, l.message));
        }
    }
    s
}
