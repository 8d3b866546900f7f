//! The what-if's cases once assembled, held so that memory does not grow
//! with the pairs: an N-2 of a large network has hundreds of thousands of
//! them, a kilobyte or two each. The singles stay in memory (a pair's
//! folding and a single's equivalents change them); each pair's result is
//! written once to a scratch file as it arrives, and memory keeps only what
//! ranking it needs (about 60 bytes a case). The ranked cases are read back
//! in rank order as the files are written.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::PathBuf;

use serde::ser::{Error as _, SerializeSeq as _};
use serde::{Deserialize, Serialize};

use super::{CaseDone, CaseResult};
use crate::analysis::schema::whatif::{CaseCounts, CaseList};

/// Where pairs' results wait for the ranking: a scratch file, or memory.
pub struct Spill {
    /// The scratch file's path while it is named (removed as soon as it
    /// is open where the system allows it, so nothing is left behind).
    path: Option<PathBuf>,
    /// What errors name it.
    name: String,
    to: Store,
    len: u64,
}

enum Store {
    /// Not created yet: nothing was spilled.
    Unopened,
    Writing(BufWriter<File>),
    Reading(File),
    Memory(Vec<u8>),
}

impl Spill {
    /// Pairs held in memory (a library caller's, and the tests').
    pub fn memory() -> Self {
        Self { path: None, name: "in memory".into(), to: Store::Memory(Vec::new()), len: 0 }
    }

    /// Pairs held in a scratch file at `path`, created when the first pair
    /// comes: a name no one else uses, inside the results folder the
    /// command holds the lock of.
    pub fn file(path: PathBuf) -> Self {
        Self { name: path.display().to_string(), path: Some(path), to: Store::Unopened, len: 0 }
    }

    /// Its path (or `in memory`), for errors.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Appends `bytes`; where they are.
    fn put(&mut self, bytes: &[u8]) -> io::Result<Held> {
        if let Store::Unopened = self.to {
            let path = self.path.as_ref().ok_or_else(|| io::Error::other("no scratch file"))?;
            let file = OpenOptions::new().read(true).write(true).create_new(true).open(path)?;
            // Unlinked at once where the system allows it: the file lives
            // as long as it is open, and nothing is left if the run stops.
            if fs::remove_file(path).is_ok() {
                self.path = None;
            }
            self.to = Store::Writing(BufWriter::with_capacity(1 << 20, file));
        }
        let at = self.len;
        match &mut self.to {
            Store::Writing(w) => w.write_all(bytes)?,
            Store::Memory(m) => m.extend_from_slice(bytes),
            Store::Unopened | Store::Reading(_) => return Err(io::Error::other("the scratch file is closed")),
        }
        self.len += bytes.len() as u64;
        let len = u32::try_from(bytes.len()).map_err(|_| io::Error::other("a case of more than 4 GB"))?;
        Ok(Held { at, len })
    }

    /// Done writing: from now on only read.
    pub fn close(&mut self) -> io::Result<()> {
        if let Store::Writing(_) = self.to {
            let Store::Writing(w) = std::mem::replace(&mut self.to, Store::Unopened) else { unreachable!() };
            self.to = Store::Reading(w.into_inner().map_err(|e| e.into_error())?);
        }
        Ok(())
    }

    /// The bytes of `held`.
    fn get(&self, held: Held) -> io::Result<Vec<u8>> {
        let mut bytes = vec![0; held.len as usize];
        match &self.to {
            Store::Reading(f) => {
                let mut f: &File = f;
                f.seek(SeekFrom::Start(held.at))?;
                f.read_exact(&mut bytes)?;
            }
            Store::Memory(m) => bytes.copy_from_slice(&m[held.at as usize..][..held.len as usize]),
            Store::Unopened | Store::Writing(_) => return Err(io::Error::other("the scratch file is not closed")),
        }
        Ok(bytes)
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if let Some(path) = &self.path {
            if !matches!(self.to, Store::Unopened | Store::Memory(_)) {
                let _ = fs::remove_file(path);
            }
        }
    }
}

/// Where a pair's record is in the scratch file.
#[derive(Debug, Clone, Copy)]
pub struct Held {
    at: u64,
    len: u32,
}

/// What the scratch file holds of a pair: its result, and its calls lost
/// per replication (to tell, exactly, whether it folds into a single).
#[derive(Serialize, Deserialize)]
pub struct PairRecord {
    pub result: CaseResult,
    pub lost: Vec<[u64; 3]>,
}

impl Spill {
    /// Writes a pair's record.
    pub fn put_pair(&mut self, record: &PairRecord) -> io::Result<Held> {
        let bytes = serde_json::to_vec(record).map_err(io::Error::other)?;
        self.put(&bytes)
    }

    /// Reads a pair's record back.
    pub fn pair(&self, held: Held) -> io::Result<PairRecord> {
        serde_json::from_slice(&self.get(held)?).map_err(io::Error::other)
    }
}

/// A ranked case: a single in memory (its place among the singles), or a
/// pair in the scratch file.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Single(u32),
    Pair(Held),
}

/// The what-if's ranked cases.
pub struct RankedCases {
    singles: Vec<CaseResult>,
    order: Vec<Place>,
    spill: Spill,
}

impl RankedCases {
    /// `order` ranks `singles` (whose ranks are set) and the pairs of
    /// `spill`.
    pub fn new(singles: Vec<CaseResult>, order: Vec<Place>, mut spill: Spill) -> io::Result<Self> {
        spill.close()?;
        Ok(Self { singles, order, spill })
    }

    /// No cases.
    pub fn empty() -> Self {
        Self { singles: Vec::new(), order: Vec::new(), spill: Spill::memory() }
    }

    /// Every case in memory, in rank order.
    pub fn into_vec(self) -> io::Result<Vec<CaseResult>> {
        let mut all = Vec::with_capacity(self.order.len());
        self.each(&mut |c| {
            all.push(c.clone());
            Ok(())
        })?;
        Ok(all)
    }
}

impl CaseCounts for RankedCases {
    fn count(&self) -> usize {
        self.order.len()
    }

    fn singles(&self) -> usize {
        self.order.iter().filter(|p| matches!(p, Place::Single(_))).count()
    }
}

impl CaseList for RankedCases {
    fn each(&self, f: &mut dyn FnMut(&CaseResult) -> io::Result<()>) -> io::Result<()> {
        for (i, place) in self.order.iter().enumerate() {
            match *place {
                Place::Single(s) => f(&self.singles[s as usize])?,
                Place::Pair(held) => {
                    let named = |e: io::Error| {
                        io::Error::other(format!("the what-if's scratch file of pairs ({}): {e}", self.spill.name()))
                    };
                    let mut result = self.spill.pair(held).map_err(named)?.result;
                    result.rank = i + 1;
                    f(&result)?
                }
            }
        }
        Ok(())
    }
}

/// Written as the list of cases `whatif.json` holds, read back one at a
/// time.
impl Serialize for RankedCases {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.order.len()))?;
        let mut failed: Option<S::Error> = None;
        let read = self.each(&mut |c| {
            seq.serialize_element(c).map_err(|e| {
                failed = Some(e);
                io::Error::other("")
            })
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// What ranks a case: its calls lost, change of grade of service and of
/// post-dial delay (means), as `schema::whatif::ORDER` states.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub lost: f64,
    pub gos: f64,
    pub pdd: f64,
}

impl Key {
    pub fn of(r: &CaseResult) -> Self {
        Self {
            lost: r.calls_lost.mean,
            gos: r.grade_of_service_delta.map_or(0.0, |e| e.mean),
            pdd: r.pdd_delta_ms.map_or(0.0, |e| e.mean),
        }
    }
}

/// A pair being assembled: in the scratch file, with what ranks it and
/// tells whether it folds into a single.
pub struct PairHeld {
    pub held: Held,
    pub key: Key,
    /// Of its calls lost per replication ([`digest`]).
    pub digest: u64,
    pub sum: bool,
    pub folded: bool,
}

impl PairHeld {
    /// Writes pair `d` to `spill`.
    pub fn put(spill: &mut Spill, d: CaseDone) -> io::Result<Self> {
        let (key, digest, sum) = (Key::of(&d.result), digest(&d.lost), d.result.sum_of_singles);
        let held = spill.put_pair(&PairRecord { result: d.result, lost: d.lost })?;
        Ok(Self { held, key, digest, sum, folded: false })
    }
}

/// A case's place while the parts are read.
pub enum Slot {
    Missing,
    Single(Box<CaseDone>),
    Pair(PairHeld),
}

/// FNV-1a of calls lost per replication: a pair is compared with a single
/// only when these agree (then exactly, its record read back).
pub fn digest(lost: &[[u64; 3]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in lost.iter().flatten().flat_map(|x| x.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> PairRecord {
        let case = r#"{"rank":0,"elements":["peer:a","peer:b"],"trunks_down":2,"links_down":0,"registrar_pools_down":0,
            "calls_lost":{"mean":1.5,"ci95_low":1.0,"ci95_high":2.0},"blocked":{"mean":1.5,"ci95_low":1.0,"ci95_high":2.0},
            "dropped":{"mean":0.0,"ci95_low":0.0,"ci95_high":0.0},"grade_of_service_during":null,
            "grade_of_service_delta":null,"pdd_delta_ms":null,"isolated_sites":[],"pstn_cut":[],"emergency_lost":[],
            "emergency_changed":[],"inbound_cut":[],"absorbed":false,"folded_pairs":[],"equivalent":[],
            "sum_of_singles":false}"#;
        PairRecord { result: serde_json::from_str(case).unwrap(), lost: vec![[n, 1, 2]; n as usize] }
    }

    #[test]
    fn a_scratch_file_gives_back_what_memory_does_and_leaves_nothing() {
        let dir = std::env::temp_dir().join(format!("voicetwin-spill-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let mut file = Spill::file(dir.join("pairs"));
        let mut memory = Spill::memory();
        let held: Vec<(Held, Held)> =
            (1..40).map(|n| (file.put_pair(&record(n)).unwrap(), memory.put_pair(&record(n)).unwrap())).collect();
        // Unlinked as soon as it was created: nothing in the folder.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        file.close().unwrap();
        memory.close().unwrap();
        for (n, (f, m)) in (1..40u64).zip(held).collect::<Vec<_>>().into_iter().rev() {
            let (a, b) = (file.pair(f).unwrap(), memory.pair(m).unwrap());
            assert_eq!(a.lost, record(n).lost);
            assert_eq!(a.lost, b.lost);
            assert_eq!(serde_json::to_string(&a.result).unwrap(), serde_json::to_string(&b.result).unwrap());
        }
        drop(file);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        fs::remove_dir(&dir).unwrap();
    }

    #[test]
    fn nothing_spilled_creates_no_file() {
        let dir = std::env::temp_dir().join(format!("voicetwin-nospill-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let ranked = RankedCases::new(Vec::new(), Vec::new(), Spill::file(dir.join("pairs"))).unwrap();
        assert_eq!(ranked.count(), 0);
        assert!(!dir.join("pairs").exists());
        fs::remove_dir(&dir).unwrap();
    }

    #[test]
    fn the_digest_tells_calls_lost_apart() {
        assert_eq!(digest(&[[1, 2, 3]]), digest(&[[1, 2, 3]]));
        assert_ne!(digest(&[[1, 2, 3]]), digest(&[[1, 2, 4]]));
        assert_ne!(digest(&[[1, 2, 3]]), digest(&[[1, 2, 3], [0, 0, 0]]));
    }
}
