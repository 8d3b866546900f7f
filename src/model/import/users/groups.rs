//! Users as `[[user_group]]`s: runs of consecutive Line URI numbers that
//! share a site, home pool, dial plan, voice policy and location policy,
//! so every user keeps their exact number.

use crate::model::file::UserGroupFile;

/// A user ready to group: site resolved, number as digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub line: u64,
    pub digits: String,
    pub site: String,
    pub registrar_pool: String,
    pub dial_plan: Option<String>,
    pub voice_policy: Option<String>,
    pub location_policy: Option<String>,
}

impl Placed {
    fn same_group(&self, other: &Placed) -> bool {
        (&self.site, &self.registrar_pool, &self.dial_plan, &self.voice_policy, &self.location_policy)
            == (&other.site, &other.registrar_pool, &other.dial_plan, &other.voice_policy, &other.location_policy)
    }

    fn value(&self) -> u64 {
        self.digits.parse().unwrap_or(0)
    }
}

/// The groups of `users` (sorted here by number), named `SITE-1`,
/// `SITE-2`, ... per site in number order; `Err` names the two lines of
/// a number held twice.
pub fn group(mut users: Vec<Placed>) -> Result<Vec<UserGroupFile>, (u64, u64, String)> {
    users.sort_by(|a, b| (a.digits.len(), &a.digits).cmp(&(b.digits.len(), &b.digits)));
    if let Some(w) = users.windows(2).find(|w| w[0].digits == w[1].digits) {
        return Err((w[0].line.min(w[1].line), w[0].line.max(w[1].line), w[0].digits.clone()));
    }
    let mut groups: Vec<(Placed, i64)> = Vec::new();
    let mut last: Option<&Placed> = None;
    for u in &users {
        let follows = last.is_some_and(|p| {
            p.same_group(u) && p.digits.len() == u.digits.len() && p.value().checked_add(1) == Some(u.value())
        });
        match groups.last_mut() {
            Some((_, n)) if follows => *n += 1,
            _ => groups.push((u.clone(), 1)),
        }
        last = Some(u);
    }
    let mut per_site: Vec<(String, usize)> = Vec::new();
    Ok(groups
        .into_iter()
        .map(|(first, users)| {
            let k = match per_site.iter_mut().find(|(s, _)| *s == first.site) {
                Some((_, k)) => {
                    *k += 1;
                    *k
                }
                None => {
                    per_site.push((first.site.clone(), 1));
                    1
                }
            };
            UserGroupFile {
                name: format!("{}-{k}", first.site),
                site: Some(first.site),
                subnet: None,
                registrar_pool: first.registrar_pool,
                users,
                first_number: format!("+{}", first.digits),
                dial_plan: first.dial_plan,
                voice_policy: first.voice_policy,
                location_policy: first.location_policy,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(line: u64, digits: &str, site: &str, policy: Option<&str>) -> Placed {
        Placed {
            line,
            digits: digits.into(),
            site: site.into(),
            registrar_pool: "fe.contoso.com".into(),
            dial_plan: None,
            voice_policy: policy.map(str::to_owned),
            location_policy: None,
        }
    }

    #[test]
    fn consecutive_numbers_of_one_kind_make_one_group() {
        let users = vec![
            user(4, "14255550102", "Redmond", None),
            user(2, "14255550100", "Redmond", None),
            user(3, "14255550101", "Redmond", None),
            user(5, "14255550103", "Redmond", Some("Lobby")),
            user(6, "14255550105", "Redmond", None),
            user(7, "33140208000", "Paris", None),
        ];
        let g = group(users).unwrap();
        let summary: Vec<(&str, &str, i64)> =
            g.iter().map(|g| (g.name.as_str(), g.first_number.as_str(), g.users)).collect();
        assert_eq!(
            summary,
            [
                ("Redmond-1", "+14255550100", 3),
                ("Redmond-2", "+14255550103", 1),
                ("Redmond-3", "+14255550105", 1),
                ("Paris-1", "+33140208000", 1)
            ]
        );
        assert_eq!(g[1].voice_policy.as_deref(), Some("Lobby"));
    }

    #[test]
    fn a_number_held_twice_names_both_lines() {
        let e = group(vec![user(9, "1425", "R", None), user(3, "1425", "R", None)]).unwrap_err();
        assert_eq!((e.0, e.1), (3, 9));
    }
}
