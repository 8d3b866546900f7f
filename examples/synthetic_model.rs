//! Writes a synthetic model to standard output, to time `voicetwin check`
//! on a model of a chosen size:
//!
//! ```sh
//! cargo run --release --example synthetic_model -- 1000 1000 10000 14 > large.toml
//! time voicetwin check --model large.toml
//! ```
//!
//! Arguments: sites, gateway trunks, normalization rules, IP-PBXs in the
//! inter-trunk mesh, and `unpoliced` to leave the WAN links without
//! bandwidth policies. Without arguments: the large enterprise (1,000
//! sites, 1,000 trunks, 10,000 rules, 14 PBXs, policed links).

#[path = "../tests/common/synthetic.rs"]
mod synthetic;

use synthetic::{enterprise, Size};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: usize| {
        args.get(i).map_or(default, |a| a.parse().unwrap_or_else(|_| panic!("`{a}` is not a count")))
    };
    let large = Size::LARGE;
    let size = Size {
        sites: number(0, large.sites),
        trunks: number(1, large.trunks),
        rules: number(2, large.rules),
        pbxs: number(3, large.pbxs),
        policed: args.get(4).map(String::as_str) != Some("unpoliced"),
    };
    print!("{}", enterprise(size));
}
