//! Memory grows with the network, not with its square: loading and
//! checking an enterprise of 5,000 sites takes about five times what one
//! of 1,000 takes (a table per pair of sites would take 25 times), and
//! asking for the CAC and WAN paths of a site's sessions adds a tree per
//! site asked about.
//!
//! The heap is measured by this test binary's own allocator: its peak
//! while loading, above what was in use before. One test only, so that
//! nothing else allocates meanwhile.

#[path = "common/synthetic.rs"]
mod synthetic;

#[path = "common/counting.rs"]
mod counting;

use counting::peak_of;

use synthetic::{enterprise, Size};
use voicetwin::model::lint::lint;
use voicetwin::model::{load_str, SiteId};

#[test]
fn loading_memory_grows_with_the_sites_not_their_pairs() {
    let peak = |sites: usize| {
        let size = Size { sites, trunks: 100, rules: 1000, pbxs: 4, policed: true };
        let text = enterprise(size);
        peak_of(|| {
            let m = load_str(&text, "sites.toml").unwrap();
            assert_eq!(lint(&m), vec![]);
            // The sessions of ten sites, to every site: ten trees.
            let mut elements = 0;
            for a in (0..sites).step_by(sites / 10) {
                for b in 0..sites {
                    let (a, b) = (SiteId::from_index(a), SiteId::from_index(b));
                    elements += m.cac_path(a, b).len();
                }
            }
            assert!(elements > sites);
        })
    };
    let (small, large) = (peak(1000), peak(5000));
    eprintln!("peak heap: {small} bytes with 1,000 sites, {large} with 5,000");
    assert!(large < 7 * small, "{small} bytes with 1,000 sites, {large} with 5,000");
    assert!(large < 200 << 20, "{large} bytes with 5,000 sites");
}
