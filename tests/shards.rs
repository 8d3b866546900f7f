//! Studies in parts: `--shard I/N` then `merge` writes the results the
//! study run in one piece writes, byte for byte, for what-if (N-1 and
//! N-2), plan and sweep, with 1, 2 and 3 shards; `merge` refuses a set
//! with a shard missing, given twice, or from another study; a local
//! run keeps its finished parts and an interrupted run resumes from them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn voicetwin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).output().expect("the binary runs")
}

fn ok(args: &[&str]) -> Output {
    let o = voicetwin(args);
    assert!(o.status.success(), "voicetwin {}: {}", args.join(" "), String::from_utf8_lossy(&o.stderr));
    o
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("voicetwin-shards-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// The files of a results folder but its manifest, sorted, each with its
/// bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file() && e.file_name() != "manifest.json")
        .map(|e| (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

/// Runs `study` whole and in 1, 2 and 3 shards merged; every merged
/// folder holds the same files with the same bytes as the whole run's.
fn same_in_shards(name: &str, study: &[&str], files_expected: &[&str]) {
    let root = temp(name);
    let whole = root.join("whole");
    ok(&[study, &["--out", &s(&whole)]].concat());
    let expected = files(&whole);
    let names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, files_expected, "{name}");
    for n in 1..=3u32 {
        let mut dirs = Vec::new();
        for i in 0..n {
            let dir = root.join(format!("parts-{n}")).join(i.to_string());
            let o = ok(&[study, &["--shard", &format!("{i}/{n}"), "--out", &s(&dir)]].concat());
            assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("shard {i}/{n}")));
            dirs.push(s(&dir));
        }
        // Given in any order.
        dirs.reverse();
        let merged = root.join(format!("merged-{n}"));
        let mut args = vec!["merge"];
        args.extend(dirs.iter().map(String::as_str));
        args.extend(["--out", merged.to_str().unwrap()]);
        ok(&args);
        let got = files(&merged);
        for ((a, x), (b, y)) in expected.iter().zip(&got) {
            assert_eq!(a, b, "{name}, {n} shard(s)");
            assert!(x == y, "{name}, {n} shard(s): {a} differs from the whole run's");
        }
        assert_eq!(expected.len(), got.len(), "{name}, {n} shard(s)");
    }
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn whatif_n_minus_1_in_shards_is_the_whole_run() {
    same_in_shards("w1", &["whatif", "--replications", "2"], &["whatif.csv", "whatif.json"]);
}

#[test]
fn whatif_n_minus_2_in_shards_is_the_whole_run() {
    same_in_shards(
        "w2",
        &["whatif", "--elements", "peer,mediation-pool,wan-link", "--k", "2", "--replications", "2"],
        &["whatif.csv", "whatif.json"],
    );
}

#[test]
fn sweep_in_shards_is_the_whole_run() {
    same_in_shards(
        "sw",
        &[
            "sweep",
            "single-trunk-group",
            "--param",
            "model:peer[gw].e1_spans=1,2",
            "--param",
            "scenario:source[users].erlangs=20,25.5",
            "--replications",
            "3",
        ],
        &["sweep.csv", "sweep.json"],
    );
}

#[test]
fn plan_in_shards_is_the_whole_run() {
    same_in_shards(
        "pl",
        &["plan", "single-trunk-group", "--growth", "1,1.5,2", "--replications", "4", "--max-replications", "12"],
        &[
            "plan.csv",
            "plan.json",
            "planned-model-x1.5.toml",
            "planned-model-x1.toml",
            "planned-model-x2.toml",
            "planned-model.toml",
        ],
    );
}

/// Runs two shards of a small what-if into `root/a/{0,1}`.
fn two_shards(root: &Path, extra: &[&str]) -> [String; 2] {
    [0, 1].map(|i| {
        let dir = root.join(format!("a{}", extra.join("")).replace('-', "")).join(i.to_string());
        ok(&[
            &["whatif", "--elements", "peer", "--replications", "2"],
            extra,
            &["--shard", &format!("{i}/2"), "--out", &s(&dir)],
        ]
        .concat());
        s(&dir)
    })
}

#[test]
fn merge_refuses_a_missing_shard_a_shard_twice_and_another_study() {
    let root = temp("bad");
    let [a0, a1] = two_shards(&root, &[]);
    let [_, b1] = two_shards(&root, &["--seed", "7"]);
    let out = s(&root.join("out"));
    let refused = |args: &[&str], says: &str| {
        let o = voicetwin(&[&["merge"], args, &["--out", &out]].concat());
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(says), "{says}: {err}");
        assert!(!root.join("out").join("whatif.json").exists());
    };
    refused(&[&a0], &format!("shard 1/2 of the study is missing (given: 0/2 in {a0})"));
    refused(&[&a0, &a1, &a1], &format!("shard 1/2 is given twice: in {a1} and in {a1}"));
    refused(&[&a0, &b1], &format!("{b1}: a part of another study than {a0} (the scenario"));
    // A results folder is not a part.
    let whole = s(&root.join("whole"));
    ok(&["whatif", "--elements", "peer", "--replications", "2", "--out", &whole]);
    refused(&[&whole], "not a shard's part");
    // The right set merges.
    ok(&["merge", &a1, &a0, "--out", &out]);
    assert!(files(&root.join("out")) == files(Path::new(&whole)));
    // A part file handed to merge on its own, edited after the shard wrote
    // it (no folder manifest to catch it), is refused by its own hash.
    let part = root.join("edited.json");
    let text = fs::read_to_string(Path::new(&a1).join("part.json")).unwrap();
    let at = text.find("\"calls_lost\"").expect("a case in the part");
    let mean = at + text[at..].find("\"mean\": ").unwrap() + "\"mean\": ".len();
    fs::write(&part, format!("{}1{}", &text[..mean], &text[mean..])).unwrap();
    fs::remove_dir_all(root.join("out")).unwrap();
    let part = s(&part);
    refused(&[&a0, &part], &format!("{part}: its recorded inputs or computed cases do not match the hash"));
    assert!(!root.join("out").exists(), "a refused merge leaves no folder");
    ok(&["merge", &a0, &s(&Path::new(&a1).join("part.json")), "--out", &out]);
    let _ = fs::remove_dir_all(&root);
}

#[test]
fn a_shard_is_named_as_i_over_n() {
    let root = temp("arg");
    for bad in ["2/2", "1", "a/b", "0/0"] {
        let o = voicetwin(&["whatif", "--shard", bad, "--out", &s(&root.join("x"))]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("I/N"), "{bad}");
    }
    let _ = fs::remove_dir_all(&root);
}

/// An N-2 what-if of more than 50 cases: a local run keeps parts.
const LONG: [&str; 7] = ["whatif", "--elements", "peer,trunk,wan-link", "--k", "2", "--replications", "2"];

fn part_files(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(out.join(".voicetwin-parts"))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn an_interrupted_local_study_resumes_from_its_parts() {
    let root = temp("resume");
    let whole = root.join("whole");
    ok(&[&LONG[..], &["--out", &s(&whole)]].concat());
    // A finished run leaves no parts behind.
    assert!(!whole.join(".voicetwin-parts").exists());
    let expected = files(&whole);
    // Stopped once its first part is kept: the folder is not complete.
    let out = root.join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args([&LONG[..], &["--out", &s(&out)]].concat())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let mut killed = false;
    while start.elapsed() < std::time::Duration::from_secs(120) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if part_files(&out).iter().any(|f| f.starts_with("part-")) {
            child.kill().unwrap();
            killed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.wait();
    if killed {
        let report = voicetwin(&["report", &s(&out)]);
        assert_eq!(report.status.code(), Some(2), "an interrupted study's folder is not a result");
        let o = ok(&[&LONG[..], &["--out", &s(&out)]].concat());
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("resuming: ") && err.contains("parts already done"), "{err}");
        assert!(files(&out) == expected, "the resumed study's results are the whole run's");
        assert!(!out.join(".voicetwin-parts").exists());
    } else {
        eprintln!("the study ended before it could be stopped; resuming is checked below with a kept part");
    }
    // A part kept by an earlier run of the same study is used, one of
    // another study (another seed) is not, and says so.
    // Cases: those ranked and the pairs folded into a single.
    let json: serde_json::Value = serde_json::from_slice(&fs::read(whole.join("whatif.json")).unwrap()).unwrap();
    let n = json["results"].as_array().unwrap().len() + json["pairs_folded"].as_u64().unwrap() as usize;
    let count = n.div_ceil(50);
    assert!(count >= 2, "{n} cases");
    let shard = root.join("shard0");
    ok(&[&LONG[..], &["--shard", &format!("0/{count}"), "--out", &s(&shard)]].concat());
    let other = root.join("other0");
    ok(&[&LONG[..], &["--seed", "99", "--shard", &format!("1/{count}"), "--out", &s(&other)]].concat());
    let again = root.join("again");
    fs::create_dir_all(again.join(".voicetwin-parts")).unwrap();
    fs::copy(shard.join("part.json"), again.join(".voicetwin-parts").join(format!("part-0-of-{count}.json"))).unwrap();
    fs::copy(other.join("part.json"), again.join(".voicetwin-parts").join(format!("part-1-of-{count}.json"))).unwrap();
    // A user's file there is left alone.
    fs::write(again.join(".voicetwin-parts").join("notes.txt"), "mine").unwrap();
    let o = ok(&[&LONG[..], &["--out", &s(&again)]].concat());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&format!("resuming: 1 of {count} parts already done")), "{err}");
    assert!(err.contains("parts of an earlier run of another study (the scenario"), "{err}");
    assert!(files(&again) == expected);
    assert_eq!(part_files(&again), ["notes.txt"]);
    let _ = fs::remove_dir_all(&root);
}
