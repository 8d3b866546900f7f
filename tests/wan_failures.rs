//! WAN link failures: signalling and media need a path; a branch with a
//! Survivable Branch Appliance keeps calling the PSTN when cut off.

use voicetwin::analysis::results::Results;
use voicetwin::analysis::run::replications;
use voicetwin::analysis::summary::summarize;
use voicetwin::scenario::{builtin, load_str};

fn busy_hour_with(failure: &str) -> (voicetwin::analysis::summary::Summary, Vec<voicetwin::sim::Replication>) {
    let text = builtin("busy-hour").unwrap().to_owned() + failure;
    let (mut sc, model) = load_str(&text, "wan.toml", None, &Default::default()).unwrap();
    sc.replications = 4;
    let reps = replications(&model, &sc, 2).unwrap();
    (summarize(&model, &sc, &Results::of(&model, &sc, &reps)), reps)
}

fn source<'a>(
    s: &'a voicetwin::analysis::summary::Summary,
    name: &str,
) -> &'a voicetwin::analysis::summary::GroupFigures {
    s.sources.iter().find(|g| g.name == name).unwrap()
}

#[test]
fn a_branch_with_an_sba_keeps_calling_the_pstn_when_cut_off() {
    let cut = "\n[[failure]]\nelement = \"wan-link:redmond-newyork\"\nkind = \"scheduled\"\nat = \"0s\"\n";
    let (s, _) = busy_hour_with(cut);
    let ny = source(&s, "newyork-out");
    // Local New York calls go out through the SBA's own gateway...
    let gw_nyc = s.peers.iter().find(|p| p.name == "gw-nyc").unwrap();
    assert!(gw_nyc.carried_erlangs.mean > 5.0, "{:?}", gw_nyc.carried_erlangs);
    assert!(ny.calls.completed.mean > 0.4 * ny.calls.offered.mean, "{:?}", ny.calls);
    // ...while calls that need Redmond's gateways cannot be placed.
    assert!(ny.calls.blocked.mean > 0.15 * ny.calls.offered.mean, "{:?}", ny.calls);
    // PSTN callers still reach New York users through the SBA (a few find
    // its one T1 full, now that all New York's calls use it).
    let inbound = source(&s, "pstn-to-newyork");
    assert!(inbound.calls.blocked.mean < 0.05 * inbound.calls.offered.mean, "{:?}", inbound.calls);
    assert!(inbound.calls.completed.mean > 0.7 * inbound.calls.offered.mean);
}

#[test]
fn a_branch_homed_on_the_central_pool_loses_service_when_cut_off() {
    let cut = "\n[[failure]]\nelement = \"wan-link:redmond-dallas\"\nkind = \"scheduled\"\nat = \"0s\"\n";
    let (s, _) = busy_hour_with(cut);
    let dallas = source(&s, "dallas-out");
    assert_eq!(dallas.calls.blocked.mean, dallas.calls.offered.mean, "no Registrar: no call at all");
    // Elsewhere nothing changes much.
    assert!(source(&s, "london-out").grade_of_service.unwrap().mean < 0.01);
}

#[test]
fn calls_in_progress_across_a_link_that_fails_are_dropped() {
    let cut =
        "\n[[failure]]\nelement = \"wan-link:london-paris\"\nkind = \"scheduled\"\nat = \"30m\"\nduration = \"10m\"\n";
    let (s, reps) = busy_hour_with(cut);
    assert!(s.calls.dropped.mean > 0.0);
    for r in &reps {
        let c = &r.counts.total();
        assert_eq!(c.offered, c.carried + c.blocked + c.not_authorized + c.failed + c.dropped);
        assert_eq!(r.failures[0].dropped, c.dropped);
    }
}
