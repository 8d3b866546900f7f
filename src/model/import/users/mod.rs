//! Users from `Get-CsUser | Export-Csv` (or `Get-CsOnlineUser` for
//! Teams) as `[[user_group]]`s (docs/import-topology.md): [`rows`] reads
//! the file, [`groups`] makes runs of consecutive numbers.
//!
//! Users without a Line URI, or not enabled for Enterprise Voice, make no
//! calls the model routes: they are counted in a note and left out.

pub mod groups;
pub mod rows;

use std::path::Path;

use super::error::{ImportError, Problems};
use super::{Imported, Platform, Todo};
use groups::Placed;

/// Reads the user list at `path` into `imported`'s user groups. A user's
/// site is the `Site` column's, else the home pool's (Lync) or the
/// model's first site (Teams).
pub fn read(path: &Path, platform: Platform, imported: &mut Imported) -> Result<(), ImportError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ImportError::File { path: file.clone(), message: e.to_string() })?;
    let text = super::text::decode(&bytes).map_err(|message| ImportError::File { path: file.clone(), message })?;
    let mut problems = Problems::default();
    let rows = rows::read(&file, &text, platform, &mut problems)?;
    let model = &imported.model;
    let (mut no_number, mut not_voice) = (0, 0);
    // Teams users by usage location: a site per country (its emergency numbers).
    let mut by_country: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut placed = Vec::new();
    for r in rows {
        let Some(digits) = r.number.clone() else {
            no_number += 1;
            continue;
        };
        if !r.enabled {
            not_voice += 1;
            continue;
        }
        let object = format!("row {} (line {})", r.row, r.line);
        let site = match (&r.site, platform) {
            (Some(s), _) => match model.sites.iter().find(|x| x.name.eq_ignore_ascii_case(s)) {
                Some(x) => x.name.clone(),
                None => {
                    problems.push(&file, &object, "Site", format!("no site of the model is named \"{s}\""));
                    continue;
                }
            },
            (None, Platform::Lync) => {
                match model.registrar_pools.iter().find(|p| p.fqdn.eq_ignore_ascii_case(&r.registrar_pool)) {
                    Some(p) => p.site.clone(),
                    None => {
                        problems.push(
                            &file,
                            &object,
                            "RegistrarPool",
                            format!("no Registrar pool of the topology has the FQDN {}", r.registrar_pool),
                        );
                        continue;
                    }
                }
            }
            (None, Platform::Teams) if r.usage_location.is_some() => {
                let country = r.usage_location.clone().unwrap_or_default();
                match country_site(&country) {
                    Some(name) => {
                        by_country.entry(country).or_insert(name.clone());
                        name
                    }
                    None => {
                        problems.push(
                            &file,
                            &object,
                            "UsageLocation",
                            format!("`{country}` is not a two-letter country code"),
                        );
                        continue;
                    }
                }
            }
            (None, Platform::Teams) => match model.sites.first() {
                Some(x) => x.name.clone(),
                None => {
                    problems.push(
                        &file,
                        &object,
                        "Site",
                        "the model has no site to place Teams users in: add a Site column",
                    );
                    continue;
                }
            },
        };
        let registrar_pool = model
            .registrar_pools
            .iter()
            .find(|p| p.fqdn.eq_ignore_ascii_case(&r.registrar_pool))
            .map_or(r.registrar_pool.clone(), |p| p.fqdn.clone());
        placed.push(Placed {
            line: r.line,
            digits,
            site,
            registrar_pool,
            dial_plan: r.dial_plan,
            voice_policy: r.voice_policy,
            location_policy: r.location_policy,
        });
    }
    let count = placed.len();
    let groups = match groups::group(placed) {
        Ok(g) => g,
        Err((a, b, digits)) => {
            problems.push(&file, &format!("line {b}"), "LineURI", format!("+{digits} is also the number of line {a}"));
            Vec::new()
        }
    };
    let groups = problems.finish(groups)?;
    add_country_sites(imported, &by_country);
    for g in &groups {
        undefined(imported, &g.name, "dial_plan", "Get-CsDialPlan", g.dial_plan.as_deref());
        undefined(imported, &g.name, "voice_policy", "Get-CsVoicePolicy", g.voice_policy.as_deref());
        undefined(imported, &g.name, "location_policy", "Get-CsLocationPolicy", g.location_policy.as_deref());
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    imported.notes.push(format!("Users: {count} from {name} in {} group(s) of consecutive numbers.", groups.len()));
    if no_number + not_voice > 0 {
        imported.notes.push(format!(
            "Users left out: {no_number} without a Line URI, {not_voice} not enabled for Enterprise Voice."
        ));
    }
    imported.model.user_groups.extend(groups);
    Ok(())
}

/// A Todo when a group names a per-user policy the model does not define.
fn undefined(imported: &mut Imported, group: &str, field: &str, cmdlet: &str, name: Option<&str>) {
    let Some(name) = name else { return };
    let m = &imported.model;
    let scopes: Vec<&str> = match field {
        "dial_plan" => m.dial_plans.iter().map(|d| d.scope.as_str()).collect(),
        "voice_policy" => m.voice_policies.iter().map(|d| d.scope.as_str()).collect(),
        _ => m.location_policies.iter().map(|d| d.scope.as_str()).collect(),
    };
    let tag = format!("tag:{name}");
    if !scopes.iter().any(|s| s.eq_ignore_ascii_case(&tag)) {
        imported.todos.push(Todo::new(
            "user_group",
            group,
            field,
            format!(
                "the users' per-user policy \"{name}\" is not in the exports: add {cmdlet}'s export, or drop the field"
            ),
        ));
    }
}

/// The site of Teams users whose usage location is `country`.
fn country_site(country: &str) -> Option<String> {
    (country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic())).then(|| format!("Teams-{country}"))
}

/// A branch site per usage location of Teams users, beside the stand-in
/// cloud site (the model's first): a site's country gives its users'
/// emergency numbers, so a tenant spanning countries needs one per
/// country. Its link to the cloud site is a stand-in, marked TODO.
fn add_country_sites(imported: &mut Imported, by_country: &std::collections::BTreeMap<String, String>) {
    use crate::model::duration::Micros;
    use crate::model::file::{SiteFile, WanLinkFile};
    let Some(cloud) = imported.model.sites.first().cloned() else { return };
    for (country, name) in by_country {
        if imported.model.sites.iter().any(|s| s.name.eq_ignore_ascii_case(name)) {
            continue;
        }
        imported.model.sites.push(SiteFile {
            name: name.clone(),
            kind: "branch".into(),
            region: cloud.region.clone(),
            bandwidth_policy: None,
            country: country.clone(),
            emergency_numbers: None,
            location_policy: None,
            time_zone: None,
            description: format!("Teams users whose usage location is {country}"),
        });
        let link = format!("{}-{name}", cloud.name);
        imported.model.wan_links.push(WanLinkFile {
            name: link.clone(),
            site_a: cloud.name.clone(),
            site_b: name.clone(),
            bandwidth_kbps: 1_000_000,
            one_way_delay: Micros::from_millis(20),
            jitter: Micros(0),
            loss_percent: 0.0,
            bandwidth_policy: None,
        });
        imported.todos.push(Todo::new(
            "wan_link",
            &link,
            "one_way_delay",
            format!(
                "stand-in (1 Gbit/s, 20 ms): the media path of Teams users in {country} to Microsoft's media \
                 processors; no export gives it"
            ),
        ));
    }
    if !by_country.is_empty() {
        imported.notes.push(format!(
            "Teams users placed by their usage location: {} (a site per country, for its emergency numbers).",
            by_country.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
}
