//! The routing and call admission control configuration as `Get-Cs* |
//! ConvertTo-Json -Depth 10` writes it: one file per cmdlet, the cmdlet's
//! property names and `Identity` forms, nested objects as objects. The
//! exact inverse of `import::lync` (docs/import-lync.md lists what no
//! cmdlet carries and is lost).

mod cac;
mod voice;

use serde_json::Value;

use super::ExportFile;
use crate::model::file::ModelFile;
use crate::model::import::identity;

pub fn files(model: &ModelFile) -> Vec<ExportFile> {
    let mut out = voice::files(model);
    out.extend(cac::files(model));
    out
}

/// `cmdlet`'s export file holding `value`.
fn file(cmdlet: &str, value: Value) -> ExportFile {
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.extend_from_slice(b"\r\n");
    ExportFile { name: format!("{cmdlet}.json"), bytes }
}

/// A model scope as Lync's `Identity`: `site:X` → `Site:X`,
/// `PstnGateway:X` → `Service:PstnGateway:X`, a bare per-user name → `Tag:X`.
fn identity(scope: &str) -> String {
    match identity::parse(scope) {
        Ok((s, _)) => s.to_identity(),
        Err(_) => format!("Tag:{}", scope.trim()),
    }
}

/// Text or JSON null, as PowerShell writes an unset string.
fn text(v: Option<&String>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(files: &[ExportFile], name: &str) -> Value {
        let f = files.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("{name} written"));
        serde_json::from_slice(&f.bytes).unwrap()
    }

    #[test]
    fn scopes_are_written_as_lync_identities() {
        assert_eq!(identity("global"), "Global");
        assert_eq!(identity("site:Redmond"), "Site:Redmond");
        assert_eq!(identity("tag:Lobby"), "Tag:Lobby");
        assert_eq!(identity("Lobby"), "Tag:Lobby");
        assert_eq!(identity("PstnGateway:gw1"), "Service:PstnGateway:gw1");
    }

    #[test]
    fn contosos_objects_are_written_with_the_cmdlets_property_names() {
        let text = include_str!("../../../../models/contoso.toml");
        let model = crate::model::read_raw(text, "contoso.toml").unwrap();
        let files = files(&model);
        let routes = of(&files, "Get-CsVoiceRoute.json");
        let ld = routes.as_array().unwrap().iter().find(|r| r["Identity"] == "US-LongDistance").unwrap();
        assert_eq!(ld["PstnGatewayList"], serde_json::json!(["PstnGateway:gw-red-2-ld", "PstnGateway:gw-red-1"]));
        let configs = of(&files, "Get-CsTrunkConfiguration.json");
        let pbx = configs.as_array().unwrap().iter().find(|c| c["Identity"] == "Service:PstnGateway:pbx-red").unwrap();
        assert_eq!(pbx["SRTPMode"], 2);
        let rules = of(&files, "Get-CsVoiceNormalizationRule.json");
        assert_eq!(rules[0]["Identity"], "Global/Emergency");
        assert_eq!(rules[2]["Priority"], 2);
        let config = of(&files, "Get-CsNetworkConfiguration.json");
        assert_eq!(config["MediaBypassSettings"]["Enabled"], true);
        assert_eq!(config["MediaBypassSettings"]["AlwaysBypass"], false);
        assert_eq!(of(&files, "Get-CsPstnUsage.json")["Usage"][0], "US-Emergency");
    }
}
