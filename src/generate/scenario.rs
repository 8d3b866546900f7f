//! The scenario file of a generated enterprise (docs/scenario.md): a busy
//! hour with one source per site (its users dialing as the country
//! dials) and one per central site (the carrier's inbound calls to the
//! DIDs homed there, hunting over the gateway pair), and `[whatif]`
//! settings short enough for N-1 on tens of sites in seconds.

use std::fmt::Write as _;

use super::countries::Country;
use super::model::{gateways, user_group};
use super::plan::{CountryPlan, Kind, Plan, Site};
use super::traffic;

macro_rules! w {
    ($t:expr, $($a:tt)*) => {{ let _ = writeln!($t, $($a)*); }};
}

/// The scenario text of `plan`, on the model file `model_file` (relative
/// to the scenario), seeded `seed`.
pub fn write(plan: &Plan, title: &str, model_file: &str, seed: u64) -> String {
    let mut t = String::with_capacity(4096 + plan.countries.iter().map(|c| c.sites.len()).sum::<usize>() * 800);
    w!(t, "# The busy hour of {title}.");
    w!(t, "# Written by `voicetwin generate`. Users call only within their own country (its PSTN, its");
    w!(t, "# other sites); inbound calls reach each central site's gateway pair. docs/scenario.md documents");
    w!(t, "# every field.\n");
    w!(t, "name = \"{title}, busy hour\"\nmodel = \"{model_file}\"");
    w!(t, "duration = \"1h\"\nwarm_up = \"10m\"\nreplications = 5\nseed = {seed}\nbucket = \"1m\"\nstart_hour = 9\n");
    w!(t, "[signalling]\nhop_latency = \"10ms\"\npstn_setup = \"2s\"\n");
    w!(t, "# N-1 over every peer, trunk, Mediation pool and WAN link, failing 20 minutes in.");
    w!(t, "[whatif]\nelements = [\"peer\", \"trunk\", \"mediation-pool\", \"wan-link\"]\nk = 1\nat = \"20m\"\n");
    for c in &plan.countries {
        for (i, s) in c.sites.iter().enumerate() {
            users(&mut t, c, i, s);
        }
        for h in c.hubs() {
            inbound(&mut t, c, h);
        }
    }
    t
}

/// A template of exactly the numbers `users` users hold after the block
/// `block` (`users` ≥ 1): the largest run of whole digits that stays
/// inside 0 .. users, so every number dialed belongs to a user.
fn covered(block: &str, users: u32) -> String {
    let users = users.clamp(1, 5_000);
    let (digit, rest) = match users {
        1_000.. => ((users / 1_000).min(10), 3),
        100.. => ((users / 100).min(10), 2),
        10.. => ((users / 10).min(10), 1),
        _ => (users, 0),
    };
    let set = if digit <= 1 { "0".to_owned() } else { format!("[0-{}]", digit - 1) };
    let lead = format!("{}{set}", "0".repeat(3 - rest));
    format!("{block}{lead}{}", "X".repeat(rest))
}

/// A national number as dialed in `k` (with its trunk prefix), outside
/// the enterprise's DID blocks (their exchanges begin with 5).
fn national(k: &Country, area: Option<&str>) -> String {
    let prefix = if k.t1 { "" } else { k.trunk_prefix };
    match area {
        Some(a) => format!("{prefix}{a}[2-46-9]{}", "X".repeat(k.nsn - a.len() - 1)),
        None => format!("{prefix}[2-8]{}", "X".repeat(k.nsn - 1)),
    }
}

fn users(t: &mut String, c: &CountryPlan, i: usize, s: &Site) {
    let k = c.country;
    let foreign = c.foreign[i];
    let mut dial = vec![
        (traffic::EXTENSION, covered("", s.users)),
        (traffic::LOCAL, national(k, Some(&s.area))),
        (traffic::NATIONAL, national(k, None)),
        (traffic::INTERNATIONAL, format!("{}{}[2-8]{}", k.intl_prefix, foreign.code, "X".repeat(foreign.nsn - 1))),
    ];
    // Another site of the country, the next one round, by its national
    // number: an internal call across the WAN.
    if c.sites.len() > 1 {
        let o = &c.sites[(i + 1) % c.sites.len()];
        let prefix = if k.t1 { "" } else { k.trunk_prefix };
        dial.push((
            traffic::OTHER_SITE,
            covered(&format!("{prefix}{}", &o.first_nsn[..o.first_nsn.len() - 4]), o.users),
        ));
    }
    w!(
        t,
        "[[source]]\nname = \"{}-out\"\nuser_group = \"{}\"\nbhca_per_user = {}",
        lower(&s.name),
        user_group(s),
        s.bhca
    );
    w!(t, "holding = {{ lognormal = {{ mean = \"{}s\", sd = \"150s\" }} }}", traffic::HOLDING_S);
    w!(t, "ring_time = {{ exponential = \"8s\" }}\nanswer_probability = 0.8\ndial = [");
    for (weight, template) in dial {
        w!(t, "  {{ weight = {weight}, template = \"{template}\" }},");
    }
    w!(t, "]\n");
}

fn inbound(t: &mut String, c: &CountryPlan, h: usize) {
    let k = c.country;
    let hub = &c.sites[h];
    let calls = (f64::from(c.homed_users(h)) * traffic::INBOUND_PER_USER).round().max(1.0);
    let trunks: Vec<String> = gateways(hub).iter().map(|g| format!("\"{g}\"")).collect();
    w!(
        t,
        "[[source]]\nname = \"pstn-to-{}\"\ntrunks = [{}]\ncalls_per_hour = {calls}",
        lower(&hub.name),
        trunks.join(", ")
    );
    w!(t, "holding = {{ lognormal = {{ mean = \"{}s\", sd = \"150s\" }} }}", traffic::HOLDING_S);
    w!(t, "ring_time = {{ exponential = \"6s\" }}\nanswer_probability = 0.85\ndial = [");
    for s in c.sites.iter().filter(|s| s.hub == h && s.kind != Kind::Sba) {
        let block = &s.first_nsn[..s.first_nsn.len() - 4];
        w!(t, "  {{ weight = {}, template = \"{}\" }},", s.users, covered(block, s.users));
    }
    w!(t, "]\ncalling = \"[2-8]{}\"\n", "X".repeat(k.nsn - 1));
}

fn lower(name: &str) -> String {
    name.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::covered;

    #[test]
    fn covered_templates_stay_inside_the_users() {
        assert_eq!(covered("55", 4_321), "55[0-3]XXX");
        assert_eq!(covered("", 999), "0[0-8]XX");
        assert_eq!(covered("", 20), "00[0-1]X");
        assert_eq!(covered("", 7), "000[0-6]");
        assert_eq!(covered("", 1), "0000");
        assert_eq!(covered("", 150), "00XX");
        assert_eq!(covered("", 5_000), "[0-4]XXX");
    }
}
