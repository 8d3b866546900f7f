//! The folder's lock: one writer at a time, and a lock whose writer is
//! gone (killed, or its pid now another process's) is stale and taken
//! over.

use std::fs::{self, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{found, io_error, FolderError, Found, LOCK};

/// Held while writing a folder; removed when dropped.
pub(super) struct Lock {
    path: PathBuf,
}

impl Lock {
    pub(super) fn take(dir: &Path) -> Result<Self, FolderError> {
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let me = std::process::id();
                    // The start time tells this process from a later one
                    // given the same number.
                    let _ = match started(me) {
                        Some(t) => writeln!(f, "{me} {t}"),
                        None => writeln!(f, "{me}"),
                    };
                    return Ok(Self { path });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if matches!(found(&path)?, Found::Link | Found::Other) {
                        return Err(FolderError::Refused(format!(
                            "{}: is not a lock voicetwin wrote; remove it or choose another folder",
                            path.display()
                        )));
                    }
                    let holder = fs::read_to_string(&path).unwrap_or_default();
                    let mut words = holder.split_whitespace();
                    let pid = words.next().and_then(|w| w.parse::<u32>().ok());
                    let start = words.next().and_then(|w| w.parse::<u64>().ok());
                    if let Some(pid) = pid.filter(|&p| alive(p, start)) {
                        return Err(FolderError::Refused(format!(
                            "{}: another voicetwin (process {pid}) is writing this folder; wait for it or choose \
                             another folder (if no voicetwin runs, remove {})",
                            dir.display(),
                            path.display()
                        )));
                    }
                    // Its writer is gone: the lock is stale.
                    fs::remove_file(&path).map_err(|e| io_error(&path, "remove a stale lock", e))?;
                }
                Err(e) => return Err(io_error(dir, "write in it", e)),
            }
        }
        Err(FolderError::Refused(format!("{}: cannot take the folder's lock", dir.display())))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the process that wrote a lock still runs (Linux: its `/proc`
/// entry, started when the lock says, when it says). Where this cannot be
/// told, a lock is taken to be held.
pub(super) fn alive(pid: u32, start: Option<u64>) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    match (start, process(pid)) {
        // A killed writer stays a zombie until its parent reaps it.
        (_, Some((ref state, _))) if matches!(state.as_str(), "Z" | "X") => false,
        (Some(want), Some((_, now))) => want == now,
        (_, found) => found.is_some(),
    }
}

/// When process `pid` started, in clock ticks since boot.
pub(super) fn started(pid: u32) -> Option<u64> {
    process(pid).map(|(_, start)| start)
}

/// Process `pid`'s state and start time: fields 3 and 22 of
/// `/proc/PID/stat`, read after the command name, which may hold spaces.
pub(super) fn process(pid: u32) -> Option<(String, u64)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.to_owned();
    Some((state, fields.nth(18)?.parse().ok()?))
}
