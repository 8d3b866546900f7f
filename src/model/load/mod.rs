//! Validation and resolution: [`ModelFile`] (names) to [`Model`] (ids).
//!
//! Every problem found is collected, so a user fixes a file in one pass.
//! A stage that fails still hands on what it built: a reference that does
//! not resolve is reported and either left out (a route's trunk, a scope's
//! object) or stands in for an object that exists, so the later stages
//! check everything else and never follow a dangling index. The model is
//! rejected all the same. A stage that cannot run at all says so, as a
//! problem naming what was not checked and why.

use std::collections::HashMap;
use std::path::Path;

mod bypass;
mod cac;
mod location;
mod loops;
mod network;
mod ranges;
mod scopes;
mod voice;

use super::file::*;
use super::*;
use scopes::Scoped;

/// Reads and validates a model file.
pub fn load_file(path: &Path) -> Result<Model, ModelError> {
    let file = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| ModelError::Read { file: file.clone(), message: e.to_string() })?;
    load_str(&text, &file)
}

/// Model text as written, before validation (what `voicetwin export`
/// reads: names, not ids).
pub fn read_raw(text: &str, file: &str) -> Result<ModelFile, ModelError> {
    crate::model::error::parse_toml_all(text, "the model").map_err(|messages| {
        let mut message = messages.join(&format!("\n{file}: "));
        message.push_str(&format!(
            "\n{file}: the model was not validated further: the file must read into its types first"
        ));
        ModelError::Syntax { file: file.to_owned(), message }
    })
}

/// Validates model text; `file` names it in errors.
pub fn load_str(text: &str, file: &str) -> Result<Model, ModelError> {
    let raw = read_raw(text, file)?;
    let mut b = Builder::default();
    match b.build(raw, file) {
        Some(mut model) if b.problems.is_empty() => {
            model.text = text.to_owned();
            model.load_lints = b.lints;
            Ok(model)
        }
        _ => Err(ModelError::Invalid { file: file.to_owned(), problems: b.problems }),
    }
}

#[derive(Default)]
pub(super) struct Builder {
    problems: Vec<Problem>,
    /// Findings of checks that could not finish: the model loads.
    lints: Vec<super::lint::Lint>,
    /// Each pattern compiled once: sites repeat the same rules.
    patterns: HashMap<String, Result<crate::pattern::netregex::NetRegex, String>>,
    /// Each name as the file spells it, by its lower-cased key, so a
    /// hint lists names as the user wrote them.
    spelled: HashMap<String, String>,
}

/// A name index, lowercase keys (Lync identities are case-insensitive).
pub(super) type Names = HashMap<String, usize>;

pub(super) fn label(kind: &str, name: &str) -> String {
    format!("{kind} \"{name}\"")
}

impl Builder {
    pub(super) fn err(&mut self, object: &str, field: &str, message: impl Into<String>) {
        self.problems.push(Problem { object: object.to_owned(), field: field.to_owned(), message: message.into() });
    }

    pub(super) fn names<'a, T>(
        &mut self,
        kind: &str,
        field: &str,
        items: &'a [T],
        key: impl Fn(&'a T) -> &'a str,
    ) -> Names {
        let mut map = Names::new();
        for (i, it) in items.iter().enumerate() {
            let name = key(it);
            if name.trim().is_empty() {
                self.err(&format!("{kind} #{}", i + 1), field, "must not be empty");
            } else {
                let key = name.to_lowercase();
                self.spelled.entry(key.clone()).or_insert_with(|| name.to_owned());
                if map.insert(key, i).is_some() {
                    self.err(
                        &label(kind, name),
                        field,
                        format!("duplicate: another {kind} already has the {field} \"{name}\""),
                    );
                }
            }
        }
        map
    }

    /// Resolves `name` in `map`, reporting a reference to nothing.
    pub(super) fn resolve(&mut self, map: &Names, kind: &str, name: &str, object: &str, field: &str) -> Option<usize> {
        let found = map.get(&name.trim().to_lowercase()).copied();
        if found.is_none() {
            let mut known: Vec<&String> = map.keys().collect();
            known.sort();
            let hint = if known.is_empty() {
                format!("the model defines no {kind}")
            } else {
                let list: Vec<&str> =
                    known.iter().take(12).map(|k| self.spelled.get(*k).map_or(k.as_str(), String::as_str)).collect();
                format!("known: {}", list.join(", "))
            };
            self.err(object, field, format!("refers to {kind} \"{name}\", which does not exist ({hint})"));
        }
        found
    }

    /// `pattern` compiled, or why it does not compile.
    pub(super) fn compile(&mut self, pattern: &str) -> Result<crate::pattern::netregex::NetRegex, String> {
        if let Some(done) = self.patterns.get(pattern) {
            return done.clone();
        }
        let done = crate::pattern::netregex::NetRegex::new(pattern);
        self.patterns.insert(pattern.to_owned(), done.clone());
        done
    }

    /// A count the ranges stage has checked, as the `u32` the model keeps.
    /// Its own check stays for a field no range covers.
    pub(super) fn count(&mut self, object: &str, field: &str, v: i64) -> u32 {
        match u32::try_from(v) {
            Ok(n) if n > 0 => n,
            _ => {
                self.err(object, field, format!("must be a positive number, not {v}"));
                1
            }
        }
    }

    /// A port the ranges stage has checked, or `default` when none is given.
    pub(super) fn port(&mut self, v: Option<i64>, default: u16) -> u16 {
        v.and_then(|p| u16::try_from(p).ok()).unwrap_or(default)
    }

    fn build(&mut self, mut raw: ModelFile, file: &str) -> Option<Model> {
        self.ranges(&mut raw);
        let settings = self.settings(&raw.routing);
        let net = self.network(&raw);
        if net.sites.is_empty() {
            // Everything stands at a site: with none, no later stage can
            // place its objects.
            self.err(
                "the model",
                "site",
                "call admission control, trunks, the voice configuration, user groups and inter-trunk routing not \
                 checked: the model defines no site (above)",
            );
            return None;
        }
        let media = self.media(&raw.media, !net.bandwidth_policies.is_empty());
        let bypass_id = bypass::bypass_ids(&net, media.bypass);
        let cac = self.cac(&raw, &net);
        let (trunk_names, mut trunks) = self.trunks(&raw, &net);
        let vc = self.voice_config(&raw, &net, &trunk_names);
        let Scoped { site_dial_plan, site_voice_policy, site_location_policy, user_groups, directory } =
            self.scopes_and_users(&raw, &net, &mut trunks, &vc, &cac.subnets);
        self.check_inter_trunk_cycles(&trunks, &vc.trunk_configs, &vc.usage_routes, &vc.routes);
        if !self.problems.is_empty() {
            return None;
        }
        let Network { bandwidth_policies, regions, sites, links, registrar_pools, mediation_pools, peers, .. } = net;
        let VoiceConfig {
            usages,
            trunk_configs,
            dial_plans,
            voice_policies,
            location_policies,
            routes,
            usage_routes,
            ..
        } = vc;
        let wan = Wan::new(sites.len(), &links);
        let route_patterns = crate::pattern::patternset::PatternSet::new(routes.iter().map(|r| &r.number_pattern));
        let route_index = route_index(&routes, &usage_routes);
        Some(Model {
            source: file.to_owned(),
            text: String::new(),
            name: raw.network.name,
            description: raw.network.description,
            settings,
            media,
            bandwidth_policies,
            bypass_id,
            cac_elements: cac.elements,
            cac_paths: cac.paths,
            regions,
            sites,
            links,
            registrar_pools,
            mediation_pools,
            peers,
            trunks,
            trunk_configs,
            dial_plans,
            voice_policies,
            location_policies,
            usages,
            routes,
            user_groups,
            wan,
            usage_routes,
            route_patterns,
            route_index,
            directory,
            site_dial_plan,
            site_voice_policy,
            site_location_policy,
            load_lints: Vec::new(),
        })
    }
}

/// Per usage, its routes indexed by the prefixes their numbers start with.
fn route_index(routes: &[VoiceRoute], usage_routes: &[Vec<RouteId>]) -> Vec<crate::pattern::prefixindex::PrefixIndex> {
    let prefixes: Vec<Option<Vec<Vec<u8>>>> = routes.iter().map(|r| r.number_pattern.required_prefixes()).collect();
    usage_routes
        .iter()
        .map(|list| {
            let of_list: Vec<Option<Vec<Vec<u8>>>> = list.iter().map(|r| prefixes[r.index()].clone()).collect();
            crate::pattern::prefixindex::PrefixIndex::new(&of_list)
        })
        .collect()
}

/// Stage 1: topology and servers, with their name indices.
pub(super) struct Network {
    pub bandwidth_policies: Vec<BandwidthPolicy>,
    /// Each site's policy on its link to its region.
    pub site_policy: Vec<Option<usize>>,
    pub region_names: Names,
    pub policy_names: Names,
    pub regions: Vec<Region>,
    pub sites: Vec<Site>,
    pub links: Vec<WanLink>,
    pub registrar_pools: Vec<RegistrarPool>,
    pub mediation_pools: Vec<MediationPool>,
    pub peers: Vec<Peer>,
    pub site_names: Names,
    pub registrar_names: Names,
    pub mediation_names: Names,
    pub peer_names: Names,
}

/// Stage 3: the voice configuration.
pub(super) struct VoiceConfig {
    pub usages: Vec<String>,
    pub trunk_configs: Vec<TrunkConfig>,
    pub dial_plans: Vec<DialPlan>,
    pub plan_scopes: HashMap<String, usize>,
    pub voice_policies: Vec<VoicePolicy>,
    pub policy_scopes: HashMap<String, usize>,
    pub location_policies: Vec<LocationPolicy>,
    pub location_scopes: HashMap<String, usize>,
    pub routes: Vec<VoiceRoute>,
    pub usage_routes: Vec<Vec<RouteId>>,
}
