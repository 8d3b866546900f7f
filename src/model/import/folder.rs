//! The export folder: one file per cmdlet, found by the cmdlet's name.
//!
//! `Get-CsDialPlan.json`, `CsDialPlan.json` and `get-csdialplan.json` are
//! all the export of `Get-CsDialPlan` (the key is the file's stem in
//! lower case without `get-`); the topology is the `.xml` file whose stem
//! is `Get-CsTopology` or `CsTopology`, the users the `.csv` of
//! `Get-CsUser` or `Get-CsOnlineUser`. Other files are left alone and listed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::error::{ImportError, Problems};
use super::object::CmdletObject;

/// Files, by cmdlet key (`csdialplan`), of one export folder.
#[derive(Debug)]
pub struct Exports {
    pub dir: PathBuf,
    files: BTreeMap<String, PathBuf>,
    /// Files whose name is no cmdlet's export: listed, not read.
    pub ignored: Vec<String>,
}

/// A file's cmdlet key: `Get-CsDialPlan.json` → `csdialplan`.
pub fn key(stem: &str) -> String {
    let s = stem.trim().to_ascii_lowercase();
    let s = s.strip_prefix("get-").unwrap_or(&s);
    s.replace([' ', '_'], "-")
}

impl Exports {
    /// The files of `dir` (not its subfolders).
    pub fn open(dir: &Path) -> Result<Self, ImportError> {
        let fail = |message: String| ImportError::File { path: dir.display().to_string(), message };
        let entries = std::fs::read_dir(dir).map_err(|e| fail(format!("cannot read the export folder: {e}")))?;
        let mut files = BTreeMap::new();
        let mut ignored = Vec::new();
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| fail(format!("cannot read the export folder: {e}")))?;
            let path = entry.path();
            if path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let name = path.file_name().and_then(|s| s.to_str()).unwrap_or("").to_owned();
            // `voicetwin export`'s own manifest and hidden files are not exports.
            if name == "manifest.json" || name.starts_with('.') {
                continue;
            }
            if !matches!(ext.as_str(), "json" | "xml" | "csv") || !key(stem).starts_with("cs") {
                ignored.push(name);
                continue;
            }
            let k = format!("{}.{ext}", key(stem));
            if let Some(other) = files.insert(k, path.clone()) {
                return Err(fail(format!(
                    "both {} and {name} are the same cmdlet's export; keep one",
                    other.file_name().and_then(|s| s.to_str()).unwrap_or("")
                )));
            }
        }
        if files.is_empty() {
            return Err(fail(
                "no cmdlet exports here: expected files named after their cmdlet, like Get-CsVoiceRoute.json \
                 (docs/import.md)"
                    .into(),
            ));
        }
        Ok(Self { dir: dir.to_owned(), files, ignored })
    }

    /// The file of `cmdlet` (`Get-CsDialPlan`) with extension `ext`.
    pub fn path(&self, cmdlet: &str, ext: &str) -> Option<&Path> {
        self.files.get(&format!("{}.{ext}", key(cmdlet))).map(PathBuf::as_path)
    }

    /// Whether the folder holds `cmdlet`'s JSON export.
    pub fn has(&self, cmdlet: &str) -> bool {
        self.path(cmdlet, "json").is_some()
    }

    /// The file name a key (`csdialplan.json`) was found under.
    pub fn file_name(&self, key: &str) -> String {
        self.files
            .get(key)
            .and_then(|p| p.file_name())
            .map_or_else(|| key.to_owned(), |n| n.to_string_lossy().into_owned())
    }

    /// Every cmdlet key found, with its extension (`csdialplan.json`).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The decoded text of a file, and its name for errors.
    pub fn text(&self, cmdlet: &str, ext: &str) -> Result<Option<(String, String)>, ImportError> {
        let Some(path) = self.path(cmdlet, ext) else { return Ok(None) };
        let shown = path.display().to_string();
        let bytes =
            std::fs::read(path).map_err(|e| ImportError::File { path: shown.clone(), message: e.to_string() })?;
        let text = super::text::decode(&bytes).map_err(|message| ImportError::File { path: shown.clone(), message })?;
        Ok(Some((shown, text)))
    }

    /// The objects of `cmdlet`'s JSON export; none when the folder has no such file.
    /// A file that cannot be read is one of the problems, and reads as
    /// holding nothing, so the other files are still checked.
    pub fn objects(&self, cmdlet: &str, problems: &mut Problems) -> Result<Vec<CmdletObject>, ImportError> {
        let (file, text) = match self.text(cmdlet, "json") {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => {
                problems.absorb(e);
                return Ok(Vec::new());
            }
        };
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        match serde_json::from_str(&text) {
            Ok(value) => Ok(CmdletObject::all_in(&file, value, problems)),
            Err(e) => {
                problems.push(&file, "", "", format!("not JSON as ConvertTo-Json writes it: {e}"));
                Ok(Vec::new())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cmdlet_is_found_by_any_spelling_of_its_name() {
        assert_eq!(key("Get-CsDialPlan"), "csdialplan");
        assert_eq!(key("CsDialPlan"), "csdialplan");
        assert_eq!(key("get-csdialplan"), "csdialplan");
        assert_eq!(key("Get-CsService-PstnGateway"), "csservice-pstngateway");
    }
}
