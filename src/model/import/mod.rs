//! Importers of real configuration: a folder of `Get-Cs*` exports (Lync
//! Server 2013, Skype for Business Server, or Teams Direct Routing) to a
//! model file (docs/import.md).
//!
//! Reading is in layers: [`text`] turns whatever PowerShell wrote into
//! text, [`object`] reads one exported object by the cmdlet's property
//! names in all the forms `ConvertTo-Json` gives them, [`identity`]
//! parses scopes; [`lync`] and [`teams`] map the cmdlets' objects onto the
//! model's raw form ([`ModelFile`]), and [`write`] writes it as TOML with a
//! `# TODO` comment for every value the exports cannot give.

pub mod error;
pub mod folder;
pub mod identity;
pub mod lync;
pub mod object;
pub mod teams;
pub mod text;
pub mod topology;
pub mod users;
pub mod write;

use std::path::{Path, PathBuf};

pub use error::{ExportProblem, ImportError};
use folder::Exports;

use super::file::ModelFile;

/// Teams Direct Routing has no Mediation pool: Microsoft's SIP proxies
/// (`sip.pstnhub.microsoft.com`, `sip2`, `sip3`) take its place. An
/// imported Teams model stands them in as one Mediation pool of this FQDN.
pub const TEAMS_SIP_PROXY: &str = "sip.pstnhub.microsoft.com";
/// The stand-in Registrar pool of Teams users (homed in Microsoft's cloud).
pub const TEAMS_REGISTRAR: &str = "teams.microsoft.com";

/// Which product's cmdlets the folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// Lync Server 2013 or Skype for Business Server (`Get-CsVoiceRoute`, ...).
    Lync,
    /// Teams Direct Routing (`Get-CsOnlineVoiceRoute`, ...).
    Teams,
}

impl Platform {
    pub fn name(self) -> &'static str {
        match self {
            Platform::Lync => "lync",
            Platform::Teams => "teams",
        }
    }
}

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The platform; guessed from the files when absent.
    pub platform: Option<Platform>,
    /// A `Get-CsUser | Export-Csv` (or `Get-CsOnlineUser`) file.
    pub users_csv: Option<PathBuf>,
}

/// A value the exports cannot give, written as a `# TODO` comment above
/// its object so `voicetwin check` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    /// The model's table (`wan_link`), or empty for the model as a whole.
    pub table: String,
    /// The object's name, FQDN or scope, as its identifying field holds it.
    pub key: String,
    /// The field to fill, or empty for the object as a whole.
    pub field: String,
    /// Why the exports cannot say it, and what to put there.
    pub why: String,
}

impl Todo {
    pub fn new(table: &str, key: &str, field: &str, why: impl Into<String>) -> Self {
        Self { table: table.into(), key: key.into(), field: field.into(), why: why.into() }
    }
}

/// An imported model: its raw form, what is left to fill, and notes on
/// what was read.
#[derive(Debug, Default)]
pub struct Imported {
    pub model: ModelFile,
    pub todos: Vec<Todo>,
    /// Lines for the file's header: what was read, what was not modelled.
    pub notes: Vec<String>,
}

/// Reads the export folder `dir` into a model.
pub fn import(dir: &Path, options: &Options) -> Result<(Platform, Imported), ImportError> {
    let exports = Exports::open(dir)?;
    let platform = match options.platform {
        Some(p) => p,
        None => guess(&exports)?,
    };
    let mut imported = match platform {
        Platform::Lync => lync::read(&exports)?,
        Platform::Teams => teams::read(&exports)?,
    };
    if imported.model.network.name.is_empty() {
        // No cmdlet names the deployment; its folder usually does.
        let folder = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
        imported.model.network.name = folder.unwrap_or_else(|| "Imported".to_owned());
    }
    let csv = match &options.users_csv {
        Some(p) => Some(p.clone()),
        None => ["Get-CsUser", "Get-CsOnlineUser"].iter().find_map(|c| exports.path(c, "csv").map(Path::to_path_buf)),
    };
    match csv {
        Some(path) => users::read(&path, platform, &mut imported)?,
        None => imported.todos.push(Todo::new(
            "",
            "",
            "user_group",
            "no user list: give `--users-csv` (Get-CsUser | Export-Csv) or add [[user_group]] tables \
             (site, registrar_pool, users, first_number); without them the model routes only from sites \
             and trunks",
        )),
    }
    for f in &exports.ignored {
        imported.notes.push(format!("not read: {f} (no cmdlet of that name is imported)"));
    }
    Ok((platform, imported))
}

/// The platform of a folder: Teams when it holds `Get-CsOnline*` or
/// `Get-CsTenant*` exports and no Lync routing ones.
pub fn guess(exports: &Exports) -> Result<Platform, ImportError> {
    let teams: Vec<&str> = exports
        .keys()
        .filter(|k| {
            k.starts_with("csonline") && !k.starts_with("csonlineuser")
                || k.starts_with("cstenantdialplan")
                || k.starts_with("csteamstranslationrule")
        })
        .collect();
    let mut lync: Vec<&str> =
        ["Get-CsVoiceRoute", "Get-CsDialPlan", "Get-CsVoicePolicy", "Get-CsTrunkConfiguration", "Get-CsPstnUsage"]
            .into_iter()
            .filter(|c| exports.has(c))
            .collect();
    if exports.path("Get-CsTopology", "xml").is_some() {
        lync.push("Get-CsTopology");
    }
    match (!lync.is_empty(), !teams.is_empty()) {
        (true, false) => Ok(Platform::Lync),
        (false, true) => Ok(Platform::Teams),
        (true, true) => Err(ImportError::File {
            path: exports.dir.display().to_string(),
            message: format!(
                "holds both Lync/Skype for Business exports ({}) and Teams ones ({}); say which with \
                 --format lync or --format teams",
                lync.join(", "),
                teams.iter().map(|k| exports.file_name(k)).collect::<Vec<_>>().join(", ")
            ),
        }),
        (false, false) => Err(ImportError::File {
            path: exports.dir.display().to_string(),
            message: "holds no voice routing export (Get-CsVoiceRoute.json or Get-CsOnlineVoiceRoute.json, ...)".into(),
        }),
    }
}
