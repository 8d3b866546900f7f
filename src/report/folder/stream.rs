//! A results file written as a stream (a run's `cdr.csv`, too large to
//! hold): written to a temporary name beside it while the work runs, then
//! hashed, renamed into place and listed in the manifest like any other
//! file. A stream never finished leaves only its temporary, which the
//! next writer of the folder removes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _};
use std::path::{Path, PathBuf};

use super::{io_error, FolderError, ResultsFolder, TEMP_PREFIX};

/// A file being streamed into a folder; [`ResultsFolder::finish_stream`]
/// puts it in place. Dropped unfinished, its temporary is removed.
pub struct Streamed {
    name: String,
    temp: PathBuf,
    done: bool,
}

impl Drop for Streamed {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

/// The size and FNV-1a hash of a file, read a block at a time.
pub(super) fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut f = File::open(path)?;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut n = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        for b in &buf[..k] {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Ok((n, format!("{h:016x}")))
}

impl ResultsFolder {
    /// Begins results file `name`, written through the file returned (a
    /// new temporary beside its place); the folder's manifest owns it
    /// from now on.
    pub fn begin_stream(&mut self, name: &str) -> Result<(Streamed, File), FolderError> {
        self.check_writable(name)?;
        if name.contains('/') {
            return Err(FolderError::Io(format!("{}: `{name}`: a stream is written at the top", self.dir.display())));
        }
        self.note_pending(name)?;
        let temp = self.dir.join(format!("{TEMP_PREFIX}{}-stream-{name}", std::process::id()));
        let file =
            OpenOptions::new().write(true).create_new(true).open(&temp).map_err(|e| io_error(&temp, "create it", e))?;
        Ok((Streamed { name: name.to_owned(), temp, done: false }, file))
    }

    /// A path for a scratch file of the command's own inside the folder
    /// (`name` tells what it holds): a temporary name, which the command
    /// removes when done and the next writer of the folder removes if it
    /// was stopped first.
    pub fn scratch_path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{TEMP_PREFIX}{}-scratch-{name}", std::process::id()))
    }

    /// Puts a finished stream in place (its writer flushed and closed).
    pub fn finish_stream(&mut self, mut s: Streamed) -> Result<(), FolderError> {
        let path = self.check_writable(&s.name)?;
        File::open(&s.temp).and_then(|f| f.sync_all()).map_err(|e| io_error(&s.temp, "sync it", e))?;
        let (bytes, fnv1a64) = hash_file(&s.temp).map_err(|e| io_error(&s.temp, "read it", e))?;
        fs::rename(&s.temp, &path).map_err(|e| io_error(&path, "write it", e))?;
        s.done = true;
        let entry = super::Entry { name: s.name.clone(), role: self.role, bytes, fnv1a64 };
        self.written.insert(s.name.clone(), entry);
        Ok(())
    }
}
