//! Whole routing decisions on contoso: clean and normalize the dialed
//! string, reverse number lookup, walk the policy's usages and routes, and
//! translate the called and calling numbers for the first attempt.
//!
//! Then national numbers through a usage of 420 tail-end hop-off routes
//! (one per area code, tried before the national route): with the routes
//! indexed by their numbers' prefixes, as routing runs, and scanning
//! every route, as it did before the index (the ratio is the point).
//!
//! `cargo bench --bench routing`; the README records the figures.

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use synthetic::{enterprise, Size};
use voicetwin::model::{Model, UserGroupId};
use voicetwin::voice::{prepare, Caller, Router, TrunkStates};

/// A synthetic enterprise whose national usage holds a route per area
/// code, 200 to 619, before the national route.
fn hop_off() -> Model {
    let mut text = enterprise(Size { sites: 40, trunks: 40, rules: 200, pbxs: 0, policed: false });
    for a in 200..620 {
        text.push_str(&format!(
            "[[voice_route]]\nname = \"hop-{a}\"\nnumber_pattern = '^\\+1{a}\\d{{7}}$'\npstn_usages = [\"National\"]\npstn_gateways = [\"gw-{}\"]\npriority = 0\n\n",
            a % 40
        ));
    }
    voicetwin::model::load_str(&text, "hop-off").expect("the hop-off model is valid")
}

/// Decides national calls from users of every site of `m`.
fn national_calls(c: &mut Criterion, name: &str, m: &Model) {
    let states = TrunkStates::all_up(m);
    let calls: Vec<(Caller, String)> = (0..200)
        .map(|i| {
            let group = UserGroupId::from_index(i % m.user_groups.len());
            (Caller::User { group, index: 0 }, format!("+1{}5550{:03}", 200 + (i * 37) % 700, i))
        })
        .collect();
    let mut g = c.benchmark_group("routing");
    g.throughput(Throughput::Elements(calls.len() as u64));
    g.bench_function(name, |b| {
        let mut router = Router::new(m);
        let mut rotation = 0u32;
        b.iter(|| {
            for (caller, dialed) in &calls {
                rotation = rotation.wrapping_add(1);
                black_box(router.decide(*caller, dialed, None, &states, rotation));
            }
        })
    });
    g.finish();
}

fn bench_hop_off(c: &mut Criterion) {
    let m = hop_off();
    national_calls(c, "decide (420 hop-off routes, indexed)", &m);
    let mut scan = m.clone();
    scan.route_index = Vec::new();
    national_calls(c, "decide (420 hop-off routes, every route scanned)", &scan);
}

/// A busy-hour mix: users at every site dialing as people dial.
fn workload(m: &Model) -> Vec<(Caller, &'static str)> {
    let user = |g: &str, i: u32| {
        let (group, _) = m.find_user(g).unwrap();
        Caller::User { group, index: i }
    };
    let pbx = Caller::Trunk(m.trunk_by_name("pbx-red").unwrap());
    let gw = Caller::Trunk(m.trunk_by_name("gw-red-1").unwrap());
    vec![
        (user("redmond-staff", 10), "95550123"),
        (user("redmond-staff", 11), "912065550100"),
        (user("redmond-staff", 12), "9 1 (212) 555-0100"),
        (user("redmond-staff", 13), "9011442071234567"),
        (user("redmond-staff", 14), "1042"),
        (user("redmond-staff", 15), "2001"),
        (user("dallas-staff", 1), "95551234"),
        (user("dallas-staff", 2), "62220100"),
        (user("newyork-staff", 3), "92125550199"),
        (user("newyork-staff", 4), "9911"),
        (user("london-staff", 5), "902071234567"),
        (user("london-staff", 6), "90033142000000"),
        (user("london-staff", 7), "7001"),
        (user("paris-staff", 8), "0142000000"),
        (user("paris-staff", 9), "004420712345678"),
        (user("redmond-lobby", 0), "+14255550100"),
        (pbx, "912065550100"),
        (gw, "0042"),
        (gw, "4258822001"),
    ]
}

fn bench(c: &mut Criterion) {
    let m = Model::contoso();
    let states = TrunkStates::all_up(&m);
    let calls = workload(&m);
    let mut g = c.benchmark_group("routing");
    g.throughput(Throughput::Elements(calls.len() as u64));
    g.bench_function("decide+translate (contoso mix)", |b| {
        let mut router = Router::new(&m);
        let mut rotation = 0u32;
        b.iter(|| {
            for (caller, dialed) in &calls {
                rotation = rotation.wrapping_add(1);
                let d = router.decide(*caller, dialed, None, &states, rotation);
                if let Some(first) = d.candidates.first() {
                    black_box(prepare(&m, *first, &d.normalized.number, d.calling_number.as_deref()));
                }
                black_box(&d);
            }
        })
    });
    g.bench_function("model load (contoso)", |b| {
        b.iter_batched(
            || voicetwin::model::CONTOSO_TOML,
            |t| voicetwin::model::load_str(t, "contoso"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench, bench_hop_off);
criterion_main!(benches);
