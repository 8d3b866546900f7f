//! A study on a real Slurm cluster: a one-node cluster on this machine
//! (scripts/slurm/local-cluster.sh: munged, slurmctld, slurmd, no
//! cgroups), the study submitted as an array job of shards and a merge
//! that waits for it (scripts/slurm/submit.sh), and the merged results
//! compared byte for byte with the study run in one piece. Skipped,
//! saying why, only where Slurm is not installed or cannot start (not
//! root); CI installs Debian's slurm-wlm and munge.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn have(name: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().is_ok_and(|o| o.status.success())
}

fn root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm")
}

/// Stops the cluster however the test ends.
struct Cluster(PathBuf);

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(scripts().join("local-cluster.sh")).arg("stop").arg(&self.0).status();
    }
}

#[test]
fn a_whatif_as_a_slurm_array_job_and_a_dependent_merge_is_the_whole_run() {
    let missing: Vec<&str> =
        ["munged", "slurmctld", "slurmd", "sbatch", "squeue"].into_iter().filter(|b| !have(b)).collect();
    if !missing.is_empty() {
        eprintln!("skipped: {} not installed (Debian: apt-get install slurm-wlm munge)", missing.join(", "));
        return;
    }
    if !root() {
        eprintln!("skipped: slurmd needs root to start jobs");
        return;
    }
    let base = std::env::temp_dir().join(format!("voicetwin-slurm-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    let state = base.join("cluster");
    let start = Command::new(scripts().join("local-cluster.sh")).arg("start").arg(&state).output().unwrap();
    let cluster = Cluster(state.clone());
    if !start.status.success() {
        eprintln!("skipped: the one-node Slurm cluster did not start: {}", String::from_utf8_lossy(&start.stderr));
        return;
    }
    let conf = state.join("slurm.conf");
    let bin = env!("CARGO_BIN_EXE_voicetwin");
    let study = ["whatif", "--replications", "2"];

    // The study in one piece, here.
    let whole = base.join("whole");
    let o = Command::new(bin).args(study).arg("--out").arg(&whole).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // The same study as 3 array tasks and a merge, on the cluster.
    let work = base.join("study");
    let submit = Command::new(scripts().join("submit.sh"))
        .env("SLURM_CONF", &conf)
        .args(["-n", "3", "-w"])
        .arg(&work)
        .args(["-o", "results", "-b", bin, "--"])
        .args(study)
        .output()
        .unwrap();
    assert!(submit.status.success(), "submit: {}", String::from_utf8_lossy(&submit.stderr));
    let ids = String::from_utf8_lossy(&submit.stdout).trim().to_owned();
    let (array, merge) = ids.split_once(' ').expect("two job ids");
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let q =
            Command::new("squeue").env("SLURM_CONF", &conf).args(["-h", "-j", &format!("{array},{merge}")]).output();
        let pending = q.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned()).unwrap_or_default();
        if pending.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "jobs still queued after 5 minutes: {pending}");
        std::thread::sleep(Duration::from_millis(500));
    }
    let logs = || {
        fs::read_dir(&work)
            .map(|d| {
                d.flatten()
                    .filter(|e| e.file_name().to_string_lossy().ends_with(".out"))
                    .map(|e| format!("{}:\n{}", e.path().display(), fs::read_to_string(e.path()).unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default()
    };
    for i in 0..3 {
        assert!(work.join(format!("parts/{i}/part.json")).exists(), "shard {i} wrote no part\n{}", logs());
    }
    let merged = work.join("results");
    for f in ["whatif.json", "whatif.csv"] {
        let a = fs::read(whole.join(f)).unwrap();
        let b = fs::read(merged.join(f)).unwrap_or_else(|_| panic!("the merge wrote no {f}\n{}", logs()));
        assert!(a == b, "{f}: the merged results differ from the whole run's");
    }
    drop(cluster);
    let _ = fs::remove_dir_all(&base);
}
