//! A recorded call's destination, as calibration counts it: its
//! category and its dial templates, from the model's users, sites and
//! emergency numbers.

use crate::model::{Model, SiteId, UserGroupId};
use crate::traffic::cdr::{CdrDirection, CdrRecord};

use super::destinations::{categorize, e164_digits, generalize, range_templates, Category};

/// What the model tells about destinations, prepared once.
pub struct Classifier<'m> {
    model: &'m Model,
    /// Each site's own number (its first user group's first Line URI), for
    /// telling local calls from national ones.
    home: Vec<String>,
    /// Each user group's numbers as exact templates, made when first needed.
    ranges: Vec<Option<Vec<(String, f64)>>>,
}

/// A call's destination.
pub struct Destination {
    pub category: Category,
    pub templates: Vec<(String, f64)>,
    pub calling: Option<String>,
}

impl<'m> Classifier<'m> {
    pub fn new(model: &'m Model) -> Self {
        let home = (0..model.sites.len())
            .map(|s| {
                model
                    .user_groups
                    .iter()
                    .find(|g| g.site.index() == s)
                    .map(|g| format!("+{}", g.first_number))
                    .unwrap_or_default()
            })
            .collect();
        Self { model, home, ranges: vec![None; model.user_groups.len()] }
    }

    /// Where `rec`, a call from `site` in `direction`, went.
    pub fn destination(&mut self, rec: &CdrRecord, site: SiteId, direction: CdrDirection) -> Destination {
        let called = strip(&rec.called);
        let callee = self.model.directory.lookup(called).map(|e| e.group);
        let internal = direction == CdrDirection::Internal || (direction == CdrDirection::Outbound && callee.is_some());
        let emergency = self.model.sites[site.index()].emergency_numbers.iter().any(|n| {
            let n = n.trim_start_matches('+');
            digits_only(&rec.dialed) == n || digits_only(called) == n
        });
        let home = if e164_digits(strip(&rec.caller)).is_some() && direction != CdrDirection::Inbound {
            strip(&rec.caller)
        } else {
            self.home[site.index()].as_str()
        };
        let category = match direction {
            CdrDirection::Inbound => {
                if callee.is_some() {
                    Category::Internal
                } else {
                    Category::Other
                }
            }
            _ => categorize(called, home, internal, emergency),
        };
        let templates = match callee {
            Some(g) if rec.dialed.is_empty() || direction == CdrDirection::Inbound => self.range(g),
            _ if !rec.dialed.is_empty() => vec![(generalize(&rec.dialed), 1.0)],
            _ if !called.is_empty() => vec![(generalize(called), 1.0)],
            _ => Vec::new(),
        };
        let calling = match direction {
            CdrDirection::Inbound | CdrDirection::InterTrunk if !rec.caller.is_empty() => {
                Some(generalize(strip(&rec.caller)))
            }
            _ => None,
        };
        Destination { category, templates, calling }
    }

    fn range(&mut self, g: UserGroupId) -> Vec<(String, f64)> {
        let group = self.model.user_group(g);
        self.ranges[g.index()]
            .get_or_insert_with(|| {
                let last = group.first_number + u64::from(group.users.max(1)) - 1;
                range_templates(group.first_number, last)
            })
            .clone()
    }
}

/// A number as routing reads it: without `tel:`/`sip:`, parameters and domain.
pub fn strip(s: &str) -> &str {
    let s = s.trim();
    let s = s.strip_prefix("tel:").or_else(|| s.strip_prefix("sip:")).unwrap_or(s);
    let s = s.split(';').next().unwrap_or(s);
    s.split('@').next().unwrap_or(s)
}

fn digits_only(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}
