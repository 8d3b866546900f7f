//! What validating a model costs as it grows: loading (parsing, checking,
//! compiling every pattern, the inter-trunk loop check, call admission
//! control's paths) and the lints of `voicetwin check`, on the synthetic
//! models of `tests/common/synthetic.rs`: a hub of gateways with a full
//! mesh of 14 IP-PBXs, the large enterprise (1,000 sites on policed WAN
//! links, 1,000 trunks, 10,000 normalization rules) and the same on 5,000
//! sites (load and lints grow with the sites, not with their pairs).
//!
//! `cargo bench --bench load`; docs/model.md records the figures.

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use criterion::{criterion_group, criterion_main, Criterion};
use synthetic::{enterprise, Size};
use voicetwin::model::lint::lint;
use voicetwin::model::load_str;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    let sites_5000 = Size { sites: 5000, ..Size::LARGE };
    for (name, size) in
        [("mesh of 14 PBXs", Size::mesh(4, 14)), ("large enterprise", Size::LARGE), ("5,000 sites", sites_5000)]
    {
        let text = enterprise(size);
        let model = load_str(&text, name).expect("the synthetic model is valid");
        g.bench_function(format!("load: {name}"), |b| b.iter(|| load_str(&text, name).unwrap()));
        g.bench_function(format!("lint: {name}"), |b| b.iter(|| lint(&model)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
