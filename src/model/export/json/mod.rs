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
