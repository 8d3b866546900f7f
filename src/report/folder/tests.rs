//! Checks of the results folder: what it writes, keeps, refuses and locks.

use super::lock::{alive, process, started};
use super::*;

#[test]
fn a_lock_of_a_later_process_with_the_same_number_is_stale() {
    let me = std::process::id();
    let start = started(me).expect("Linux has /proc");
    assert!(alive(me, Some(start)));
    assert!(alive(me, None), "a lock with no start time: the number alone decides");
    assert!(!alive(me, Some(start + 1)), "the number reused by another process");
    // A lock of process 1 that says it started later than process 1 did.
    let dir = std::env::temp_dir().join(format!("voicetwin-lock-reuse-{me}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join(LOCK), format!("1 {}\n", started(1).unwrap_or(0) + 1)).unwrap();
    let held = Lock::take(&dir).expect("the stale lock is taken over");
    let text = fs::read_to_string(dir.join(LOCK)).unwrap();
    assert_eq!(text, format!("{me} {start}\n"));
    drop(held);
    // A lock of a process that runs, as it says: refused.
    fs::write(dir.join(LOCK), format!("{me} {start}\n")).unwrap();
    assert!(matches!(Lock::take(&dir), Err(FolderError::Refused(_))));
    // A killed writer not yet reaped (a zombie) holds nothing.
    let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
    let pid = child.id();
    let born = started(pid).unwrap();
    child.kill().unwrap();
    while process(pid).is_some_and(|(state, _)| state != "Z") {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    fs::write(dir.join(LOCK), format!("{pid} {born}\n")).unwrap();
    assert!(!alive(pid, Some(born)));
    drop(Lock::take(&dir).expect("a zombie's lock is taken over"));
    child.wait().unwrap();
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn names_stay_in_the_folder() {
    for ok in ["summary.json", "charts/gos-vs-load.svg", "planned-model-x1.5.toml"] {
        assert!(valid_name(ok), "{ok}");
    }
    for bad in ["../x", "/etc/passwd", "charts/../x", "a/b", "charts/", ".hidden", MANIFEST, "x/y/z", ""] {
        assert!(!valid_name(bad), "{bad}");
    }
}

#[test]
fn fnv_reference_values() {
    // The published FNV-1a 64 test vectors.
    assert_eq!(fnv1a64(b""), "cbf29ce484222325");
    assert_eq!(fnv1a64(b"a"), "af63dc4c8601ec8c");
    assert_eq!(fnv1a64(b"foobar"), "85944171f73967e8");
}
