//! The model file of a generated enterprise (docs/model.md): every
//! country built the same way, its own regions, pools, gateways, dial
//! plans, usages, routes and policies, and nothing that leads from one
//! country into another.

use std::fmt::Write as _;

use super::countries::Country;
use super::plan::{CountryPlan, Kind, Plan, Site};
use super::traffic;

/// The DNS domain of every generated server.
const DOMAIN: &str = "example.com";
/// Call admission control profiles for branch links, kbps of audio.
const BRANCH_POLICIES: [u32; 7] = [500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000];
/// WAN link sizes a carrier sells, kbps.
const LINK_SIZES: [u32; 7] = [2_048, 4_096, 10_240, 20_480, 51_200, 102_400, 1_000_000];
/// Audio of a non-bypassed call on a WAN link, kbps with headroom.
const KBPS_PER_CALL: u32 = 100;

macro_rules! w {
    ($t:expr, $($a:tt)*) => {{ let _ = writeln!($t, $($a)*); }};
}

/// The model text of `plan`; `title` names the network.
pub fn write(plan: &Plan, title: &str) -> String {
    let mut t = String::with_capacity(4096 + plan.countries.iter().map(|c| c.sites.len()).sum::<usize>() * 3000);
    let usages: Vec<String> = plan.countries.iter().flat_map(usages).collect();
    w!(t, "# {title}");
    w!(t, "# Written by `voicetwin generate`: every country is independent of the others (its own gateways,");
    w!(t, "# Mediation pools, routes and CAC-policed links). Every field is documented in docs/model.md.\n");
    let quoted: Vec<String> = usages.iter().map(|u| format!("\"{u}\"")).collect();
    w!(t, "pstn_usages = [\n  {},\n]\n", quoted.join(",\n  "));
    w!(t, "[network]\nname = \"{title}\"\n");
    for kbps in BRANCH_POLICIES {
        w!(t, "[[bandwidth_policy]]\nname = \"branch-{kbps}\"\naudio_limit_kbps = {kbps}\n");
    }
    for c in &plan.countries {
        topology(&mut t, c);
    }
    backbone(&mut t, plan);
    for c in &plan.countries {
        servers(&mut t, c);
        voice(&mut t, c);
    }
    t
}

fn lower(name: &str) -> String {
    name.to_ascii_lowercase()
}

fn hub_usage(s: &Site) -> String {
    format!("{}-PSTN", s.name)
}

fn sba_usage(s: &Site) -> String {
    format!("{}-Local", s.name)
}

fn itsp_usage(c: &Country) -> String {
    format!("{}-ITSP", c.iso)
}

fn usages(c: &CountryPlan) -> Vec<String> {
    let mut u: Vec<String> = c.hubs().map(|h| hub_usage(&c.sites[h])).collect();
    u.extend(c.sites.iter().filter(|s| s.kind == Kind::Sba).map(sba_usage));
    if c.itsp_sessions.is_some() {
        u.push(itsp_usage(c.country));
    }
    u
}

fn region(c: &CountryPlan, hub: usize) -> String {
    if hub == 0 {
        c.country.name.to_owned()
    } else {
        format!("{}-{}", c.country.name, hub + 1)
    }
}

fn fe(s: &Site) -> String {
    format!("fe-{}.{DOMAIN}", lower(&s.name))
}

fn med(s: &Site) -> String {
    format!("med-{}.{DOMAIN}", lower(&s.name))
}

fn sba(s: &Site) -> String {
    format!("sba-{}.{DOMAIN}", lower(&s.name))
}

/// The gateway (and trunk) names of a site: a central site's pair, an
/// SBA branch's one, none for a homed branch.
pub fn gateways(s: &Site) -> Vec<String> {
    match s.kind {
        Kind::Central => (1..=2).map(|k| format!("gw-{}-{k}", lower(&s.name))).collect(),
        Kind::Sba => vec![format!("gw-{}", lower(&s.name))],
        Kind::Homed => Vec::new(),
    }
}

pub fn itsp(c: &Country) -> String {
    format!("itsp-{}", lower(c.iso))
}

/// The emergency numbers of the country, as one alternation.
fn emergency(c: &Country) -> String {
    crate::model::emergency::for_country(c.iso).unwrap_or(&["112"]).join("|")
}

fn topology(t: &mut String, c: &CountryPlan) {
    let k = c.country;
    for h in c.hubs() {
        w!(t, "[[region]]\nname = \"{}\"\ncentral_site = \"{}\"\n", region(c, h), c.sites[h].name);
    }
    for s in &c.sites {
        let kind = if s.kind == Kind::Central { "central" } else { "branch" };
        w!(t, "[[site]]\nname = \"{}\"\nkind = \"{kind}\"\nregion = \"{}\"", s.name, region(c, s.hub));
        w!(t, "country = \"{}\"\ntime_zone = \"{}\"\n", k.iso, k.zone);
    }
    for (i, s) in c.sites.iter().enumerate() {
        let (delay, jitter, loss) = s.link;
        if s.kind == Kind::Central {
            if i > 0 {
                // The second central site, straight to the first.
                w!(t, "[[wan_link]]\nname = \"{}-{}\"", c.sites[0].name, s.name);
                w!(t, "site_a = \"{}\"\nsite_b = \"{}\"\nbandwidth_kbps = 1000000", c.sites[0].name, s.name);
                w!(t, "one_way_delay = \"{delay}ms\"\njitter = \"{jitter}ms\"\nloss_percent = {loss}\n");
            }
            continue;
        }
        let share = if s.kind == Kind::Sba { traffic::SBA_LINK_SHARE } else { traffic::HOMED_LINK_SHARE };
        let need = traffic::channels(traffic::erlangs(s.users, s.bhca, share)) * KBPS_PER_CALL;
        let policy = BRANCH_POLICIES.iter().copied().find(|&p| p >= need).unwrap_or(BRANCH_POLICIES[6]);
        let size = LINK_SIZES.iter().copied().find(|&l| l >= 2 * policy).unwrap_or(LINK_SIZES[6]);
        let hub = &c.sites[s.hub].name;
        w!(t, "[[wan_link]]\nname = \"{hub}-{}\"\nsite_a = \"{hub}\"\nsite_b = \"{}\"", s.name, s.name);
        w!(t, "bandwidth_kbps = {size}\none_way_delay = \"{delay}ms\"\njitter = \"{jitter}ms\"");
        w!(t, "loss_percent = {loss}\nbandwidth_policy = \"branch-{policy}\"\n");
    }
}

/// The backbone: each country's first central site to the next
/// country's, in a ring. Its delays are longer than any link inside a
/// country, so no media path between two sites of one country leaves it.
fn backbone(t: &mut String, plan: &Plan) {
    let n = plan.countries.len();
    let links = match n {
        0 | 1 => 0,
        2 => 1,
        _ => n,
    };
    for i in 0..links {
        let (a, b) = (&plan.countries[i], &plan.countries[(i + 1) % n]);
        let (sa, sb) = (&a.sites[0].name, &b.sites[0].name);
        w!(t, "[[wan_link]]\nname = \"backbone-{sa}-{sb}\"\nsite_a = \"{sa}\"\nsite_b = \"{sb}\"");
        w!(
            t,
            "bandwidth_kbps = 1000000\none_way_delay = \"{}ms\"\njitter = \"2ms\"\nloss_percent = 0.01\n",
            a.backbone_delay
        );
    }
}

/// Erlangs a central site's gateway pair carries first: its homed users'
/// PSTN calls, its SBA branches' national and international calls, and
/// the inbound calls to its homed users.
fn hub_erlangs(c: &CountryPlan, hub: usize) -> f64 {
    let out: f64 = c
        .sites
        .iter()
        .filter(|s| s.hub == hub)
        .map(|s| {
            let share = if s.kind == Kind::Sba { traffic::SBA_CENTRAL_SHARE } else { traffic::PSTN_SHARE };
            traffic::erlangs(s.users, s.bhca, share)
        })
        .sum();
    let inbound = f64::from(c.homed_users(hub)) * traffic::INBOUND_PER_USER * f64::from(traffic::HOLDING_S) / 3600.0;
    out + inbound
}

fn spans(k: &Country, channels: u32, most: u32) -> String {
    let (field, per) = if k.t1 { ("t1_spans", 23) } else { ("e1_spans", 30) };
    format!("{field} = {}", channels.div_ceil(per).clamp(1, most))
}

fn servers(t: &mut String, c: &CountryPlan) {
    let k = c.country;
    let hubs: Vec<usize> = c.hubs().collect();
    for &h in &hubs {
        let s = &c.sites[h];
        let servers = (c.homed_users(h).div_ceil(3_000) + 1).clamp(2, 12);
        w!(
            t,
            "[[registrar_pool]]\nfqdn = \"{}\"\nsite = \"{}\"\nkind = \"front-end\"\nservers = {servers}",
            fe(s),
            s.name
        );
        if let Some(&other) = hubs.iter().find(|&&o| o != h) {
            w!(t, "backup_registrar = \"{}\"", fe(&c.sites[other]));
        }
        w!(t, "");
        let channels = traffic::channels(hub_erlangs(c, h));
        let itsp_sessions = if h == 0 { c.itsp_sessions.unwrap_or(0) } else { 0 };
        let med_servers = ((channels + itsp_sessions).div_ceil(1_000) + 1).clamp(2, 8);
        w!(t, "[[mediation_pool]]\nfqdn = \"{}\"\nsite = \"{}\"\nkind = \"stand-alone\"", med(s), s.name);
        w!(t, "servers = {med_servers}\ncalls_per_server = 1500\nnext_hop_registrar = \"{}\"\n", fe(s));
        for (j, gw) in gateways(s).iter().enumerate() {
            let lower_name = lower(&s.name);
            w!(t, "[[peer]]\nname = \"{gw}\"\nfqdn = \"gw{}.{lower_name}.{DOMAIN}\"\nkind = \"pstn-gateway\"", j + 1);
            w!(t, "site = \"{}\"\n{}\n", s.name, spans(k, channels.div_ceil(2), 32));
            w!(t, "[[trunk]]\nname = \"{gw}\"\nmediation_pool = \"{}\"\npeer = \"{gw}\"\n", med(s));
        }
        if let (0, Some(sessions)) = (h, c.itsp_sessions) {
            let name = itsp(k);
            w!(t, "[[peer]]\nname = \"{name}\"\nfqdn = \"sip.carrier-{}.example.net\"", lower(k.iso));
            w!(t, "kind = \"itsp-sbc\"\nsite = \"{}\"\nsession_limit = {sessions}\n", s.name);
            w!(t, "[[trunk]]\nname = \"{name}\"\nmediation_pool = \"{}\"\nmediation_port = 5071", med(s));
            w!(t, "peer = \"{name}\"\npeer_port = 5061\n");
        }
    }
    for s in c.sites.iter().filter(|s| s.kind == Kind::Sba) {
        let pool = sba(s);
        w!(t, "[[registrar_pool]]\nfqdn = \"{pool}\"\nsite = \"{}\"\nkind = \"sba\"", s.name);
        w!(t, "backup_registrar = \"{}\"\n", fe(&c.sites[s.hub]));
        w!(t, "[[mediation_pool]]\nfqdn = \"{pool}\"\nsite = \"{}\"\nkind = \"collocated\"", s.name);
        w!(t, "collocated_with = \"{pool}\"\n");
        let channels = traffic::channels(traffic::erlangs(s.users, s.bhca, traffic::SBA_LOCAL_SHARE));
        for gw in gateways(s) {
            w!(t, "[[peer]]\nname = \"{gw}\"\nfqdn = \"gw.{}.{DOMAIN}\"\nkind = \"pstn-gateway\"", lower(&s.name));
            w!(t, "site = \"{}\"\n{}\n", s.name, spans(k, channels, 4));
            w!(t, "[[trunk]]\nname = \"{gw}\"\nmediation_pool = \"{pool}\"\npeer = \"{gw}\"\n");
        }
    }
}

/// A national number's pattern after the trunk prefix: first digit 2-9.
fn national_digits(k: &Country) -> String {
    format!(r"[2-9]\d{{{}}}", k.nsn - 1)
}

fn quoted(list: &[String]) -> String {
    let q: Vec<String> = list.iter().map(|s| format!("\"{s}\"")).collect();
    q.join(", ")
}

fn voice(t: &mut String, c: &CountryPlan) {
    let k = c.country;
    let cc = k.code;
    let nsn = national_digits(k);
    let emergency = emergency(k);
    let hubs: Vec<usize> = c.hubs().collect();
    let itsp_usage = c.itsp_sessions.map(|_| itsp_usage(k));

    // Routes: each central site's pair for national, international and
    // emergency calls; each SBA's own gateway for its area and emergency.
    for &h in &hubs {
        let s = &c.sites[h];
        let (usage, trunks) = (hub_usage(s), quoted(&gateways(s)));
        let routes = [
            ("National", format!(r"^\+{cc}\d{{{}}}$", k.nsn)),
            ("International", format!(r"^\+(?!{cc})\d{{7,15}}$")),
            ("Emergency", format!(r"^\+({emergency})$")),
        ];
        for (what, pattern) in routes {
            w!(t, "[[voice_route]]\nname = \"{}-{what}\"\nnumber_pattern = '{pattern}'", s.name);
            w!(t, "pstn_usages = [\"{usage}\"]\npstn_gateways = [{trunks}]\n");
        }
    }
    for s in c.sites.iter().filter(|s| s.kind == Kind::Sba) {
        let (usage, trunks) = (sba_usage(s), quoted(&gateways(s)));
        let rest = k.nsn - s.area.len();
        let routes =
            [("Local", format!(r"^\+{cc}{}\d{{{rest}}}$", s.area)), ("Emergency", format!(r"^\+({emergency})$"))];
        for (what, pattern) in routes {
            w!(t, "[[voice_route]]\nname = \"{}-{what}\"\nnumber_pattern = '{pattern}'", s.name);
            w!(t, "pstn_usages = [\"{usage}\"]\npstn_gateways = [{trunks}]\n");
        }
    }
    if let Some(usage) = &itsp_usage {
        w!(t, "[[voice_route]]\nname = \"{usage}\"\ndescription = \"The SIP trunk as the country's last resort\"");
        w!(t, "number_pattern = '^\\+\\d{{7,15}}$'\npstn_usages = [\"{usage}\"]\npstn_gateways = [\"{}\"]\npriority = 9\n", itsp(k));
    }

    // Voice policies, site scope (it follows the home pool): a central
    // site's covers the branches homed on it.
    for &h in &hubs {
        let mut list: Vec<String> = std::iter::once(h)
            .chain(hubs.iter().copied().filter(|&o| o != h))
            .map(|x| hub_usage(&c.sites[x]))
            .collect();
        let central = list.clone();
        list.extend(itsp_usage.clone());
        w!(t, "[[voice_policy]]\nscope = \"site:{}\"\npstn_usages = [{}]\n", c.sites[h].name, quoted(&list));
        for s in c.sites.iter().filter(|s| s.kind == Kind::Sba && s.hub == h) {
            let mut list = vec![sba_usage(s)];
            list.extend(central.iter().cloned());
            list.extend(itsp_usage.clone());
            w!(t, "[[voice_policy]]\nscope = \"site:{}\"\npstn_usages = [{}]\n", s.name, quoted(&list));
        }
    }

    // Dial plans: one per site, per user (it follows users whatever pool
    // they register on); a central site's own plan normalizes what its
    // carrier delivers.
    let national =
        if k.trunk_prefix.is_empty() { format!("^({nsn})$") } else { format!("^(?:{})?({nsn})$", k.trunk_prefix) };
    for s in &c.sites {
        let block = &s.first_nsn[..s.first_nsn.len() - 4];
        w!(
            t,
            "[[dial_plan]]\nscope = \"tag:{}-Users\"\noptimize_device_dialing = false\nnormalization_rules = [",
            s.name
        );
        w!(t, "  {{ name = \"Emergency\", pattern = '^({emergency})$', translation = '+$1' }},");
        w!(t, "  {{ name = \"Extension\", pattern = '^([0-4]\\d{{3}})$', translation = '+{cc}{block}$1', is_internal_extension = true }},");
        w!(t, "  {{ name = \"International\", pattern = '^{}(\\d{{7,15}})$', translation = '+$1' }},", k.intl_prefix);
        w!(t, "  {{ name = \"National\", pattern = '{national}', translation = '+{cc}$1' }},");
        w!(t, "]\n");
    }
    for &h in &hubs {
        w!(
            t,
            "[[dial_plan]]\nscope = \"site:{}\"\ndescription = \"What the carrier delivers on the central gateways\"",
            c.sites[h].name
        );
        w!(t, "normalization_rules = [\n  {{ name = \"NationalNumber\", pattern = '{national}', translation = '+{cc}$1' }},\n]\n");
    }

    // Trunk configurations: the country's own formats on every gateway;
    // the ITSP takes E.164.
    let prefix = if k.t1 { "" } else { k.trunk_prefix };
    for s in c.sites.iter().filter(|s| s.kind != Kind::Homed) {
        w!(t, "[[trunk_configuration]]\nscope = \"site:{}\"\noutbound_translation_rules = [", s.name);
        w!(t, "  {{ name = \"Emergency\", pattern = '^\\+({emergency})$', translation = '$1' }},");
        w!(t, "  {{ name = \"National\", pattern = '^\\+{cc}(\\d{{{}}})$', translation = '{prefix}$1' }},", k.nsn);
        w!(t, "  {{ name = \"International\", pattern = '^\\+(\\d{{7,15}})$', translation = '{}$1' }},", k.intl_prefix);
        w!(t, "]\noutbound_calling_number_translation_rules = [");
        w!(t, "  {{ name = \"NationalCLI\", pattern = '^\\+{cc}(\\d{{{}}})$', translation = '$1' }},\n]\n", k.nsn);
    }
    if c.itsp_sessions.is_some() {
        w!(t, "[[trunk_configuration]]\nscope = \"PstnGateway:{}\"", itsp(k));
        w!(t, "sip_response_code_translation_rules = [");
        w!(
            t,
            "  {{ name = \"TimeoutFailsOver\", received_response_code = 408, translated_response_code = 503 }},\n]\n"
        );
    }

    for s in &c.sites {
        let pool = if s.kind == Kind::Sba { sba(s) } else { fe(&c.sites[s.hub]) };
        w!(t, "[[user_group]]\nname = \"{}\"\nsite = \"{}\"\nregistrar_pool = \"{pool}\"", user_group(s), s.name);
        w!(t, "users = {}\nfirst_number = \"+{cc}{}\"\ndial_plan = \"{}-Users\"\n", s.users, s.first_nsn, s.name);
    }
}

/// The user group of a site.
pub fn user_group(s: &Site) -> String {
    format!("{}-users", lower(&s.name))
}
