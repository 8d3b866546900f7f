//! Round trip: contoso exported as the cmdlets' files and imported back
//! routes every generated dial string, from every user, site and trunk,
//! exactly as contoso does (docs/import.md, "Round trip").

use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::Value;
use voicetwin::model::import::{self, write, Options};
use voicetwin::model::{self, Model};
use voicetwin::voice::{explain, Caller, Router, TrunkStates};

fn contoso() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(Model::contoso)
}

/// contoso, exported into a folder and imported from it.
fn imported() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| {
        let raw = model::read_raw(&contoso().text, "contoso").expect("contoso reads");
        let dir = std::env::temp_dir().join(format!("voicetwin-roundtrip-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for f in model::export::export(&raw) {
            std::fs::write(dir.join(&f.name), &f.bytes).unwrap();
        }
        let (_, imported) = import::import(&dir, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
        let text = write::to_toml(&imported, &[]).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        model::load_str(&text, "imported.toml").unwrap_or_else(|e| panic!("{e}\n{text}"))
    })
}

/// A caller of contoso and the same caller in the imported model: users by
/// their Line URI (groups are renamed by the import), sites and trunks by name.
fn callers() -> Vec<(String, Caller, Caller)> {
    let (c, m) = (contoso(), imported());
    let mut out = Vec::new();
    for (gi, g) in c.user_groups.iter().enumerate() {
        for index in [0, g.users / 2, g.users - 1] {
            let number = format!("+{}", g.first_number + u64::from(index));
            let (group, i) = m.find_user(&number).unwrap_or_else(|e| panic!("user {number}: {e}"));
            let here = Caller::User { group: voicetwin::model::UserGroupId::from_index(gi), index };
            out.push((number, here, Caller::User { group, index: i }));
        }
    }
    for s in &c.sites {
        let there = m.site_by_name(&s.name).unwrap_or_else(|| panic!("site {} lost", s.name));
        out.push((s.name.clone(), Caller::Site(c.site_by_name(&s.name).unwrap()), Caller::Site(there)));
    }
    for t in &c.trunks {
        let there = m.trunk_by_name(&t.name).unwrap_or_else(|| panic!("trunk {} lost", t.name));
        out.push((t.name.clone(), Caller::Trunk(c.trunk_by_name(&t.name).unwrap()), Caller::Trunk(there)));
    }
    out
}

/// What routing decided, without the names the import may change: the
/// caller's label, user groups' names (a user is its Line URI), peers'
/// names (a peer is named by its FQDN) and kinds; identities compared in
/// lower case.
fn decision(m: &Model, caller: Caller, dialed: &str) -> Value {
    let d = Router::new(m).decide(caller, dialed, None, &TrunkStates::all_up(m), 0);
    let user = d.internal.map(|e| format!("+{}", m.user_group(e.group).first_number + u64::from(e.index)));
    let mut v = serde_json::to_value(explain(m, caller, &d)).unwrap();
    let o = v.as_object_mut().unwrap();
    o.remove("caller");
    o.insert("user".into(), serde_json::json!(user));
    for key in ["dial_plan", "policy"] {
        if let Some(Value::String(s)) = o.get_mut(key) {
            *s = s.to_lowercase();
        }
    }
    if let Some(Value::Array(attempts)) = o.get_mut("attempts") {
        for a in attempts {
            let a = a.as_object_mut().unwrap();
            // Lync's configuration names a gateway by FQDN and does not say
            // whether it is a PSTN gateway, IP-PBX or ITSP (a TODO of the import).
            a.remove("peer");
            a.remove("peer_kind");
            if let Some(Value::String(s)) = a.get_mut("trunk_configuration") {
                *s = s.to_lowercase();
            }
        }
    }
    v
}

/// Strings users and peers dial: extensions, local, national and
/// international numbers with and without access prefixes, E.164, and
/// emergency numbers.
fn dialed() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,4}",
        "9?1?[2-9][0-9]{6,9}",
        "9?0{1,2}[1-9][0-9]{6,12}",
        "9?011[1-9][0-9]{6,12}",
        "\\+(1|44|33|49)[2-9][0-9]{8,10}",
        "\\+1425(555|882)[0-9]{4}",
        "9?(911|999|112|15|17|18)",
        "[0-9+*#() .-]{0,16}",
    ]
}

#[test]
fn the_import_keeps_every_object_that_routes() {
    let (c, m) = (contoso(), imported());
    let names = |ts: &[voicetwin::model::Trunk]| ts.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&c.trunks), names(&m.trunks));
    assert_eq!(c.routes.len(), m.routes.len());
    assert_eq!(c.dial_plans.len(), m.dial_plans.len());
    assert_eq!(c.voice_policies.len(), m.voice_policies.len());
    assert_eq!(c.trunk_configs.len(), m.trunk_configs.len());
    assert_eq!(c.location_policies.len(), m.location_policies.len());
    let users = |m: &Model| m.user_groups.iter().map(|g| u64::from(g.users)).sum::<u64>();
    assert_eq!(users(c), users(m));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Every caller routes every string as contoso does.
    #[test]
    fn every_routing_decision_survives_the_round_trip(number in dialed(), pick in any::<prop::sample::Index>()) {
        let all = callers();
        let (label, here, there) = &all[pick.index(all.len())];
        let want = decision(contoso(), *here, &number);
        let got = decision(imported(), *there, &number);
        prop_assert_eq!(want, got, "caller {} dialing {}", label, number);
    }
}
