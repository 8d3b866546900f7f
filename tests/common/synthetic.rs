//! Synthetic models of a chosen size, to measure what validation costs
//! as a model grows: many sites on a policed WAN, many gateway trunks,
//! long rule lists, and a full mesh of IP-PBXs routing to each other
//! (inter-trunk routing) behind a hub of PSTN gateways.
//!
//! Shared by the tests (`tests/validation_cost.rs`), the `load` bench
//! and the `synthetic_model` example, which writes one to a file for
//! `voicetwin check`.
#![allow(dead_code)]

use std::fmt::Write;

/// How big a synthetic enterprise is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Sites, at least 1: site 0 is the central site, the rest branches,
    /// each on a WAN link to site 0 and to the next branch (a ring).
    pub sites: usize,
    /// PSTN gateways, each with one trunk, spread over the sites
    /// round robin; at least 1. The first four are the hub every IP-PBX
    /// reaches the PSTN through.
    pub trunks: usize,
    /// Normalization rules in all: half in the global dial plan (one long
    /// list), the rest spread over the sites' dial plans.
    pub rules: usize,
    /// IP-PBXs (at most 1000), each with a trunk whose configuration
    /// routes to every other PBX (inter-trunk routing).
    pub pbxs: usize,
    /// A bandwidth policy on every WAN link (call admission control).
    pub policed: bool,
}

impl Size {
    /// The issue's target: 1,000 trunks and 10,000 rules (on 1,000 sites
    /// with policed WAN links, and a mesh of 14 IP-PBXs).
    pub const LARGE: Size = Size { sites: 1000, trunks: 1000, rules: 10_000, pbxs: 14, policed: true };

    /// A hub of `hubs` gateways and a full mesh of `pbxs` IP-PBXs, on one
    /// site.
    pub fn mesh(hubs: usize, pbxs: usize) -> Size {
        Size { sites: 1, trunks: hubs, rules: 8, pbxs, policed: false }
    }
}

/// The pattern of the route to PBX `j`: its users hold +1 425 jjj xxxx.
pub fn pbx_pattern(j: usize) -> String {
    format!(r"^\+1425{j:03}\d{{4}}$")
}

/// Every North American number outside area code 425 (the PBXs' area):
/// what the PBXs may send to the PSTN without a loop.
pub const PBX_OUT_PATTERN: &str = r"^\+1(?:[0-35-9]\d{9}|4[013-9]\d{8}|42[0-46-9]\d{7})$";

/// The model file of an enterprise of `size`.
pub fn enterprise(size: Size) -> String {
    let Size { sites, trunks, rules, pbxs, policed } = size;
    assert!(sites >= 1 && trunks >= 1 && pbxs <= 1000 && sites < 25_000, "{size:?}");
    let gateway_sites = sites.min(trunks);
    let hubs: Vec<String> = (0..trunks.min(4)).map(|k| format!("\"gw-{k}\"")).collect();
    let hubs = hubs.join(", ");
    let mut t = String::with_capacity(1 << 20);

    let mut usages: Vec<String> = vec!["National".into(), "PBX-Users".into(), "PBX-Out".into()];
    usages.extend((0..gateway_sites).map(|s| format!("Local-{s}")));
    usages.extend((0..pbxs).map(|j| format!("To-PBX-{j}")));
    let quoted: Vec<String> = usages.iter().map(|u| format!("\"{u}\"")).collect();
    writeln!(t, "pstn_usages = [{}]\n", quoted.join(", ")).unwrap();
    writeln!(t, "[network]\nname = \"synthetic {sites} sites, {trunks} trunks, {rules} rules, {pbxs} PBXs\"\n")
        .unwrap();
    if policed {
        writeln!(t, "[[bandwidth_policy]]\nname = \"wan\"\naudio_limit_kbps = 2000\n").unwrap();
    }
    writeln!(t, "[[region]]\nname = \"R\"\ncentral_site = \"site-0\"\n").unwrap();
    for s in 0..sites {
        let kind = if s == 0 { "central" } else { "branch" };
        writeln!(t, "[[site]]\nname = \"site-{s}\"\nkind = \"{kind}\"\nregion = \"R\"\n").unwrap();
    }
    let policy = if policed { "bandwidth_policy = \"wan\"\n" } else { "" };
    let link = |t: &mut String, name: String, a: usize, b: usize, delay_ms: usize| {
        writeln!(
            t,
            "[[wan_link]]\nname = \"{name}\"\nsite_a = \"site-{a}\"\nsite_b = \"site-{b}\"\nbandwidth_kbps = 10000\none_way_delay = \"{delay_ms}ms\"\n{policy}"
        )
        .unwrap();
    };
    for s in 1..sites {
        link(&mut t, format!("hub-{s}"), 0, s, 10 + s % 7);
        if s + 1 < sites {
            link(&mut t, format!("ring-{s}"), s, s + 1, 3 + s % 5);
        }
    }
    writeln!(
        t,
        "[[registrar_pool]]\nfqdn = \"fe.example.com\"\nsite = \"site-0\"\nkind = \"front-end\"\nservers = 4\n"
    )
    .unwrap();
    for s in 0..gateway_sites {
        writeln!(
            t,
            "[[mediation_pool]]\nfqdn = \"med-{s}.example.com\"\nsite = \"site-{s}\"\nkind = \"stand-alone\"\nservers = 4\nnext_hop_registrar = \"fe.example.com\"\n"
        )
        .unwrap();
    }
    for k in 0..trunks {
        let s = k % sites;
        writeln!(t, "[[peer]]\nname = \"gw-{k}\"\nfqdn = \"gw-{k}.example.com\"\nkind = \"pstn-gateway\"\nsite = \"site-{s}\"\ne1_spans = 2\n").unwrap();
        writeln!(t, "[[trunk]]\nname = \"gw-{k}\"\nmediation_pool = \"med-{s}.example.com\"\npeer = \"gw-{k}\"\n")
            .unwrap();
    }
    for j in 0..pbxs {
        writeln!(t, "[[peer]]\nname = \"pbx-{j}\"\nfqdn = \"pbx-{j}.example.com\"\nkind = \"ip-pbx\"\nsite = \"site-0\"\nsession_limit = 30\n").unwrap();
        writeln!(t, "[[trunk]]\nname = \"pbx-{j}\"\nmediation_pool = \"med-0.example.com\"\npeer = \"pbx-{j}\"\n")
            .unwrap();
    }

    // Routes.
    writeln!(t, "[[voice_route]]\nname = \"national\"\nnumber_pattern = '^\\+1[2-9]\\d{{9}}$'\npstn_usages = [\"National\"]\npstn_gateways = [{hubs}]\npriority = 1\n").unwrap();
    writeln!(t, "[[voice_route]]\nname = \"pbx-out\"\nnumber_pattern = '{PBX_OUT_PATTERN}'\npstn_usages = [\"PBX-Out\"]\npstn_gateways = [{hubs}]\n").unwrap();
    for s in 0..gateway_sites {
        let gws: Vec<String> = (s..trunks).step_by(sites).map(|k| format!("\"gw-{k}\"")).collect();
        writeln!(
            t,
            "[[voice_route]]\nname = \"local-{s}\"\nnumber_pattern = '^\\+1{}\\d{{7}}$'\npstn_usages = [\"Local-{s}\"]\npstn_gateways = [{}]\n",
            area(s),
            gws.join(", ")
        )
        .unwrap();
    }
    for j in 0..pbxs {
        writeln!(
            t,
            "[[voice_route]]\nname = \"to-pbx-{j}\"\nnumber_pattern = '{}'\npstn_usages = [\"PBX-Users\", \"To-PBX-{j}\"]\npstn_gateways = [\"pbx-{j}\"]\n",
            pbx_pattern(j)
        )
        .unwrap();
    }

    // Policies: every site's users call locally through their own gateways.
    // Users are homed on the central pool, so their site's plan and policy
    // are per-user ones (site scope follows the home pool).
    writeln!(t, "[[voice_policy]]\nscope = \"global\"\npstn_usages = [\"PBX-Users\", \"National\"]\n").unwrap();
    for s in 0..gateway_sites {
        writeln!(
            t,
            "[[voice_policy]]\nscope = \"tag:site-{s}\"\npstn_usages = [\"Local-{s}\", \"PBX-Users\", \"National\"]\n"
        )
        .unwrap();
    }

    // Dial plans: one long global list of site codes, then each site's own.
    let global = rules / 2;
    writeln!(t, "[[dial_plan]]\nscope = \"global\"\nnormalization_rules = [").unwrap();
    for i in 0..global {
        let rule = match i {
            0 => r"pattern = '^([0-1]\d{3})$', translation = '+1400000$1'".to_owned(),
            i if i + 1 == global => r"pattern = '^(\d+)$', translation = '+$1'".to_owned(),
            i => format!(r"pattern = '^8{i:04}(\d{{4}})$', translation = '+14{:05}$1'", i % sites),
        };
        writeln!(t, "  {{ name = \"g{i}\", {rule} }},").unwrap();
    }
    writeln!(t, "]\n").unwrap();
    let rest = rules - global;
    for s in 0..sites {
        let n = rest / sites + usize::from(s < rest % sites);
        if n == 0 {
            continue;
        }
        writeln!(t, "[[dial_plan]]\nscope = \"tag:site-{s}\"\nnormalization_rules = [").unwrap();
        for i in 0..n {
            let rule = match i {
                0 => format!(r"pattern = '^(\d{{4}})$', translation = '+14{s:05}$1'"),
                1 => format!(r"pattern = '^([2-9]\d{{6}})$', translation = '+1{}$1'", area(s)),
                2 => r"pattern = '^([2-9]\d{9})$', translation = '+1$1'".to_owned(),
                3 => r"pattern = '^1([2-9]\d{9})$', translation = '+1$1'".to_owned(),
                4 => r"pattern = '^011(\d{7,15})$', translation = '+$1'".to_owned(),
                i => format!(r"pattern = '^7{:04}(\d{{4}})$', translation = '+14{:05}$1'", i, (s + i) % sites),
            };
            writeln!(t, "  {{ name = \"s{s}-{i}\", {rule} }},").unwrap();
        }
        writeln!(t, "]\n").unwrap();
    }

    // Trunk configurations: gateways deliver to the PBXs (the hub); each
    // PBX reaches every other PBX, and the PSTN outside its own area.
    writeln!(t, "[[trunk_configuration]]\nscope = \"global\"\noutbound_translation_rules = [\n  {{ name = \"StripPlus\", pattern = '^\\+(\\d+)$', translation = '$1' }},\n]\n").unwrap();
    for s in 0..gateway_sites {
        writeln!(
            t,
            "[[trunk_configuration]]\nscope = \"site:site-{s}\"\npstn_usages = [\"PBX-Users\"]\noutbound_translation_rules = [\n  {{ name = \"NANP10\", pattern = '^\\+1(\\d{{10}})$', translation = '$1' }},\n  {{ name = \"Intl011\", pattern = '^\\+(\\d{{7,15}})$', translation = '011$1' }},\n]\noutbound_calling_number_translation_rules = [\n  {{ name = \"CLI10\", pattern = '^\\+1(\\d{{10}})$', translation = '$1' }},\n]\n"
        )
        .unwrap();
    }
    for j in 0..pbxs {
        let mut own: Vec<String> = (0..pbxs).filter(|k| *k != j).map(|k| format!("\"To-PBX-{k}\"")).collect();
        own.push("\"PBX-Out\"".into());
        writeln!(
            t,
            "[[trunk_configuration]]\nscope = \"PstnGateway:pbx-{j}\"\npstn_usages = [{}]\noutbound_translation_rules = [\n  {{ name = \"Ext\", pattern = '^\\+1425{j:03}(\\d{{4}})$', translation = '$1' }},\n]\n",
            own.join(", ")
        )
        .unwrap();
    }

    for s in 0..sites {
        writeln!(t, "[[user_group]]\nname = \"users-{s}\"\nsite = \"site-{s}\"\nregistrar_pool = \"fe.example.com\"\nusers = 50\nfirst_number = \"+14{s:05}0000\"").unwrap();
        if rest / sites + usize::from(s < rest % sites) > 0 {
            writeln!(t, "dial_plan = \"site-{s}\"").unwrap();
        }
        if s < gateway_sites {
            writeln!(t, "voice_policy = \"site-{s}\"").unwrap();
        }
        writeln!(t).unwrap();
    }
    t
}

/// A North American area code for site `s`, never 425 (the PBXs').
fn area(s: usize) -> usize {
    let a = 200 + s % 700;
    if a == 425 {
        899
    } else {
        a
    }
}
