//! The topology and users of a Lync export folder (`Get-CsTopology -AsXml`,
//! `Get-CsTrunk`, `Get-CsService -PstnGateway`, `Get-CsUser | Export-Csv`)
//! read into the model's tables, and written back by `voicetwin export`
//! so contoso's topology and users round-trip (docs/import-topology.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use voicetwin::model::file::{ModelFile, SiteFile};
use voicetwin::model::import::folder::Exports;
use voicetwin::model::import::topology::{self, Topology};
use voicetwin::model::import::{users, Imported, Platform};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(name)
}

fn read(dir: &Path) -> Result<Topology, String> {
    let exports = Exports::open(dir).map_err(|e| e.to_string())?;
    topology::read(&exports).map_err(|e| e.to_string())?.ok_or_else(|| "no topology".to_owned())
}

/// A fresh folder under the target directory holding `files`.
fn folder(test: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("import-topology-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    dir
}

/// The model's raw form with the topology's sites and pools, as the Lync
/// importer merges them, so users can be placed.
fn imported(t: &Topology) -> Imported {
    let mut model = ModelFile::default();
    for s in &t.sites {
        model.sites.push(SiteFile {
            name: s.name.clone(),
            kind: if s.central { "central" } else { "branch" }.into(),
            region: s.parent.clone().unwrap_or_else(|| s.name.clone()),
            bandwidth_policy: None,
            country: s.country.clone().unwrap_or_default(),
            emergency_numbers: None,
            location_policy: None,
            time_zone: None,
            description: String::new(),
        });
    }
    model.registrar_pools = t.registrar_pools.clone();
    model.mediation_pools = t.mediation_pools.clone();
    model.peers = t.peers.clone();
    model.trunks = t.trunks.clone();
    Imported { model, todos: Vec::new(), notes: Vec::new() }
}

/// A trunk as (name, peer, Mediation pool, peer port, transport, Mediation port).
type TrunkRow = (String, String, String, Option<i64>, String, Option<i64>);

/// A Mediation pool as (FQDN, kind, collocated with, next hop, servers).
type MedRow<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<i64>);
/// A peer as (name, site, kind, T1 spans, E1 spans).
type PeerRow<'a> = (&'a str, &'a str, &'a str, Option<i64>, Option<i64>);
/// A user group as (name, site, pool, users, first number, dial plan, voice policy).
type GroupRow<'a> = (&'a str, &'a str, &'a str, i64, &'a str, Option<&'a str>, Option<&'a str>);
/// A Teams user group as (site, registrar, users, dial plan, voice policy).
type TeamsRow<'a> = (&'a str, &'a str, i64, Option<&'a str>, Option<&'a str>);

fn trunk_summary(t: &Topology) -> Vec<TrunkRow> {
    let mut v: Vec<_> = t
        .trunks
        .iter()
        .map(|x| {
            (
                x.name.clone(),
                x.peer.clone(),
                x.mediation_pool.clone(),
                x.peer_port,
                x.transport.clone(),
                x.mediation_port,
            )
        })
        .collect();
    v.sort();
    v
}

fn s(v: &str) -> String {
    v.to_owned()
}

fn check_fabrikam_topology(t: &Topology) {
    let sites: Vec<(&str, bool, Option<&str>, Option<&str>)> =
        t.sites.iter().map(|s| (s.name.as_str(), s.central, s.parent.as_deref(), s.country.as_deref())).collect();
    assert_eq!(
        sites,
        [
            ("Seattle", true, None, Some("US")),
            ("Portland", false, Some("Seattle"), Some("US")),
            ("Dublin", true, None, Some("IE"))
        ]
    );
    let pools: Vec<(&str, &str, &str, i64, Option<&str>)> = t
        .registrar_pools
        .iter()
        .map(|p| (p.fqdn.as_str(), p.site.as_str(), p.kind.as_str(), p.servers, p.backup_registrar.as_deref()))
        .collect();
    assert_eq!(
        pools,
        [
            ("pool-sea.fabrikam.test", "Seattle", "front-end", 3, Some("se-dub.fabrikam.test")),
            ("sba-pdx.fabrikam.test", "Portland", "sba", 1, Some("pool-sea.fabrikam.test")),
            ("se-dub.fabrikam.test", "Dublin", "standard-edition", 1, None),
        ],
        "the Director is no voice Registrar"
    );
    let med: Vec<MedRow> = t
        .mediation_pools
        .iter()
        .map(|p| {
            (p.fqdn.as_str(), p.kind.as_str(), p.collocated_with.as_deref(), p.next_hop_registrar.as_deref(), p.servers)
        })
        .collect();
    assert_eq!(
        med,
        [
            ("med-sea.fabrikam.test", "stand-alone", None, Some("pool-sea.fabrikam.test"), Some(2)),
            ("sba-pdx.fabrikam.test", "collocated", Some("sba-pdx.fabrikam.test"), None, None),
            ("se-dub.fabrikam.test", "collocated", Some("se-dub.fabrikam.test"), None, None),
        ]
    );
    let peers: Vec<PeerRow> =
        t.peers.iter().map(|p| (p.name.as_str(), p.site.as_str(), p.kind.as_str(), p.t1_spans, p.e1_spans)).collect();
    assert_eq!(
        peers,
        [
            ("gw1.sea.fabrikam.test", "Seattle", "pstn-gateway", Some(1), None),
            ("gw.pdx.fabrikam.test", "Portland", "pstn-gateway", Some(1), None),
            ("10.3.0.20", "Dublin", "pstn-gateway", None, Some(1)),
        ],
        "peers are named by FQDN, a placeholder span of the site's country's kind"
    );
    assert!(t.peers.iter().all(|p| p.name == p.fqdn));
    for p in &t.peers {
        let fields: Vec<&str> =
            t.todos.iter().filter(|x| x.table == "peer" && x.key == p.name).map(|x| x.field.as_str()).collect();
        assert_eq!(fields.len(), 2, "{}: {fields:?}", p.name);
        assert!(
            fields.contains(&"kind") && (fields.contains(&"t1_spans") || fields.contains(&"e1_spans")),
            "{fields:?}"
        );
    }
}

#[test]
fn a_lync_2013_topology_gives_sites_pools_gateways_and_its_trunks() {
    let t = read(&fixture("topology-2013")).unwrap();
    check_fabrikam_topology(&t);
    let med = s("med-sea.fabrikam.test");
    assert_eq!(
        trunk_summary(&t),
        [
            (s("10.3.0.20"), s("10.3.0.20"), s("se-dub.fabrikam.test"), Some(5060), s("tcp"), None),
            (
                s("gw.pdx.fabrikam.test"),
                s("gw.pdx.fabrikam.test"),
                s("sba-pdx.fabrikam.test"),
                Some(5067),
                s("tls"),
                None
            ),
            (s("gw1.sea.fabrikam.test"), s("gw1.sea.fabrikam.test"), med.clone(), Some(5066), s("tls"), Some(5067)),
            (s("sea-carrier2"), s("gw1.sea.fabrikam.test"), med, Some(5068), s("tcp"), Some(5068)),
        ],
        "the document's <Trunk>s, and a root trunk for each gateway that lists none"
    );
    assert!(t.notes.iter().any(|n| n.contains("1 Director")), "{:?}", t.notes);
}

#[test]
fn get_cstrunk_gives_the_trunks_when_the_document_lists_none() {
    let t = read(&fixture("topology-get-cstrunk")).unwrap();
    let med = s("med-sea.fabrikam.test");
    assert_eq!(
        trunk_summary(&t),
        [
            (s("gw1.sea.fabrikam.test"), s("gw1.sea.fabrikam.test"), med.clone(), Some(5066), s("tls"), Some(5067)),
            (s("sbc.itsp.example"), s("sbc.itsp.example"), s("se-dub.fabrikam.test"), Some(5061), s("tls"), Some(5071)),
            (s("sea-carrier2"), s("gw1.sea.fabrikam.test"), med, Some(5068), s("tcp"), Some(5068)),
        ]
    );
    let sbc = t.peers.iter().find(|p| p.fqdn == "sbc.itsp.example").expect("a gateway only Get-CsTrunk names");
    assert_eq!((sbc.site.as_str(), sbc.e1_spans), ("Dublin", Some(1)));
    assert!(t.notes.iter().any(|n| n.contains("Get-CsTrunk")), "{:?}", t.notes);
}

#[test]
fn get_csservice_gives_one_trunk_per_gateway_named_after_it() {
    let t = read(&fixture("topology-2010")).unwrap();
    assert_eq!(
        trunk_summary(&t),
        [
            (
                s("gw.pdx.fabrikam.test"),
                s("gw.pdx.fabrikam.test"),
                s("sba-pdx.fabrikam.test"),
                Some(5060),
                s("tcp"),
                Some(5068)
            ),
            (
                s("gw1.sea.fabrikam.test"),
                s("gw1.sea.fabrikam.test"),
                s("med-sea.fabrikam.test"),
                Some(5066),
                s("tls"),
                Some(5067)
            ),
        ],
        "the Registrar in Get-CsService.json is no trunk"
    );
}

fn fabrikam_users(dir: &Path) -> Imported {
    let t = read(dir).unwrap();
    let mut imp = imported(&t);
    users::read(&dir.join("Get-CsUser.csv"), Platform::Lync, &mut imp).unwrap();
    imp
}

#[test]
fn users_become_groups_of_consecutive_numbers() {
    let imp = fabrikam_users(&fixture("topology-2013"));
    let groups: Vec<GroupRow> = imp
        .model
        .user_groups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.site.as_deref().unwrap_or(""),
                g.registrar_pool.as_str(),
                g.users,
                g.first_number.as_str(),
                g.dial_plan.as_deref(),
                g.voice_policy.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("Seattle-1", "Seattle", "pool-sea.fabrikam.test", 3, "+12065550100", None, None),
            ("Seattle-2", "Seattle", "pool-sea.fabrikam.test", 1, "+12065550103", None, Some("Lobby")),
            (
                "Portland-1",
                "Portland",
                "sba-pdx.fabrikam.test",
                2,
                "+15035550200",
                Some("Portland-Users"),
                Some("Portland-Users")
            ),
            ("Dublin-1", "Dublin", "se-dub.fabrikam.test", 1, "+35315550300", None, None),
        ]
    );
    assert!(imp.notes.iter().any(|n| n.contains("1 without a Line URI, 1 not enabled")), "{:?}", imp.notes);
    let todo: Vec<(&str, &str)> = imp.todos.iter().map(|t| (t.key.as_str(), t.field.as_str())).collect();
    assert!(todo.contains(&("Seattle-2", "voice_policy")) && todo.contains(&("Portland-1", "dial_plan")), "{todo:?}");
}

#[test]
fn a_utf16_export_reads_like_a_utf8_one() {
    let t = read(&fixture("topology-utf16")).unwrap();
    check_fabrikam_topology(&t);
    assert_eq!(trunk_summary(&t), trunk_summary(&read(&fixture("topology-2013")).unwrap()));
    let a = fabrikam_users(&fixture("topology-utf16"));
    let b = fabrikam_users(&fixture("topology-2013"));
    let json = |i: &Imported| serde_json::to_value(&i.model.user_groups).unwrap();
    assert_eq!(json(&a), json(&b));
    assert_eq!(a.model.user_groups.len(), 4);
}

/// The 2013 fixture's document with `from` replaced by `to`.
fn broken(from: &str, to: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture("topology-2013").join("Get-CsTopology.xml")).unwrap();
    assert!(text.contains(from), "the fixture holds {from}");
    text.replacen(from, to, 1).into_bytes()
}

fn line_of(bytes: &[u8], needle: &str) -> usize {
    let text = String::from_utf8_lossy(bytes);
    text.lines().position(|l| l.contains(needle)).expect("the needle is there") + 1
}

#[test]
fn a_service_on_a_missing_cluster_names_the_element_line_and_attribute() {
    let xml = broken(
        "<ServiceId SiteId=\"1\" RoleName=\"MediationServer\" Instance=\"1\" />\n      <DependsOn>\n        <Dependency Usage=\"Default\">\n          <ServiceId SiteId=\"1\" RoleName=\"Registrar\" Instance=\"1\" />\n        </Dependency>\n      </DependsOn>\n      <InstalledOn>\n        <ClusterId SiteId=\"1\" Number=\"2\" />",
        "<ServiceId SiteId=\"1\" RoleName=\"MediationServer\" Instance=\"1\" />\n      <DependsOn>\n        <Dependency Usage=\"Default\">\n          <ServiceId SiteId=\"1\" RoleName=\"Registrar\" Instance=\"1\" />\n        </Dependency>\n      </DependsOn>\n      <InstalledOn>\n        <ClusterId SiteId=\"1\" Number=\"9\" />",
    );
    let line = line_of(&xml, "Number=\"9\"");
    let dir = folder("missing-cluster", &[("Get-CsTopology.xml", &xml)]);
    let e = read(&dir).unwrap_err();
    assert!(
        e.contains(&format!("Get-CsTopology.xml: <ClusterId> at line {line}, property `Number`: no <Cluster> has <ClusterId SiteId=\"1\" Number=\"9\">")),
        "{e}"
    );
}

#[test]
fn every_broken_reference_is_named_in_one_run() {
    let xml = broken("<BranchSite SiteId=\"2\" CentralSiteId=\"1\">", "<BranchSite SiteId=\"2\" CentralSiteId=\"7\">");
    let text = String::from_utf8(xml).unwrap().replacen(
        "<Cluster RequiresReplication=\"false\" RequiresSetup=\"true\" Fqdn=\"med-sea.fabrikam.test\">",
        "<Cluster RequiresReplication=\"false\" RequiresSetup=\"true\">",
        1,
    );
    let branch = line_of(text.as_bytes(), "CentralSiteId=\"7\"");
    let cluster = line_of(text.as_bytes(), "<Cluster RequiresReplication=\"false\" RequiresSetup=\"true\">");
    let dir = folder("references", &[("Get-CsTopology.xml", text.as_bytes())]);
    let e = read(&dir).unwrap_err();
    assert!(
        e.contains(&format!(
            "<BranchSite> at line {branch}, property `CentralSiteId`: no site has SiteId or Name \"7\""
        )),
        "{e}"
    );
    assert!(e.contains(&format!("<Cluster> at line {cluster}, property `Fqdn`: missing")), "{e}");
}

#[test]
fn a_document_that_is_not_xml_is_named() {
    let dir = folder("not-xml", &[("Get-CsTopology.xml", b"<Topology><Sites></Topology>")]);
    let e = read(&dir).unwrap_err();
    assert!(e.contains("Get-CsTopology.xml: not XML"), "{e}");
}

#[test]
fn a_trunk_to_an_unknown_mediation_pool_names_the_object_and_property() {
    let xml = std::fs::read(fixture("topology-get-cstrunk").join("Get-CsTopology.xml")).unwrap();
    let json = br#"[{"Identity":"PstnGateway:gw1.sea.fabrikam.test","PoolFqdn":"gw1.sea.fabrikam.test","MediationServer":"MediationServer:nowhere.fabrikam.test","GatewaySipProtocol":"Udp"}]"#;
    let dir = folder("trunk-pool", &[("Get-CsTopology.xml", &xml), ("Get-CsTrunk.json", json)]);
    let e = read(&dir).unwrap_err();
    assert!(
        e.contains("Get-CsTrunk.json: PstnGateway:gw1.sea.fabrikam.test, property `MediationServer`: no Mediation pool in Get-CsTopology.xml has the FQDN nowhere.fabrikam.test"),
        "{e}"
    );
}

#[test]
fn a_bad_user_row_names_the_file_row_line_and_column() {
    let xml = std::fs::read(fixture("topology-2013").join("Get-CsTopology.xml")).unwrap();
    let csv = "#TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser\n\
               SipAddress,LineURI,RegistrarPool,EnterpriseVoiceEnabled\n\
               sip:a@fabrikam.test,tel:+12065550100,pool-sea.fabrikam.test,True\n\
               sip:b@fabrikam.test,tel:2065550101,pool-sea.fabrikam.test,True\n\
               sip:c@fabrikam.test,tel:+12065550102,nowhere.fabrikam.test,True\n\
               sip:d@fabrikam.test,tel:+12065550103,pool-sea.fabrikam.test,Maybe\n";
    let dir = folder("bad-users", &[("Get-CsTopology.xml", &xml), ("Get-CsUser.csv", csv.as_bytes())]);
    let mut imp = imported(&read(&dir).unwrap());
    let e = users::read(&dir.join("Get-CsUser.csv"), Platform::Lync, &mut imp).unwrap_err().to_string();
    assert!(e.contains("Get-CsUser.csv: row 2 (line 4), property `LineURI`: `tel:2065550101` is not"), "{e}");
    assert!(e.contains("row 3 (line 5), property `RegistrarPool`: no Registrar pool"), "{e}");
    assert!(e.contains("row 4 (line 6), property `EnterpriseVoiceEnabled`"), "{e}");
    assert!(imp.model.user_groups.is_empty());
}

#[test]
fn a_number_held_twice_is_an_error() {
    let xml = std::fs::read(fixture("topology-2013").join("Get-CsTopology.xml")).unwrap();
    let csv = "SipAddress,LineURI,RegistrarPool\nsip:a@x,tel:+12065550100,pool-sea.fabrikam.test\nsip:b@x,tel:+12065550100;ext=1,pool-sea.fabrikam.test\n";
    let dir = folder("twice", &[("Get-CsTopology.xml", &xml), ("Get-CsUser.csv", csv.as_bytes())]);
    let mut imp = imported(&read(&dir).unwrap());
    let e = users::read(&dir.join("Get-CsUser.csv"), Platform::Lync, &mut imp).unwrap_err().to_string();
    assert!(e.contains("line 3, property `LineURI`: +12065550100 is also the number of line 2"), "{e}");
}

#[test]
fn teams_users_take_the_site_column_or_the_first_site() {
    let csv = "UserPrincipalName,LineUri,TenantDialPlan,OnlineVoiceRoutingPolicy,EnterpriseVoiceEnabled,Site\n\
               a@f.test,tel:+12065550100,Tag:US-Plan,US-Routing,True,\n\
               b@f.test,tel:+12065550101,Tag:US-Plan,US-Routing,True,\n\
               c@f.test,tel:+35315550300,,,True,Dublin\n";
    let dir = folder("teams-users", &[("Get-CsOnlineUser.csv", csv.as_bytes())]);
    let mut imp = imported(&read(&fixture("topology-2013")).unwrap());
    users::read(&dir.join("Get-CsOnlineUser.csv"), Platform::Teams, &mut imp).unwrap();
    let g: Vec<TeamsRow> = imp
        .model
        .user_groups
        .iter()
        .map(|g| {
            (
                g.site.as_deref().unwrap(),
                g.registrar_pool.as_str(),
                g.users,
                g.dial_plan.as_deref(),
                g.voice_policy.as_deref(),
            )
        })
        .collect();
    let teams = voicetwin::model::import::TEAMS_REGISTRAR;
    assert_eq!(g, [("Seattle", teams, 2, Some("US-Plan"), Some("US-Routing")), ("Dublin", teams, 1, None, None)]);
}

// ----------------------------------------------------------- round trip

fn contoso() -> ModelFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/contoso.toml");
    voicetwin::model::read_raw(&std::fs::read_to_string(path).unwrap(), "contoso.toml").unwrap()
}

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap()
}

/// Contoso's export, read back by the importer's topology and users.
fn round_trip(dir: &Path) -> (ModelFile, Topology, Imported) {
    let model = contoso();
    let t = read(dir).unwrap();
    let mut imp = imported(&t);
    users::read(&dir.join("Get-CsUser.csv"), Platform::Lync, &mut imp).unwrap();
    (model, t, imp)
}

fn written(test: &str) -> PathBuf {
    let model = contoso();
    let files = voicetwin::model::export::topology::files(&model);
    let owned: Vec<(String, Vec<u8>)> = files.into_iter().map(|f| (f.name, f.bytes)).collect();
    let refs: Vec<(&str, &[u8])> = owned.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    folder(test, &refs)
}

#[test]
fn contosos_topology_and_users_survive_export_and_import() {
    let (model, t, imp) = round_trip(&written("round-trip"));
    // Sites: names, kinds, countries; a branch's parent is its region's central site.
    let want: Vec<(String, bool, Option<String>, Option<String>)> = model
        .sites
        .iter()
        .map(|s| {
            let central = s.kind == "central";
            let parent =
                (!central).then(|| model.regions.iter().find(|r| r.name == s.region).unwrap().central_site.clone());
            (s.name.clone(), central, parent, Some(s.country.clone()))
        })
        .collect();
    let got: Vec<_> =
        t.sites.iter().map(|s| (s.name.clone(), s.central, s.parent.clone(), s.country.clone())).collect();
    assert_eq!(got, want);
    assert_eq!(json(&t.registrar_pools), json(&model.registrar_pools));
    // Mediation pools: all but calls_per_server, which Lync's topology has no place for.
    let mut want = model.mediation_pools.clone();
    for p in &mut want {
        p.calls_per_server = None;
    }
    assert_eq!(json(&t.mediation_pools), json(&want));
    // Peers by FQDN: the site survives; the name becomes the FQDN.
    assert_eq!(t.peers.len(), model.peers.len());
    for p in &model.peers {
        let got = t.peers.iter().find(|x| x.fqdn == p.fqdn).unwrap_or_else(|| panic!("{} read back", p.fqdn));
        assert_eq!((got.name.as_str(), got.site.as_str()), (p.fqdn.as_str(), p.site.as_str()));
    }
    // Trunks keep their names (routes name them), pools, ports and transport; the peer is named by FQDN.
    let mut want = model.trunks.clone();
    for x in &mut want {
        x.peer = model.peers.iter().find(|p| p.name == x.peer).unwrap().fqdn.clone();
        x.max_calls = None;
    }
    let sorted = |mut v: Vec<serde_json::Value>| {
        v.sort_by_key(|x| x["name"].to_string());
        v
    };
    assert_eq!(sorted(t.trunks.iter().map(json).collect()), sorted(want.iter().map(json).collect()));
    // User groups: every field but the name, in number order.
    let strip = |g: &voicetwin::model::file::UserGroupFile| {
        let mut v = json(g);
        v["name"] = serde_json::Value::Null;
        v
    };
    let mut want: Vec<_> = model.user_groups.iter().collect();
    want.sort_by_key(|g| (g.first_number.len(), g.first_number.clone()));
    assert_eq!(
        imp.model.user_groups.iter().map(strip).collect::<Vec<_>>(),
        want.into_iter().map(strip).collect::<Vec<_>>()
    );
    assert_eq!(imp.model.user_groups.iter().map(|g| g.users).sum::<i64>(), 8320);
}

#[test]
fn the_exported_trunk_list_alone_gives_the_same_trunks() {
    let dir = written("trunk-list");
    let path = dir.join("Get-CsTopology.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut bare = String::new();
    let mut inside = false;
    for line in text.lines() {
        if line.contains("<Trunks>") {
            inside = true;
        }
        if !inside {
            bare.push_str(line);
            bare.push('\n');
        }
        if line.contains("</Trunks>") {
            inside = false;
        }
    }
    assert!(!bare.contains("<Trunk "));
    std::fs::write(&path, bare).unwrap();
    let from_list = read(&dir).unwrap();
    let from_document = read(&written("trunk-document")).unwrap();
    assert_eq!(trunk_summary(&from_list), trunk_summary(&from_document));
    assert_eq!(from_list.trunks.len(), 10);
}

#[test]
fn voicetwin_export_writes_the_topology_trunks_and_users() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-topology-cli-export");
    let _ = std::fs::remove_dir_all(&out);
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/contoso.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["export", "--model", model.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in ["Get-CsTopology.xml", "Get-CsTrunk.json", "Get-CsUser.csv"] {
        assert!(out.join(name).is_file(), "{name} written");
    }
    let csv = std::fs::read_to_string(out.join("Get-CsUser.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 8320, "a header and one row per user");
    assert!(csv.starts_with(
        "SipAddress,LineURI,RegistrarPool,DialPlan,VoicePolicy,LocationPolicy,Site,EnterpriseVoiceEnabled"
    ));
    let (_, t, _) = round_trip(&out);
    assert_eq!(t.trunks.len(), 10);
}
