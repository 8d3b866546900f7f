//! `voicetwin generate`: enterprise-shaped networks that check clean, run,
//! come out the same for the same sites and seed, and keep every country
//! to itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use voicetwin::generate::{generate, Options};
use voicetwin::model::{self, Model, PeerKind, RegistrarKind, SiteKind};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("voicetwin-generate-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "exit {:?}: {}", o.status, String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write(sites: &str, seed: &str, dir: &Path) -> Output {
    voicetwin(&["generate", "--sites", sites, "--seed", seed, "--out", dir.to_str().unwrap()])
}

#[test]
fn generated_models_check_clean_at_several_sizes_and_seeds() {
    for (sites, seed) in [("1", "1"), ("10", "7"), ("60", "2013"), ("60", "99")] {
        let dir = temp(&format!("check-{sites}-{seed}"));
        ok(&write(sites, seed, &dir));
        let model = dir.join("model.toml");
        let out = ok(&voicetwin(&["check", "--model", model.to_str().unwrap()]));
        assert!(out.contains(&format!("valid. {sites} sites")), "{out}");
        assert!(!out.contains("error"), "{out}");
        // The scenario loads against it: every source, template and the [whatif] section.
        let text = std::fs::read_to_string(dir.join("scenario.toml")).unwrap();
        let m = model::load_file(&model).unwrap();
        voicetwin::scenario::load_for_model(&text, "scenario.toml", &m).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn the_same_sites_and_seed_give_the_same_files_and_another_seed_another_network() {
    let a = temp("same-a");
    let b = temp("same-b");
    ok(&write("30", "5", &a));
    ok(&write("30", "5", &b));
    for file in ["model.toml", "scenario.toml"] {
        assert_eq!(std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap(), "{file}");
    }
    let one = generate(&Options { sites: 30, seed: 5 }).unwrap();
    let other = generate(&Options { sites: 30, seed: 6 }).unwrap();
    assert_eq!(one.model, std::fs::read_to_string(a.join("model.toml")).unwrap());
    assert_ne!(one.model, other.model);
    assert_ne!(one.scenario, other.scenario);
    // Even one site differs with the seed (its country, its users).
    assert_ne!(
        generate(&Options { sites: 1, seed: 1 }).unwrap().model,
        generate(&Options { sites: 1, seed: 2 }).unwrap().model
    );
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

/// The country of each site, by site index.
fn countries(m: &Model) -> Vec<&str> {
    m.sites.iter().map(|s| s.country.as_str()).collect()
}

#[test]
fn every_country_is_built_the_same_way_and_closed_on_itself() {
    for seed in [3, 2013] {
        let g = generate(&Options { sites: 120, seed }).unwrap();
        let m = model::load_str(&g.model, "generated").unwrap();
        let country = countries(&m);
        let mut sites_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, c) in country.iter().enumerate() {
            sites_of.entry(c).or_default().push(i);
        }
        assert_eq!(sites_of.len(), g.countries);
        assert!(g.countries >= 4, "120 sites make countries of about 20-30: {}", g.countries);

        let gateways_at = |site: usize| {
            m.peers.iter().filter(|p| p.site.index() == site && matches!(p.kind, PeerKind::PstnGateway { .. })).count()
        };
        let sba_at =
            |site: usize| m.registrar_pools.iter().any(|r| r.site.index() == site && r.kind == RegistrarKind::Sba);
        for (c, sites) in &sites_of {
            let central: Vec<usize> = sites.iter().copied().filter(|&s| m.sites[s].kind == SiteKind::Central).collect();
            let want = if sites.len() >= 25 { 2 } else { 1 };
            assert_eq!(central.len(), want, "{c}: {} sites", sites.len());
            for &s in &central {
                assert_eq!(gateways_at(s), 2, "{}: a central site has a gateway pair", m.sites[s].name);
                assert!(m.registrar_pools.iter().any(|r| r.site.index() == s && r.kind == RegistrarKind::FrontEnd));
                let med = m.mediation_pools.iter().find(|p| p.site.index() == s).expect("a Mediation pool");
                assert!(med.servers >= 2, "{}", med.fqdn);
            }
            for &s in sites.iter().filter(|&&s| m.sites[s].kind == SiteKind::Branch) {
                let expected = if sba_at(s) { 1 } else { 0 };
                assert_eq!(
                    gateways_at(s),
                    expected,
                    "{}: an SBA branch has its own gateway, others none",
                    m.sites[s].name
                );
            }
        }
        assert!(g.sba_branches > 0);

        // Every user group's routes reach only its own country's trunks,
        // peers and Mediation pools.
        for u in &m.user_groups {
            let home = country[u.site.index()];
            let policy = m.voice_policy(u.voice_policy);
            assert!(!policy.pstn_usages.is_empty(), "{}: its users can call the PSTN", u.name);
            let usages: BTreeSet<_> = policy.pstn_usages.iter().collect();
            let mut trunks = 0;
            for r in m.routes.iter().filter(|r| r.pstn_usages.iter().any(|x| usages.contains(x))) {
                for &t in &r.trunks {
                    let trunk = m.trunk(t);
                    assert_eq!(country[m.peer(trunk.peer).site.index()], home, "{} -> {}", u.name, trunk.name);
                    assert_eq!(country[m.mediation_pool(trunk.mediation_pool).site.index()], home, "{}", trunk.name);
                    trunks += 1;
                }
            }
            assert!(trunks > 0, "{}", u.name);
            assert_eq!(country[m.registrar_pools[u.registrar_pool.index()].site.index()], home, "{}", u.name);
        }
        // Backup Registrars and policed links stay in the country too.
        for r in &m.registrar_pools {
            if let Some(b) = r.backup_registrar {
                assert_eq!(country[r.site.index()], country[m.registrar_pools[b.index()].site.index()], "{}", r.fqdn);
            }
        }
        for l in m.links.iter().filter(|l| l.bandwidth_policy.is_some()) {
            assert_eq!(country[l.sites.0.index()], country[l.sites.1.index()], "{}", l.name);
        }
    }
}

#[test]
fn the_ten_site_scenario_runs_and_its_what_if_works() {
    let dir = temp("run");
    ok(&write("10", "2013", &dir));
    let scenario = dir.join("scenario.toml");
    let out = dir.join("run");
    let text =
        ok(&voicetwin(&["run", scenario.to_str().unwrap(), "--replications", "2", "--out", out.to_str().unwrap()]));
    assert!(text.contains("grade of service"), "{text}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).expect("summary.json");
    let mean = |what: &str| summary.pointer(&format!("/calls/{what}/mean")).and_then(|v| v.as_f64()).unwrap();
    assert!(mean("offered") > 100.0);
    // Every number the scenario dials has a route in the model.
    assert_eq!(mean("not_authorized"), 0.0);
    let whatif = dir.join("whatif");
    let text = ok(&voicetwin(&[
        "whatif",
        scenario.to_str().unwrap(),
        "--replications",
        "2",
        "--out",
        whatif.to_str().unwrap(),
    ]));
    assert!(text.contains("N-1 what-if over"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn out_of_range_values_exit_2_naming_the_flag() {
    let dir = temp("range");
    for (args, flag) in [
        (vec!["--sites", "0"], "--sites"),
        (vec!["--sites", "5001"], "--sites"),
        (vec!["--sites", "-3"], "--sites"),
        (vec!["--sites", "10", "--seed", "-1"], "--seed"),
        (vec!["--sites", "10", "--seed", "9223372036854775808"], "--seed"),
    ] {
        let mut all = vec!["generate", "--out", dir.to_str().unwrap()];
        all.extend(args.iter().copied());
        let o = voicetwin(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(flag), "{args:?}: {err}");
        assert!(!dir.join("model.toml").exists());
    }
}

#[test]
fn out_never_replaces_a_users_file_but_rewrites_its_own() {
    let dir = temp("out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("model.toml"), "# my own model\n").unwrap();
    let o = write("5", "1", &dir);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("model.toml")).unwrap(), "# my own model\n");
    assert!(!dir.join("scenario.toml").exists());

    // A folder generate wrote is its own to rewrite.
    let mine = temp("out-again");
    ok(&write("5", "1", &mine));
    ok(&write("5", "2", &mine));
    let text = std::fs::read_to_string(mine.join("model.toml")).unwrap();
    assert!(text.contains("(seed 2)"), "{}", &text[..200]);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&mine);
}
