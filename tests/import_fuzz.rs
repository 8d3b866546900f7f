//! No export, however malformed, makes the import panic; and a model the
//! import writes always loads (what would not load is an import error or
//! a placeholder with its TODO, docs/import.md).

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use voicetwin::model::import::{self, write, Options, Platform};

const FILES: [&str; 8] = [
    "Get-CsVoiceRoute",
    "Get-CsDialPlan",
    "Get-CsVoicePolicy",
    "Get-CsPstnUsage",
    "Get-CsTrunkConfiguration",
    "Get-CsNetworkSite",
    "Get-CsLocationPolicy",
    "Get-CsNetworkRegion",
];

const TEAMS_FILES: [&str; 5] = [
    "Get-CsOnlineVoiceRoute",
    "Get-CsOnlinePSTNGateway",
    "Get-CsOnlineVoiceRoutingPolicy",
    "Get-CsTenantDialPlan",
    "Get-CsTeamsTranslationRule",
];

/// Property names the importers read, and a few they do not.
const PROPERTIES: [&str; 24] = [
    "Identity",
    "Name",
    "NumberPattern",
    "PstnUsages",
    "PstnGatewayList",
    "Priority",
    "NormalizationRules",
    "Usage",
    "OutboundTranslationRulesList",
    "SRTPMode",
    "NetworkRegionID",
    "CentralSite",
    "EmergencyDialString",
    "PstnUsage",
    "OnlinePstnUsages",
    "OnlinePstnGatewayList",
    "Fqdn",
    "MaxConcurrentSessions",
    "OutboundPstnNumberTranslationRules",
    "Pattern",
    "Translation",
    "Enabled",
    "FailoverResponseCodes",
    "Whatever",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("Global".to_owned()),
            Just("Site:A".to_owned()),
            Just("Tag:P".to_owned()),
            Just("PstnGateway:gw.example.com".to_owned()),
            Just("Local".to_owned()),
            Just(r"^(\d{4})$".to_owned()),
            Just("+1425555$1".to_owned()),
            Just("Name=x;Pattern=^1$;Translation=+1".to_owned()),
            "[ -~]{0,12}",
        ]
        .prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(&PROPERTIES[..]), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>())),
        ]
    })
}

/// A folder of its own for each case: `kind` apart, as both tests draw the
/// same tags from the same seed and run at once.
fn folder(files: &[(String, Value)], kind: &str, tag: u64) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-import-fuzz-{}-{kind}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, v) in files {
        std::fs::write(dir.join(format!("{name}.json")), v.to_string()).unwrap();
    }
    dir
}

fn import_and_load(dir: &std::path::Path, platform: Platform) -> Result<(), String> {
    let options = Options { platform: Some(platform), users_csv: None };
    let Ok((_, imported)) = import::import(dir, &options) else { return Ok(()) };
    let text = write::to_toml(&imported, &[]).map_err(|e| e.to_string())?;
    voicetwin::model::load_str(&text, "imported.toml").map(|_| ()).map_err(|e| format!("{e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn lync_exports_never_panic_and_what_is_written_loads(
        files in prop::collection::vec((prop::sample::select(&FILES[..]), value()), 1..5),
        tag in any::<u64>(),
    ) {
        let files: Vec<(String, Value)> = files.into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
        let dir = folder(&files, "lync", tag);
        let r = import_and_load(&dir, Platform::Lync);
        let _ = std::fs::remove_dir_all(&dir);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    #[test]
    fn teams_exports_never_panic_and_what_is_written_loads(
        files in prop::collection::vec((prop::sample::select(&TEAMS_FILES[..]), value()), 1..5),
        tag in any::<u64>(),
    ) {
        let files: Vec<(String, Value)> = files.into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
        let dir = folder(&files, "teams", tag);
        let r = import_and_load(&dir, Platform::Teams);
        let _ = std::fs::remove_dir_all(&dir);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }
}
