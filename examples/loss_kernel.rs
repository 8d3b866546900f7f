//! The kernel's side of the SimPy comparison (`benches/peers/compare.sh`):
//! the E1 loss system on the engine's kernel alone, no routing, one core.
//! Prints one JSON line as the SimPy script does.
//!
//!   cargo run --release --example loss_kernel -- [CALLS]

use std::time::Instant;

use voicetwin::sim::loss::LossSystem;

fn main() {
    let calls = match std::env::args().nth(1).map(|a| a.parse::<u64>()) {
        None => 1_000_000,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("loss_kernel: CALLS must be a whole number: {e}");
            std::process::exit(2);
        }
    };
    let start = Instant::now();
    let r = LossSystem::e1().run(calls, 2013, 0);
    let wall = start.elapsed().as_secs_f64();
    let line = serde_json::json!({
        "engine": "voicetwin kernel",
        "calls": r.offered,
        "blocking": r.blocking(),
        "seconds": wall,
        "calls_per_second": r.offered as f64 / wall,
    });
    println!("{line}");
}
