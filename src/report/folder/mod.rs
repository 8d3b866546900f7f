//! Results folders that cannot hurt: voicetwin writes, replaces and removes
//! only files it wrote itself, never through a symbolic link, and never
//! leaves a folder that reads as complete when it is not.
//!
//! A folder's `manifest.json` lists every file voicetwin wrote there, with
//! its size and FNV-1a hash. A writer holds `.voicetwin.lock` (so two
//! commands never mix their files), marks the manifest `writing` before it
//! replaces the first file, writes each file to a temporary name and
//! renames it into place, removes only files the previous manifest lists
//! that this write did not replace, and marks the manifest `complete`
//! last. A reader accepts only a complete manifest whose files are all
//! present with the listed size and hash, and reads only the files it
//! lists: a file left by an earlier run, or put there by a user, is never
//! read as part of the results.

use std::collections::BTreeMap;
use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::schema::table::{write_csv, CsvRow};
use crate::analysis::schema::{self, ResultFile};

/// The file that lists what voicetwin wrote in a folder.
pub const MANIFEST: &str = "manifest.json";
/// The file a writer holds while it writes.
const LOCK: &str = ".voicetwin.lock";
/// Temporary files start with this, in the folder they are renamed in.
pub const TEMP_PREFIX: &str = ".voicetwin-tmp-";
/// The manifest's format; a reader refuses another.
const FORMAT: u32 = 1;

/// Why a folder cannot be written or read.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder (or a file in the way) is the user's: choose another
    /// folder or move the file (exit 2).
    #[error("{0}")]
    Refused(String),
    /// Not a complete results folder (exit 2).
    #[error("{0}")]
    Incomplete(String),
    /// The system refused a read or write (exit 1).
    #[error("{0}")]
    Io(String),
}

/// What a file is part of: the results a command wrote, or the report
/// drawn from them (replaced whenever the results are).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Results,
    Report,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum State {
    /// Files are being replaced: the folder is not a result.
    Writing,
    Complete,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    name: String,
    role: Role,
    bytes: u64,
    fnv1a64: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    written_by: String,
    /// The command whose results these are (run, whatif, sweep, plan).
    command: String,
    state: State,
    files: Vec<Entry>,
    /// Files a writer had begun to write when it last marked the
    /// manifest: voicetwin's, whatever state they are in.
    #[serde(default)]
    pending: Vec<String>,
}

impl Manifest {
    fn owns(&self, name: &str) -> bool {
        self.files.iter().any(|e| e.name == name) || self.pending.iter().any(|p| p == name)
    }
}

/// FNV-1a, 64 bits: enough to tell a replaced or truncated file, and a
/// few lines where a hashing crate would be a dependency for one use.
fn fnv1a64(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A name voicetwin writes: one file in the folder or in its `charts/`,
/// never a path that leaves it.
fn valid_name(name: &str) -> bool {
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
    };
    match name.split_once('/') {
        Some(("charts", file)) => plain(file),
        Some(_) => false,
        None => plain(name) && name != MANIFEST,
    }
}

fn io_error(path: &Path, what: &str, e: io::Error) -> FolderError {
    FolderError::Io(format!("{}: cannot {what}: {e}", path.display()))
}

/// What is at a path, without following a symbolic link.
enum Found {
    Nothing,
    File,
    Link,
    Other,
}

fn found(path: &Path) -> Result<Found, FolderError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(Found::Link),
        Ok(m) if m.is_file() => Ok(Found::File),
        Ok(_) => Ok(Found::Other),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Found::Nothing),
        Err(e) => Err(io_error(path, "inspect it", e)),
    }
}

/// Reads a folder's manifest, `None` when it has none.
fn read_manifest(dir: &Path) -> Result<Option<Manifest>, FolderError> {
    let path = dir.join(MANIFEST);
    match found(&path)? {
        Found::Nothing => return Ok(None),
        Found::File => {}
        _ => {
            return Err(FolderError::Refused(format!(
                "{}: is not a manifest voicetwin wrote (not a plain file); choose another folder",
                path.display()
            )))
        }
    }
    let text = fs::read_to_string(&path).map_err(|e| io_error(&path, "read it", e))?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        FolderError::Refused(format!(
            "{}: is not a manifest voicetwin wrote ({e}); choose another folder",
            path.display()
        ))
    })?;
    if m.format != FORMAT {
        return Err(FolderError::Refused(format!(
            "{}: manifest format {} (this voicetwin reads format {FORMAT})",
            path.display(),
            m.format
        )));
    }
    if let Some(bad) =
        m.files.iter().map(|e| e.name.as_str()).chain(m.pending.iter().map(String::as_str)).find(|n| !valid_name(n))
    {
        return Err(FolderError::Refused(format!(
            "{}: lists `{bad}`, not a name voicetwin writes; choose another folder",
            path.display()
        )));
    }
    Ok(Some(m))
}

/// Writes a file by a temporary name beside it and a rename: the name
/// holds the old file or the new one, never a part, and a symbolic link
/// in the way is replaced, never followed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = parent.join(format!("{TEMP_PREFIX}{}-{file}", std::process::id()));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A folder being written by one command.
pub struct ResultsFolder {
    dir: PathBuf,
    role: Role,
    command: String,
    previous: Option<Manifest>,
    /// Entries kept from the previous manifest (the results, when a
    /// report is written).
    kept: Vec<Entry>,
    written: BTreeMap<String, Entry>,
    pending: Vec<String>,
    _lock: Lock,
}

impl ResultsFolder {
    /// Opens `dir` for a command's results, before any work: creates it,
    /// takes its lock, and refuses when a file the command will write
    /// (`names`) is in the way and not voicetwin's. The results already
    /// there stay valid until the first file is written.
    pub fn create(dir: &Path, command: &str, names: &[String]) -> Result<Self, FolderError> {
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(FolderError::Refused(format!("{}: exists and is not a folder", dir.display()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", e))?
            }
            Err(e) => return Err(io_error(dir, "inspect it", e)),
        }
        let lock = Lock::take(dir)?;
        let previous = read_manifest(dir)?;
        let folder = Self {
            dir: dir.to_owned(),
            role: Role::Results,
            command: command.to_owned(),
            previous,
            kept: vec![],
            written: BTreeMap::new(),
            pending: vec![],
            _lock: lock,
        };
        folder.ready(names)
    }

    /// Opens a complete results folder to add its report to.
    /// `names` are the files the report may write, all checked before
    /// any is: a user's file in the way is refused with nothing written.
    pub fn for_report(dir: &Path, names: &[String]) -> Result<(Self, Completed), FolderError> {
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(FolderError::Incomplete(format!(
                    "{}: is a file; give the results folder a command wrote",
                    dir.display()
                )))
            }
            _ => return Err(FolderError::Incomplete(format!("{}: no such folder", dir.display()))),
        }
        let lock = Lock::take(dir)?;
        let done = Completed::open(dir)?;
        let kept = done.manifest.files.iter().filter(|e| e.role == Role::Results).cloned().collect();
        let folder = Self {
            dir: dir.to_owned(),
            role: Role::Report,
            command: done.manifest.command.clone(),
            previous: Some(done.manifest.clone()),
            kept,
            written: BTreeMap::new(),
            pending: vec![],
            _lock: lock,
        };
        Ok((folder.ready(names)?, done))
    }

    /// A folder just opened, its lock held: an unfinished writer's
    /// temporaries gone, and every name to be written checked before any
    /// is, so that a file in the way stops the command before its work.
    fn ready(self, names: &[String]) -> Result<Self, FolderError> {
        self.clean_temporaries()?;
        for name in names {
            self.check_writable(name)?;
        }
        Ok(self)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Temporary files of a writer that did not finish (the lock is ours,
    /// so no other writer's).
    fn clean_temporaries(&self) -> Result<(), FolderError> {
        for sub in [self.dir.clone(), self.dir.join("charts")] {
            if !matches!(found(&sub)?, Found::Other) {
                continue;
            }
            let Ok(entries) = fs::read_dir(&sub) else { continue };
            for e in entries.flatten() {
                let ours = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
                if ours && e.file_type().is_ok_and(|t| t.is_file()) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        Ok(())
    }

    fn owned(&self, name: &str) -> bool {
        self.written.contains_key(name) || self.previous.as_ref().is_some_and(|m| m.owns(name))
    }

    /// Whether the file voicetwin wrote at `name` is still as it wrote it:
    /// one a user has since changed (its size or hash is not the
    /// manifest's) is the user's now. A name an unfinished writer was
    /// writing (`pending`) has no size to compare and stays voicetwin's.
    fn unchanged(&self, name: &str) -> Result<bool, FolderError> {
        if self.written.contains_key(name) {
            return Ok(true);
        }
        let Some(m) = &self.previous else { return Ok(false) };
        if m.pending.iter().any(|p| p == name) {
            return Ok(true);
        }
        let Some(entry) = m.files.iter().find(|e| e.name == name) else { return Ok(false) };
        let path = self.dir.join(name);
        let (bytes, hash) = stream::hash_file(&path).map_err(|e| io_error(&path, "read it", e))?;
        Ok(bytes == entry.bytes && hash == entry.fnv1a64)
    }

    /// A name this writer may write: a valid name, in a real folder, and
    /// either free or a plain file voicetwin wrote.
    fn check_writable(&self, name: &str) -> Result<PathBuf, FolderError> {
        if !valid_name(name) {
            return Err(FolderError::Io(format!("{}: `{name}` is not a name voicetwin writes", self.dir.display())));
        }
        if let Some((sub, _)) = name.split_once('/') {
            let path = self.dir.join(sub);
            match found(&path)? {
                Found::Link => {
                    return Err(FolderError::Refused(format!(
                        "{}: is a symbolic link; voicetwin writes only into a real folder (remove the link or \
                         choose another folder)",
                        path.display()
                    )))
                }
                Found::File => {
                    return Err(FolderError::Refused(format!("{}: is a file, not a folder", path.display())))
                }
                _ => {}
            }
        }
        let path = self.dir.join(name);
        match found(&path)? {
            Found::Nothing => Ok(path),
            Found::File if self.owned(name) => {
                if self.unchanged(name)? {
                    Ok(path)
                } else {
                    Err(FolderError::Refused(format!(
                        "{}: has changed since voicetwin wrote it (its size or hash is not the one {MANIFEST} \
                         lists), so it is yours now and left alone (move it away or choose another folder)",
                        path.display()
                    )))
                }
            }
            Found::Link => Err(FolderError::Refused(format!(
                "{}: is a symbolic link voicetwin did not write; it is left alone (move it away or choose \
                 another folder)",
                path.display()
            ))),
            _ => Err(FolderError::Refused(format!(
                "{}: exists and voicetwin has no record of writing it (no {MANIFEST} lists it); it is left \
                 alone (move it away or choose another folder)",
                path.display()
            ))),
        }
    }

    /// Saves the manifest by a temporary name and a rename.
    fn save(&self, state: State, files: Vec<Entry>, pending: Vec<String>) -> Result<(), FolderError> {
        let m = Manifest {
            format: FORMAT,
            written_by: format!("voicetwin {}", env!("CARGO_PKG_VERSION")),
            command: self.command.clone(),
            state,
            files,
            pending,
        };
        let text = serde_json::to_string_pretty(&m).map_err(|e| FolderError::Io(e.to_string()))? + "\n";
        let path = self.dir.join(MANIFEST);
        write_atomic(&path, text.as_bytes()).map_err(|e| io_error(&path, "write it", e))
    }

    /// The entries the folder holds while this writer works: the previous
    /// manifest's (all voicetwin's) and what it wrote.
    fn journal_files(&self) -> Vec<Entry> {
        let mut files: Vec<Entry> = self.previous.as_ref().map(|m| m.files.clone()).unwrap_or_default();
        files.retain(|e| !self.written.contains_key(&e.name));
        files.extend(self.written.values().cloned());
        files
    }

    /// Records `name` in the manifest before it is touched: an
    /// interrupted writer leaves a manifest that still owns every file it
    /// may have written.
    fn note_pending(&mut self, name: &str) -> Result<(), FolderError> {
        if !self.pending.iter().any(|p| p == name) {
            self.pending.push(name.to_owned());
            let mut pending = self.previous.as_ref().map(|m| m.pending.clone()).unwrap_or_default();
            pending.extend(self.pending.iter().cloned());
            let state = match self.role {
                Role::Results => State::Writing,
                // A report leaves the results as they were.
                Role::Report => self.previous.as_ref().map_or(State::Writing, |m| m.state),
            };
            self.save(state, self.journal_files(), pending)?;
        }
        Ok(())
    }

    /// Writes one file (`name` or `charts/name`).
    pub fn write(&mut self, name: &str, bytes: impl AsRef<[u8]>) -> Result<(), FolderError> {
        let bytes = bytes.as_ref();
        let path = self.check_writable(name)?;
        if let Some((sub, _)) = name.split_once('/') {
            let d = self.dir.join(sub);
            if matches!(found(&d)?, Found::Nothing) {
                fs::create_dir(&d).map_err(|e| io_error(&d, "create the folder", e))?;
            }
        }
        self.note_pending(name)?;
        write_atomic(&path, bytes).map_err(|e| io_error(&path, "write it", e))?;
        let entry =
            Entry { name: name.to_owned(), role: self.role, bytes: bytes.len() as u64, fnv1a64: fnv1a64(bytes) };
        self.written.insert(name.to_owned(), entry);
        Ok(())
    }

    /// Writes a JSON results file through its schema type.
    pub fn write_json<T: ResultFile>(&mut self, value: &T) -> Result<(), FolderError> {
        let text = schema::to_json(value).map_err(|e| FolderError::Io(format!("{}: {e}", T::FILE)))?;
        self.write(T::FILE, text)
    }

    /// Writes a CSV results file, row by row, through its row type.
    pub fn write_csv<R: CsvRow>(&mut self, rows: impl IntoIterator<Item = R>) -> Result<(), FolderError> {
        let text = write_csv(rows).map_err(|e| FolderError::Io(format!("{}: {e}", R::FILE)))?;
        self.write(R::FILE, text)
    }

    /// Removes voicetwin's files of the previous write that this one did
    /// not replace, then marks the folder complete.
    pub fn commit(self) -> Result<PathBuf, FolderError> {
        let stale: Vec<String> = match &self.previous {
            None => vec![],
            Some(m) => m
                .files
                .iter()
                .filter(|e| self.role == Role::Results || e.role == Role::Report)
                .map(|e| e.name.clone())
                .chain(m.pending.iter().cloned())
                .filter(|n| !self.written.contains_key(n) && !self.kept.iter().any(|k| &k.name == n))
                .collect(),
        };
        for name in &stale {
            let path = self.dir.join(name);
            // Only a plain file as voicetwin wrote it: a link or folder by
            // that name, or a file changed since, is not ours.
            if matches!(found(&path)?, Found::File) && self.unchanged(name)? {
                fs::remove_file(&path).map_err(|e| io_error(&path, "remove it", e))?;
            }
        }
        let mut files = self.kept.clone();
        files.extend(self.written.values().cloned());
        files.sort_by(|a, b| a.name.cmp(&b.name));
        self.save(State::Complete, files, vec![])?;
        Ok(self.dir.clone())
    }
}

/// A complete results folder, for reading.
pub struct Completed {
    dir: PathBuf,
    manifest: Manifest,
}

impl Completed {
    /// Opens `dir` when its manifest is complete and every results file it
    /// lists is there as written.
    pub fn open(dir: &Path) -> Result<Self, FolderError> {
        let Some(manifest) = read_manifest(dir)? else {
            return Err(FolderError::Incomplete(format!(
                "{}: not a complete results folder (no {MANIFEST}: voicetwin did not write it, or the command \
                 writing it did not finish); run the command again",
                dir.display()
            )));
        };
        if manifest.state != State::Complete {
            return Err(FolderError::Incomplete(format!(
                "{}: not a complete results folder (the `{}` writing it did not finish); run it again",
                dir.display(),
                manifest.command
            )));
        }
        for e in manifest.files.iter().filter(|e| e.role == Role::Results) {
            let path = dir.join(&e.name);
            // Hashed a block at a time: a what-if's results can be larger
            // than the memory a report needs.
            let now = match found(&path)? {
                Found::File => stream::hash_file(&path).ok(),
                _ => None,
            };
            let what = match now {
                Some((bytes, fnv)) if bytes == e.bytes && fnv == e.fnv1a64 => continue,
                Some((bytes, _)) if bytes == e.bytes => {
                    format!("changed since voicetwin wrote it (the same {bytes} bytes, but not the content {MANIFEST} records)")
                }
                Some((bytes, _)) => {
                    format!("changed since voicetwin wrote it ({bytes} bytes, where {MANIFEST} records {})", e.bytes)
                }
                None => "missing, or not a file voicetwin can read".to_owned(),
            };
            return Err(FolderError::Incomplete(format!(
                "{}: {what}; the folder is not a complete result: run the command again",
                path.display()
            )));
        }
        Ok(Self { dir: dir.to_owned(), manifest })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The command that wrote the results.
    pub fn command(&self) -> &str {
        &self.manifest.command
    }

    /// The results files, by name.
    pub fn results(&self) -> impl Iterator<Item = &str> {
        self.manifest.files.iter().filter(|e| e.role == Role::Results).map(|e| e.name.as_str())
    }

    /// Whether the results include `name`.
    pub fn has(&self, name: &str) -> bool {
        self.manifest.files.iter().any(|e| e.role == Role::Results && e.name == name)
    }

    /// The text of a results file, `None` when the results have no such
    /// file (whatever else is in the folder).
    pub fn text(&self, name: &str) -> Result<Option<String>, FolderError> {
        if !self.has(name) {
            return Ok(None);
        }
        let path = self.dir.join(name);
        fs::read_to_string(&path).map(Some).map_err(|e| io_error(&path, "read it", e))
    }

    /// A results file opened for reading a block at a time, `None` when
    /// the results have no such file: for files too large to hold whole.
    pub fn reader(&self, name: &str) -> Result<Option<io::BufReader<fs::File>>, FolderError> {
        if !self.has(name) {
            return Ok(None);
        }
        let path = self.dir.join(name);
        fs::File::open(&path).map(|f| Some(io::BufReader::new(f))).map_err(|e| io_error(&path, "read it", e))
    }
}

mod lock;
mod stream;

pub use stream::Streamed;
#[cfg(test)]
mod tests;

use lock::Lock;
