//! A study in parts: the partial result file (`part.json`) a shard of a
//! `whatif`, `plan` or `sweep` writes, the fingerprint that ties a part
//! to its study, and the checks a set of parts must pass before they are
//! put together (docs/results.md, "Partial results").
//!
//! A part holds everything the merge needs and nothing it must be given
//! again: the model and scenario texts (the scenario as it ran, the
//! command line's overrides in their fields), the command's options, its
//! shard, and the cases it computed. Its fingerprint hashes the inputs
//! that decide the figures, so parts of different studies, or of
//! different versions of voicetwin, are never merged.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::shard::Shard;
use crate::model::Model;
use crate::scenario::Scenario;

/// Version of the part file's schema; a reader refuses any other.
/// Version 3 adds `part_fnv1a64`, the hash of the computed cases.
pub const SCHEMA_VERSION: u32 = 3;
/// The name of the part file in a shard's `--out` folder.
pub const FILE: &str = "part.json";
/// What a part file says it is, so that no other JSON file reads as one.
pub const KIND: &str = "voicetwin-part";

/// The version of voicetwin that writes parts: a part is merged only
/// with parts written by the same version.
pub fn written_by() -> String {
    format!("voicetwin {}", env!("CARGO_PKG_VERSION"))
}

/// FNV-1a, 64 bits, as hex: enough to tell two inputs apart by accident
/// (a fingerprint guards against mistakes, not against forgery).
fn fnv1a64(parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for bytes in parts {
        for b in bytes.iter().chain(&[0xff]) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// What ties a part to its study: a hash of each input that decides the
/// figures, and one of them all with the command and voicetwin's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The model file's text.
    pub model: String,
    /// The scenario as it runs (its text with the command line's
    /// overrides in their fields) and its seed.
    pub scenario: String,
    /// The command's options (canonical JSON of [`Inputs::options`]).
    pub options: String,
    /// All of the above, the command, the number of cases and the
    /// version of voicetwin: equal for every part of one study.
    pub study: String,
}

impl Fingerprint {
    /// What differs between two fingerprints, in words.
    pub fn difference(&self, other: &Fingerprint) -> String {
        let mut d = Vec::new();
        if self.model != other.model {
            d.push("the model file");
        }
        if self.scenario != other.scenario {
            d.push("the scenario (its file, seed, replications or precision)");
        }
        if self.options != other.options {
            d.push("the command's options");
        }
        if d.is_empty() {
            "the command, the number of cases or the version of voicetwin".to_owned()
        } else {
            d.join(" and ")
        }
    }
}

/// The inputs of a study, as a part records them for the merge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inputs {
    /// Where the model came from (its path, or `... (built in)`), as the
    /// results name it.
    pub model_source: String,
    pub model_text: String,
    /// Where the scenario came from, as the results name it.
    pub scenario_source: String,
    /// The scenario as it ran: its file with the command line's
    /// overrides (seed, replications, precision) in their fields.
    pub scenario_text: String,
    pub seed: u64,
    /// The command's own options (whatif: element classes and k; plan:
    /// target, growth and the rest; sweep: the `--param` values as given).
    pub options: serde_json::Value,
}

impl Inputs {
    /// The inputs of a study of `model` and `scenario` with `options`.
    pub fn new<O: Serialize>(model: &Model, scenario: &Scenario, options: &O) -> Result<Self, serde_json::Error> {
        Ok(Self {
            model_source: model.source.clone(),
            model_text: model.text.clone(),
            scenario_source: scenario.source.clone(),
            scenario_text: scenario.recorded_text("model.toml"),
            seed: scenario.seed,
            options: serde_json::to_value(options)?,
        })
    }

    /// The fingerprint of these inputs for `command` over `cases` cases.
    /// Sources (paths) are left out: the same files mounted at another
    /// path on another machine are the same study.
    pub fn fingerprint(&self, command: &str, cases: usize) -> Fingerprint {
        let options = serde_json::to_string(&self.options).unwrap_or_default();
        let model = fnv1a64(&[self.model_text.as_bytes()]);
        let scenario = fnv1a64(&[self.scenario_text.as_bytes(), self.seed.to_string().as_bytes()]);
        let options = fnv1a64(&[options.as_bytes()]);
        let study = fnv1a64(&[
            command.as_bytes(),
            written_by().as_bytes(),
            cases.to_string().as_bytes(),
            model.as_bytes(),
            scenario.as_bytes(),
            options.as_bytes(),
        ]);
        Fingerprint { model, scenario, options, study }
    }

    /// The model and scenario again, loaded and validated from the
    /// recorded texts (the options are the caller's to apply).
    pub fn load(&self) -> Result<(Model, Scenario), String> {
        let model = crate::model::load_str(&self.model_text, &self.model_source).map_err(|e| e.to_string())?;
        let mut sc = crate::scenario::load_for_model(&self.scenario_text, &self.scenario_source, &model)
            .map_err(|e| e.to_string())?;
        sc.seed = self.seed;
        Ok((model, sc))
    }
}

/// Everything in a part file but the computed cases: what a reader
/// checks before it reads the rest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub schema_version: u32,
    /// Always [`KIND`].
    pub kind: String,
    /// `whatif`, `plan` or `sweep`.
    pub command: String,
    /// The version of voicetwin that wrote it.
    pub written_by: String,
    pub fingerprint: Fingerprint,
    /// Which shard of how many.
    pub shard: Shard,
    /// Cases of the whole study (what-if cases, plan growth steps,
    /// sweep points).
    pub cases: usize,
    /// Cases this shard computed.
    pub shard_cases: usize,
    /// FNV-1a 64 of what the part says it computed and from what (its
    /// shard, the study's and the shard's case counts, the recorded
    /// inputs and the computed cases, as compact JSON), hex: a part file
    /// edited or damaged after it was written is refused, whether it is
    /// merged from its folder (whose manifest also catches it) or handed
    /// to `merge` as a file.
    pub part_fnv1a64: String,
}

/// A part file: its header, the study's inputs, and the shard's cases.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartFile<T> {
    #[serde(flatten)]
    pub header: Header,
    pub inputs: Inputs,
    /// The shard's computed cases, as the command's part type holds them.
    pub part: T,
}

impl<T: Serialize + DeserializeOwned> PartFile<T> {
    /// A part of `command` for `shard`, over `cases` cases of which it
    /// computed `shard_cases`.
    pub fn new(command: &str, inputs: Inputs, shard: Shard, cases: usize, shard_cases: usize, part: T) -> Self {
        let part_fnv1a64 = digest(shard, cases, shard_cases, &inputs, &part);
        let header = Header {
            schema_version: SCHEMA_VERSION,
            kind: KIND.to_owned(),
            command: command.to_owned(),
            written_by: written_by(),
            fingerprint: inputs.fingerprint(command, cases),
            shard,
            cases,
            shard_cases,
            part_fnv1a64,
        };
        Self { header, inputs, part }
    }

    /// The file's text: pretty JSON and a final line break (every f64
    /// written so that it reads back to the same bits).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// Reads a whole part file; `file` names it in errors.
    pub fn from_json(text: &str, file: &str) -> Result<Self, String> {
        header(text, file)?;
        let read: Self =
            serde_json::from_str(text).map_err(|e| format!("{file}: not a part file voicetwin can read: {e}"))?;
        // Every number reads back to the same bits, so the cases written
        // again hash as they did when the shard wrote them.
        let h = &read.header;
        if digest(h.shard, h.cases, h.shard_cases, &read.inputs, &read.part) != h.part_fnv1a64 {
            return Err(format!(
                "{file}: its recorded inputs or computed cases do not match the hash the shard wrote \
                 (`part_fnv1a64`): the file was edited or damaged after it was written; run shard {} again",
                h.shard
            ));
        }
        Ok(read)
    }
}

/// The hash of a part's shard, counts, inputs and computed cases, as
/// compact JSON.
fn digest<T: Serialize>(shard: Shard, cases: usize, shard_cases: usize, inputs: &Inputs, part: &T) -> String {
    fnv1a64(&[&serde_json::to_vec(&(shard, cases, shard_cases, inputs, part)).unwrap_or_default()])
}

/// Reads a part file's header, refusing anything but a part of this
/// schema version; `file` names it in errors.
pub fn header(text: &str, file: &str) -> Result<Header, String> {
    #[derive(Deserialize)]
    struct Probe {
        kind: Option<String>,
        schema_version: Option<u32>,
    }
    let probe: Probe = serde_json::from_str(text)
        .map_err(|e| format!("{file}: not a part file (not JSON voicetwin wrote as a part: {e})"))?;
    if probe.kind.as_deref() != Some(KIND) {
        return Err(format!("{file}: not a part file (no `\"kind\": \"{KIND}\"`)"));
    }
    if probe.schema_version != Some(SCHEMA_VERSION) {
        return Err(format!(
            "{file}: part schema version {} (this voicetwin reads version {SCHEMA_VERSION}); run the shard again \
             with this voicetwin",
            probe.schema_version.map_or("none".to_owned(), |v| v.to_string())
        ));
    }
    serde_json::from_str(text).map_err(|e| format!("{file}: not a part file voicetwin can read: {e}"))
}

/// Checks that `parts` (each named by where it was read) are the parts of
/// one study, every shard `0..N` once. Returns the shard count.
pub fn check_set(parts: &[(String, Header)]) -> Result<u32, String> {
    let Some((first_name, first)) = parts.first() else {
        return Err("no part given: name the folders the shards wrote".to_owned());
    };
    for (name, h) in &parts[1..] {
        if h.command != first.command {
            return Err(format!(
                "{name}: a part of a `{}`, and {first_name} of a `{}`: parts of one study only",
                h.command, first.command
            ));
        }
        if h.written_by != first.written_by {
            return Err(format!(
                "{name}: written by {}, and {first_name} by {}: run every shard with the same voicetwin",
                h.written_by, first.written_by
            ));
        }
        if h.fingerprint != first.fingerprint || h.cases != first.cases {
            return Err(format!(
                "{name}: a part of another study than {first_name} ({} differ{}); merge the parts of one study only",
                h.fingerprint.difference(&first.fingerprint),
                if h.fingerprint.difference(&first.fingerprint).contains(" and ") { "" } else { "s" }
            ));
        }
        if h.shard.count != first.shard.count {
            return Err(format!(
                "{name}: shard {} of a study split {} ways, and {first_name} shard {}: split {} ways; every shard of \
                 one split only",
                h.shard, h.shard.count, first.shard, first.shard.count
            ));
        }
    }
    let count = first.shard.count;
    let mut seen: Vec<Option<&str>> = vec![None; count as usize];
    for (name, h) in parts {
        let slot = &mut seen[h.shard.index as usize];
        if let Some(other) = slot {
            return Err(format!("shard {} is given twice: in {other} and in {name}; give each shard once", h.shard));
        }
        *slot = Some(name);
    }
    let missing: Vec<String> =
        seen.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(i, _)| format!("{i}/{count}")).collect();
    if !missing.is_empty() {
        let shown = if missing.len() > 10 { format!("{}, ...", missing[..10].join(", ")) } else { missing.join(", ") };
        let given: Vec<String> =
            seen.iter().enumerate().filter_map(|(i, s)| s.map(|s| format!("{i}/{count} in {s}"))).collect();
        let given = if given.len() > 10 { format!("{}, ...", given[..10].join(", ")) } else { given.join(", ") };
        return Err(format!(
            "shard{} {shown} of the study {} missing (given: {given}); run {} (--shard {}) and merge again",
            if missing.len() == 1 { "" } else { "s" },
            if missing.len() == 1 { "is" } else { "are" },
            if missing.len() == 1 { "it" } else { "them" },
            missing[0]
        ));
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(index: u32, count: u32, study: &str) -> (String, Header) {
        let fingerprint =
            Fingerprint { model: "m".into(), scenario: "s".into(), options: "o".into(), study: study.into() };
        let header = Header {
            schema_version: SCHEMA_VERSION,
            kind: KIND.into(),
            command: "whatif".into(),
            written_by: written_by(),
            fingerprint,
            shard: Shard { index, count },
            cases: 10,
            shard_cases: 3,
            part_fnv1a64: String::new(),
        };
        (format!("parts/{index}"), header)
    }

    #[test]
    fn a_set_needs_every_shard_once_and_one_study() {
        assert_eq!(check_set(&[h(0, 3, "a"), h(2, 3, "a"), h(1, 3, "a")]), Ok(3));
        let e = check_set(&[h(0, 3, "a"), h(2, 3, "a")]).unwrap_err();
        assert!(e.contains("shard 1/3 of the study is missing (given: 0/3 in parts/0, 2/3 in parts/2)"), "{e}");
        let e = check_set(&[h(0, 2, "a"), h(1, 2, "a"), h(1, 2, "a")]).unwrap_err();
        assert!(e.contains("shard 1/2 is given twice: in parts/1 and in parts/1"), "{e}");
        let mut other = h(1, 2, "b");
        other.1.fingerprint.model = "m2".into();
        let e = check_set(&[h(0, 2, "a"), other]).unwrap_err();
        assert!(e.contains("parts/1: a part of another study than parts/0 (the model file differs)"), "{e}");
        let e = check_set(&[h(0, 2, "a"), h(1, 3, "a")]).unwrap_err();
        assert!(e.contains("split 3 ways"), "{e}");
    }

    #[test]
    fn a_header_is_read_only_from_a_part_of_this_version() {
        let (_, head) = h(0, 1, "a");
        let text = serde_json::to_string(&head).unwrap();
        assert_eq!(header(&text, "p").unwrap().shard, Shard::WHOLE);
        let this = format!("\"schema_version\":{SCHEMA_VERSION}");
        assert!(text.contains(&this), "{text}");
        let e = header(&text.replace(&this, "\"schema_version\":1"), "p").unwrap_err();
        assert!(e.contains(&format!("part schema version 1 (this voicetwin reads version {SCHEMA_VERSION})")), "{e}");
        assert!(header(&format!("{{{this}}}"), "p").unwrap_err().contains("not a part file"));
    }

    #[test]
    fn a_part_edited_after_it_was_written_is_refused() {
        let inputs = Inputs {
            model_source: "m".into(),
            model_text: "m".into(),
            scenario_source: "s".into(),
            scenario_text: "s".into(),
            seed: 1,
            options: serde_json::Value::Null,
        };
        let file = PartFile::new("whatif", inputs, Shard { index: 1, count: 2 }, 4, 2, vec![0.1f64, 2.5, 1e-300]);
        let text = file.to_json().unwrap();
        let back = PartFile::<Vec<f64>>::from_json(&text, "p").unwrap();
        assert_eq!(back.part, vec![0.1f64, 2.5, 1e-300]);
        let edited = text.replace("2.5", "2.6");
        assert_ne!(edited, text);
        let e = PartFile::<Vec<f64>>::from_json(&edited, "p").unwrap_err();
        assert!(e.contains("p: its recorded inputs or computed cases do not match") && e.contains("shard 1/2"), "{e}");
        // The recorded inputs and counts are covered too.
        for (from, to) in [("\"seed\": 1", "\"seed\": 2"), ("\"shard_cases\": 2", "\"shard_cases\": 1")] {
            let edited = text.replace(from, to);
            assert_ne!(edited, text, "{from}");
            assert!(PartFile::<Vec<f64>>::from_json(&edited, "p").is_err(), "{from}");
        }
    }
}
