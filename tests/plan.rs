//! Capacity planning against teletraffic theory.

use voicetwin::analysis::erlang::channels_for;
use voicetwin::analysis::plan::{plan, ElementPlan, PlanOptions, PlanStep, SizeBasis, Unit};
use voicetwin::analysis::run::run;
use voicetwin::model::{load_str as load_model, PeerKind};
use voicetwin::report::folder::{Completed, ResultsFolder};
use voicetwin::scenario::{builtin, load_for_model, load_str};

/// Writes a plan folder as `voicetwin plan` does.
fn write_plan(dir: &std::path::Path, p: &voicetwin::analysis::plan::PlanResults, model: &voicetwin::model::Model) {
    let mut folder = ResultsFolder::create(dir, "plan", &[]).unwrap();
    voicetwin::report::plan::write_folder(&mut folder, p, model).unwrap();
    folder.commit().unwrap();
}

/// The single trunk group with its gateway written in channels (sized
/// channel by channel) rather than one E1.
fn in_channels(text: &str) -> String {
    text.replace("e1_spans = 1", "channels = 30")
}

/// An element of a plan step, by name.
fn element<'a>(step: &'a PlanStep, name: &str) -> &'a ElementPlan {
    step.elements.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no element {name}: {step:?}"))
}

#[test]
fn the_single_trunk_group_plans_to_inverse_erlang_b() {
    for (erlangs, gos) in [(20.34, 0.01), (10.0, 0.02)] {
        let text = builtin("single-trunk-group").unwrap().replace("erlangs = 20.34", &format!("erlangs = {erlangs}"));
        let model = load_model(&in_channels(include_str!("../models/single-trunk-group.toml")), "stg.toml").unwrap();
        let sc = load_for_model(&text, "stg.toml", &model).unwrap();
        let p = plan(&model, &sc, &PlanOptions { allow_shrink: true, ..PlanOptions::new(gos, &[1.0], 2) }).unwrap();
        let gw = element(&p.steps[0], "gw");
        assert_eq!(gw.unit, Unit::Channel);
        let theory = channels_for(erlangs, gos);
        assert!(gw.needed.abs_diff(theory) <= 1, "{erlangs} E at {gos}: planned {}, Erlang B {theory}", gw.needed);
        // Minimal: one channel fewer was run and missed the target.
        assert_eq!(gw.basis, SizeBasis::Minimal, "{gw:?}");
        let d = gw.decided_by.as_ref().unwrap();
        assert_eq!(d.target, "overall");
        assert!(d.share.mean > gos * 0.9 && d.limit == gos, "{d:?}");
        assert!(p.steps[0].met);
    }
}

#[test]
fn growth_needs_more_and_the_planned_model_meets_the_target() {
    let (sc, model) = load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, &Default::default()).unwrap();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0, 2.0, 3.0], 2)).unwrap();
    let needs: Vec<u32> = p.steps.iter().map(|s| element(s, "gw").needed).collect();
    assert_eq!(needs[2], 3, "61 E need 75 channels: three E1s");
    assert!(needs.windows(2).all(|w| w[0] <= w[1]) && needs[0] < needs[2], "{needs:?}");
    // Sizes are whole E1 spans, as the gateway is written.
    let gw = element(&p.steps[0], "gw");
    assert_eq!((gw.unit, gw.capacity_per_unit, gw.today), (Unit::E1Span, 30, 1));
    assert_eq!(gw.needed, 2, "30 channels at 20.34 E block 1.0%, on the target: a second E1");
    assert_eq!(gw.change_text(gw.needed), "add 1 E1 span");
}

/// Two E1 gateways one route load-shares, 60 E offered.
fn load_shared() -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let text = include_str!("../models/single-trunk-group.toml")
        .replacen(
            "[[trunk]]\nname = \"gw\"\n",
            "[[peer]]\nname = \"gw2\"\nfqdn = \"gw2.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\ne1_spans = 1\n\n\
             [[trunk]]\nname = \"gw2\"\nmediation_pool = \"med.example.com\"\npeer = \"gw2\"\n\n[[trunk]]\nname = \"gw\"\n",
            1,
        )
        .replacen("pstn_gateways = [\"gw\"]", "pstn_gateways = [\"gw\", \"gw2\"]", 1);
    let model = load_model(&text, "shared.toml").unwrap();
    let sc = load_for_model(
        &builtin("single-trunk-group").unwrap().replace("erlangs = 20.34", "erlangs = 60"),
        "s.toml",
        &model,
    )
    .unwrap();
    (sc, model)
}

#[test]
fn load_shared_gateways_are_sized_together_smaller_than_one_by_one_and_one_span_fewer_fails() {
    let (sc, model) = load_shared();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    let step = &p.steps[0];
    assert!(step.met);
    // One group, on the load the route offers it: 60 E, not the sum of
    // what each gateway is offered with its overflow.
    let g = &step.groups[0];
    assert_eq!(g.members, ["gw", "gw2"]);
    assert!((g.demand_erlangs - 60.0).abs() < 3.0, "{g:?}");
    assert_eq!(g.erlang_b_channels, channels_for(g.demand_erlangs, 0.01));
    let spans: u32 = ["gw", "gw2"].iter().map(|n| element(step, n).needed).sum();
    // Sized one by one, each gateway on its 30 E would need 42 channels:
    // two E1s each, four in all.
    let one_by_one = 2 * channels_for(30.0, 0.01).div_ceil(30);
    assert_eq!(one_by_one, 4);
    assert_eq!(spans, 3, "90 channels carry 60 E well within 1%; 60 do not");
    // Each size is minimal or at today's floor, and the one that decided
    // says why.
    let minimal: Vec<&ElementPlan> =
        ["gw", "gw2"].iter().map(|n| element(step, n)).filter(|e| e.basis == SizeBasis::Minimal).collect();
    assert_eq!(minimal.len(), 1, "{:?}", step.elements);
    assert!(["gw", "gw2"].iter().all(|n| matches!(element(step, n).basis, SizeBasis::Minimal | SizeBasis::Today)));
    assert_eq!(minimal[0].decided_by.as_ref().unwrap().target, "overall");
    // One span fewer, run on its own: the target is missed.
    // (Two spans in all is today's model: one E1 each.)
    let gos = run(&model, &sc, 2).unwrap().grade_of_service().unwrap();
    assert!(gos.ci95_low > 0.01, "two E1s for 60 E: {gos:?}");
    // And the plan, run on its own, meets it.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-shared-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let planned =
        load_model(&std::fs::read_to_string(dir.join("planned-model.toml")).unwrap(), "planned.toml").unwrap();
    let gos = run(&planned, &sc, 2).unwrap().grade_of_service().unwrap();
    assert!(gos.ci95_high <= 0.01, "{gos:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_size_goes_below_today_without_allow_shrink_and_with_it_what_could_be_released_is_a_finding() {
    let text = include_str!("../models/single-trunk-group.toml").replace("e1_spans = 1", "e1_spans = 4");
    let model = load_model(&text, "big.toml").unwrap();
    let sc = load_for_model(builtin("single-trunk-group").unwrap(), "stg.toml", &model).unwrap();
    let keep = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    for e in &keep.steps[0].elements {
        assert!(e.needed >= e.today, "{e:?}");
    }
    let gw = element(&keep.steps[0], "gw");
    assert_eq!((gw.needed, gw.basis), (4, SizeBasis::Today));
    let pool = element(&keep.steps[0], "med.example.com");
    assert_eq!((pool.today, pool.needed, pool.basis), (2, 2, SizeBasis::Today), "the pool keeps its two servers");
    let shrink = plan(&model, &sc, &PlanOptions { allow_shrink: true, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    let gw = element(&shrink.steps[0], "gw");
    assert_eq!(gw.needed, 2, "{gw:?}");
    assert_eq!(gw.change_text(gw.needed), "release 2 E1 spans");
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-shrink-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &shrink, &model);
    let review = voicetwin::report::review::build(&Completed::open(&dir).unwrap()).unwrap();
    assert!(
        review
            .findings
            .iter()
            .any(|f| f
                == "At 1× load, gateway gw could release 2 E1 spans (today 4 E1 spans; the plan needs 2 E1 spans)."),
        "{:?}",
        review.findings
    );
    let text = voicetwin::report::plan::render(&shrink);
    assert!(text.contains("Could be released at x1: gateway gw: release 2 E1 spans"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_stream_with_its_own_target_is_held_to_it_and_decides_the_size() {
    let model = load_model(&in_channels(include_str!("../models/single-trunk-group.toml")), "stg.toml").unwrap();
    let lax = builtin("single-trunk-group").unwrap().to_owned()
        + "\n[[target]]\nstream = \"site:HQ\"\ngrade_of_service = 0.05\n";
    let sc = load_for_model(&lax, "lax.toml", &model).unwrap();
    // The overall stream still holds it to 1%; at 5% for the site alone
    // and overall too, the size is Erlang B's at 5%.
    let p = plan(&model, &sc, &PlanOptions { allow_shrink: true, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    let streams: Vec<(&str, f64)> = p.steps[0].streams.iter().map(|s| (s.stream.as_str(), s.target)).collect();
    assert_eq!(streams, [("overall", 0.01), ("site:HQ", 0.05)]);
    assert_eq!(p.targets[0].stream, "site:HQ");
    let gw = element(&p.steps[0], "gw");
    assert!(gw.needed.abs_diff(channels_for(20.34, 0.01)) <= 1, "{gw:?}");
    let both = lax.clone() + "\n[[target]]\nstream = \"overall\"\ngrade_of_service = 0.05\n";
    let sc = load_for_model(&both, "both.toml", &model).unwrap();
    let p = plan(&model, &sc, &PlanOptions { allow_shrink: true, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    let gw = element(&p.steps[0], "gw");
    assert!(gw.needed.abs_diff(channels_for(20.34, 0.05)) <= 1, "{gw:?}");
    assert!(gw.decided_by.as_ref().unwrap().limit == 0.05, "{gw:?}");
    // A stream the scenario does not have is an error naming it.
    let bad = builtin("single-trunk-group").unwrap().to_owned()
        + "\n[[target]]\nstream = \"site:Nowhere\"\ngrade_of_service = 0.05\n";
    let err = load_for_model(&bad, "bad.toml", &model).unwrap_err().to_string();
    assert!(
        err.contains("bad.toml") && err.contains("target 1") && err.contains("stream") && err.contains("Nowhere"),
        "{err}"
    );
    let bad = builtin("single-trunk-group").unwrap().to_owned()
        + "\n[[target]]\nstream = \"overall\"\ngrade_of_service = 1.5\n";
    let err = load_for_model(&bad, "bad.toml", &model).unwrap_err().to_string();
    assert!(err.contains("grade_of_service"), "{err}");
}

/// gw first, gw2 only for gw's overflow (two usages in order).
fn overflow_model() -> voicetwin::model::Model {
    let text = include_str!("../models/single-trunk-group.toml")
        .replacen("pstn_usages = [\"PSTN\"]\n", "pstn_usages = [\"First\", \"Overflow\"]\n", 1)
        .replacen(
            "[[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n",
            "[[peer]]\nname = \"gw2\"\nfqdn = \"gw2.example.com\"\nkind = \"pstn-gateway\"\nsite = \"HQ\"\nchannels = 10\n\n\
             [[trunk]]\nname = \"gw\"\nmediation_pool = \"med.example.com\"\npeer = \"gw\"\n\n\
             [[trunk]]\nname = \"gw2\"\nmediation_pool = \"med.example.com\"\npeer = \"gw2\"\n",
            1,
        )
        .replacen("e1_spans = 1", "channels = 10", 1)
        .replacen(
            "pstn_usages = [\"PSTN\"]\npstn_gateways = [\"gw\"]",
            "pstn_usages = [\"First\"]\npstn_gateways = [\"gw\"]\n\n[[voice_route]]\nname = \"Second\"\nnumber_pattern = '^\\+'\npstn_usages = [\"Overflow\"]\npstn_gateways = [\"gw2\"]",
            1,
        )
        .replacen("scope = \"global\"\npstn_usages = [\"PSTN\"]", "scope = \"global\"\npstn_usages = [\"First\", \"Overflow\"]", 1);
    load_model(&text, "overflow.toml").unwrap()
}

#[test]
fn a_gateway_and_its_overflow_gateway_together_hold_erlang_b_channels_and_one_fewer_fails() {
    // gw takes every call first and gw2 only its overflow: the two hunt
    // in order, one full-availability group, so together they need what
    // Erlang B asks of one group.
    let model = overflow_model();
    let sc = load_for_model(builtin("single-trunk-group").unwrap(), "stg.toml", &model).unwrap();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    let step = &p.steps[0];
    assert!(step.met);
    assert!(step.groups.is_empty(), "two routes of one gateway each share no load: {:?}", step.groups);
    let (gw, gw2) = (element(step, "gw"), element(step, "gw2"));
    assert_eq!((gw.unit, gw2.unit), (Unit::Channel, Unit::Channel));
    // With nothing in the way gw is offered everything, gw2 nothing.
    assert!((gw.demand_erlangs - 20.34).abs() < 1.0 && gw2.demand_erlangs < 0.01, "{gw:?} {gw2:?}");
    let total = gw.needed + gw2.needed;
    let theory = channels_for(20.34, 0.01);
    assert!(total >= theory && total <= theory + 2, "{total} channels in all, Erlang B {theory}");
    // gw2 stays at today's 10; gw was trimmed until one fewer missed.
    assert_eq!((gw2.needed, gw2.basis), (10, SizeBasis::Today));
    assert_eq!(gw.basis, SizeBasis::Minimal, "{gw:?}");
    // The planned model, run again, meets the target within its interval.
    let mut planned = model.clone();
    planned.peers[0].kind = PeerKind::PstnGateway { channels: gw.needed };
    planned.peers[1].kind = PeerKind::PstnGateway { channels: gw2.needed };
    let gos = run(&planned, &sc, 2).unwrap().grade_of_service().unwrap();
    assert!(gos.ci95_low <= 0.01, "{gos:?}");
}

#[test]
fn n_minus_1_sizes_each_gateway_in_spans_to_carry_the_whole_load_alone() {
    let model = load_model(&overflow_model().text.replace("channels = 10", "e1_spans = 1"), "overflow.toml").unwrap();
    let mut sc = load_for_model(builtin("single-trunk-group").unwrap(), "stg.toml", &model).unwrap();
    sc.replications = 5;
    let plain = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    assert!(plain.steps[0].n_minus_1.is_none());
    assert!(plain.steps[0].elements.iter().all(|e| e.n_minus_1.is_none()));
    let p = plan(&model, &sc, &PlanOptions { n_minus_1: true, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    let step = &p.steps[0];
    let n1 = step.n_minus_1.as_ref().expect("sized for N-1");
    assert!(n1.met, "{n1:?}");
    assert!(n1.worst_blocked_full.unwrap().mean <= 0.01);
    // With either gateway down the other carries all 20.34 E: Erlang B
    // asks 30 channels at 1%, on the target: in whole E1 spans, at least
    // one, and never below the plan.
    for name in ["gw", "gw2"] {
        let e = element(step, name);
        assert_eq!(e.unit, Unit::E1Span);
        let n = e.n_minus_1.unwrap();
        assert!(n * 30 + 1 >= channels_for(20.34, 0.01) && n >= e.needed, "{e:?}");
    }
    // Both gateways hang off the one Mediation pool: its failure loses
    // every call whatever the sizes, a routing gap listed but not sized.
    let pool = n1.cases.iter().find(|c| c.failure == "mediation-pool:med.example.com").expect("the pool is a case");
    assert!(pool.routing_gap && pool.grade_of_service.unwrap().mean > 0.99, "{pool:?}");
    assert!(n1.cases.iter().filter(|c| c.failure.starts_with("peer:")).all(|c| !c.routing_gap), "{:?}", n1.cases);
    // One Mediation Server down: its sibling takes the calls, so the pool
    // keeps two servers (today's, the floor of the plan too).
    let pool = element(step, "med.example.com");
    assert_eq!((pool.needed, pool.n_minus_1), (2, Some(2)));
    let server = n1.cases.iter().find(|c| c.failure == "mediation-server:med.example.com#1").expect("a server case");
    assert!(!server.routing_gap && server.grade_of_service.unwrap().mean <= 0.01, "{server:?}");
    // The N-1 planned model is written beside the plain one, in spans.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-n1-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let text = std::fs::read_to_string(dir.join("planned-model-n-minus-1-x1.toml")).unwrap();
    let planned = load_model(&text, "planned-model-n-minus-1-x1.toml").unwrap();
    for (peer, name) in planned.peers.iter().zip(["gw", "gw2"]) {
        let n = element(step, name).n_minus_1.unwrap();
        assert_eq!(peer.kind, PeerKind::PstnGateway { channels: 30 * n });
        assert!(text.contains(&format!("e1_spans = {n}")), "{text}");
    }
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    let header = "growth,element,kind,unit,capacity_per_unit,group,demand_erlangs,today,erlang_b,needed,change,basis,decided_by,needed_n_minus_1,change_n_minus_1,basis_n_minus_1,decided_by_n_minus_1,p5_mos,today_rejected,today_rejected_ci95_low,today_rejected_ci95_high";
    assert_eq!(csv.lines().next().unwrap(), header);
    assert!(csv.lines().any(|l| l.starts_with("1,gw2,pstn-gateway,e1-span,30,")), "{csv}");
    // Findings in spans, N-1 included.
    let review = voicetwin::report::review::build(&Completed::open(&dir).unwrap()).unwrap();
    let gw2 = element(step, "gw2");
    if gw2.n_minus_1.unwrap() > gw2.needed.max(gw2.today) {
        let n = gw2.n_minus_1.unwrap();
        let want = format!("{} more E1 span{} ({n} in all)", n - 1, if n == 2 { "" } else { "s" });
        assert!(
            review.findings.iter().any(|f| f.starts_with("At 1× load, gateway gw2 needs") && f.contains(&want)),
            "{want}: {:?}",
            review.findings
        );
    }
    assert!(review.findings.iter().all(|f| !f.contains("channels")), "{:?}", review.findings);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A step's WAN links.
fn links(p: &voicetwin::analysis::plan::PlanResults) -> impl Iterator<Item = &ElementPlan> {
    p.steps[0].elements.iter().filter(|e| e.kind == voicetwin::analysis::plan::ElementKind::WanLink)
}

/// `12,345`.
fn grouped(n: u32) -> String {
    voicetwin::limits::grouped(i64::from(n))
}

/// Contoso's busy hour, five replications.
fn contoso(edit: impl Fn(String) -> String) -> (voicetwin::scenario::Scenario, voicetwin::model::Model) {
    let model = load_model(&edit(include_str!("../models/contoso.toml").to_owned()), "contoso.toml").unwrap();
    let mut sc = load_for_model(builtin("busy-hour").unwrap(), "busy-hour.toml", &model).unwrap();
    sc.replications = 5;
    (sc, model)
}

#[test]
fn a_bandwidth_policy_too_small_is_raised_until_cac_denials_meet_the_target() {
    let (sc, model) = contoso(|t| t.replacen("audio_limit_kbps = 1000", "audio_limit_kbps = 200", 1));
    let before = run(&model, &sc, 2).unwrap();
    let paris = model.cac_elements.iter().position(|e| e.name == "site:Paris").unwrap();
    let denied = before.cac.elements[paris].denials.total();
    assert!(denied > 0, "200 kbps is about five calls: Paris is denied");
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    let step = &p.steps[0];
    assert!(step.met, "{:?}", step.grade_of_service);
    // Nothing below today's size without --allow-shrink.
    assert!(step.elements.iter().all(|e| e.needed >= e.today), "{:?}", step.elements);
    let policy = element(step, "branch-1000");
    assert_eq!(policy.element.as_deref(), Some("site:Paris"));
    let kbps = policy.session_kbps.unwrap();
    assert!(kbps > 30.0 && kbps < 100.0, "{policy:?}");
    // Inverse Erlang B on the sessions offered, then confirmed.
    let analytic = (f64::from(channels_for(policy.demand_erlangs, 0.01)) * kbps).ceil() as u32;
    assert_eq!(policy.erlang_b, analytic);
    assert_eq!(policy.unit, Unit::Kbps);
    assert!(policy.needed >= policy.erlang_b && policy.needed > 200, "{policy:?}");
    // The planned model, run again, denies at most 1% at Paris.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-cac-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let text = std::fs::read_to_string(dir.join("planned-model-x1.toml")).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("planned-model.toml")).unwrap(), text, "one step: the same plan");
    let planned = load_model(&text, "planned-model-x1.toml").unwrap();
    let limit = planned.bandwidth_policies.iter().find(|b| b.name == "branch-1000").unwrap().audio_limit_kbps;
    assert_eq!(limit, Some(policy.needed));
    let after = run(&planned, &sc, 2).unwrap();
    let (refused, attempts) = after.cac.elements[paris].audio.figures.refusals();
    assert!((refused as f64) <= 0.01 * attempts as f64, "{refused} of {attempts}");
    let csv = std::fs::read_to_string(dir.join("plan.csv")).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("1,branch-1000,bandwidth-policy,kbps,")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("1,london-paris,wan-link,kbps,")), "{csv}");
    // The review draws each unit apart and says what to add.
    let review = voicetwin::report::review::build(&Completed::open(&dir).unwrap()).unwrap();
    let files: Vec<&str> = review.charts.iter().map(|c| c.file.as_str()).collect();
    assert_eq!(files, ["plan.svg", "plan-bandwidth.svg"]);
    // Sizes nothing changes are a sentence, not a chart of equal bars.
    for unit in ["Mediation Servers", "SIP sessions"] {
        assert!(
            review.findings.iter().any(|f| f.starts_with(unit) && f.contains("no change at any growth step")),
            "{unit}: {:?}",
            review.findings
        );
    }
    let finding = format!(
        "At 1× load, bandwidth policy branch-1000 needs {} kbps more ({} kbps in all)",
        grouped(policy.needed - 200),
        grouped(policy.needed)
    );
    assert!(
        review.findings.iter().any(|f| f.starts_with(&finding)
            && f.contains("; at today's 200 kbps it denies ")
            && f.ends_with(" of its audio sessions.")),
        "{:?}",
        review.findings
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn wan_links_carry_the_planned_voice_and_grow_for_a_mos_target_until_bandwidth_stops_helping() {
    // Links of 100 kbps today: each needs more, whatever its floor.
    let (sc, model) = contoso(|t| {
        ["100000", "20000", "10000"]
            .iter()
            .fold(t, |t, k| t.replace(&format!("bandwidth_kbps = {k}\n"), "bandwidth_kbps = 100\n"))
    });
    assert!(model.links.iter().all(|l| l.bandwidth_kbps == 100));
    let plain = plan(&model, &sc, &PlanOptions::new(0.01, &[1.0], 2)).unwrap();
    for l in links(&plain) {
        // Without a MOS target: Erlang B sessions at the session bandwidth.
        let voice = (f64::from(channels_for(l.demand_erlangs, 0.01)) * l.session_kbps.unwrap()).ceil() as u32;
        assert!(l.erlang_b >= voice, "{l:?}");
        assert_eq!((l.needed, l.basis), (l.erlang_b, SizeBasis::ErlangB), "{l:?}");
        assert!(l.p5_mos.is_some(), "every contoso link carries calls: {l:?}");
    }
    let shrink = plain.clone();
    // A third of the link for voice triples it.
    let third =
        plan(&model, &sc, &PlanOptions { voice_share: 1.0 / 3.0, ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    for (a, b) in links(&plain).zip(links(&third)) {
        assert!(b.erlang_b >= 3 * a.erlang_b - 3 && b.erlang_b <= 3 * a.erlang_b + 3, "{a:?} {b:?}");
    }
    // A MOS no path reaches: each link grows while the MOS improves, then
    // is marked bound by its delay and loss.
    let strict = plan(&model, &sc, &PlanOptions { min_mos: Some(4.45), ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    for (a, b) in links(&shrink).zip(links(&strict)) {
        assert!(b.bound_by_delay_and_loss, "{b:?}");
        assert!(b.needed >= a.needed, "{a:?} {b:?}");
    }
    assert!(
        links(&shrink)
            .zip(links(&strict))
            .any(|(a, b)| b.needed > a.needed && b.p5_mos.as_ref().unwrap().mean > a.p5_mos.as_ref().unwrap().mean),
        "queueing on a link sized at its voice peak costs MOS that bandwidth buys back"
    );
    // A MOS every link already meets changes nothing.
    let easy = plan(&model, &sc, &PlanOptions { min_mos: Some(2.0), ..PlanOptions::new(0.01, &[1.0], 2) }).unwrap();
    for (a, b) in links(&shrink).zip(links(&easy)) {
        assert_eq!(a.needed, b.needed);
        assert!(!b.bound_by_delay_and_loss);
    }
}

#[test]
fn the_planned_model_of_a_growth_step_meets_the_target_when_run_at_that_load() {
    let (sc, model) = load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, &Default::default()).unwrap();
    let p = plan(&model, &sc, &PlanOptions::new(0.01, &[1.5], 2)).unwrap();
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-growth-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let planned = dir.join("planned-model.toml");
    // `voicetwin run --load-factor 1.5` with the planned model, as a user confirms it.
    let run_at = |factor: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_voicetwin"))
            .args(["run", "single-trunk-group", "--model", planned.to_str().unwrap(), "--load-factor", factor])
            .args(["--format", "json", "--out", dir.join("run").to_str().unwrap()])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let s = run_at("1.5");
    assert_eq!(s["scenario"]["load_factor"], 1.5);
    let text = std::fs::read_to_string(dir.join("run/scenario.toml")).unwrap();
    assert!(text.contains("\nload_factor = 1.5\n") && text.contains("model = \"model.toml\""), "{text}");
    assert!(s["grade_of_service"]["ci95_high"].as_f64().unwrap() <= 0.01, "{}", s["grade_of_service"]);
    // The offered load is half again the file's.
    let base = run_at("1");
    let ratio = s["calls"]["offered"]["mean"].as_f64().unwrap() / base["calls"]["offered"]["mean"].as_f64().unwrap();
    assert!((ratio - 1.5).abs() < 0.03, "{ratio}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn n_minus_1_holds_every_stream_to_its_own_target_and_links_hold_the_policies_it_grows() {
    // HQ's inbound callers held to 0.2%, the branch's to 0.5%; the branch
    // overflows to HQ over a policed WAN link.
    let (sc, model) = voicetwin::scenario::load_file(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hq-and-branch-busy-hour.toml")),
        &Default::default(),
    )
    .unwrap();
    let p = plan(&model, &sc, &PlanOptions { n_minus_1: true, ..PlanOptions::new(0.01, &[1.5], 2) }).unwrap();
    let step = &p.steps[0];
    let n1 = step.n_minus_1.as_ref().unwrap();
    assert!(step.met && n1.met, "{n1:?}");
    assert!(n1.cases.iter().all(|c| c.missed.is_none()), "{:?}", n1.cases);
    for e in &step.elements {
        assert!(e.n_minus_1.unwrap() >= e.needed && e.needed >= e.today, "{e:?}");
    }
    // A link is never smaller than the audio limit of the policy on it.
    let (policy, link) = (element(step, "branch-wan"), element(step, "hq-portland"));
    assert!(link.n_minus_1.unwrap() >= policy.n_minus_1.unwrap(), "{policy:?} {link:?}");
    // The N-1 model with the branch gateway failed: the branch's calls
    // blocked for want of capacity stay within its own 0.5%.
    let dir = std::env::temp_dir().join(format!("voicetwin-plan-streams-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_plan(&dir, &p, &model);
    let planned =
        load_model(&std::fs::read_to_string(dir.join("planned-model-n-minus-1-x1.5.toml")).unwrap(), "n1.toml")
            .unwrap();
    let text = format!(
        "{}\n[[failure]]\nelement = \"peer:gw-pdx\"\nkind = \"scheduled\"\nmode = \"reject\"\n",
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/hq-and-branch-busy-hour.toml"))
            .unwrap()
    );
    let mut failed = load_for_model(&text, "failed.toml", &planned).unwrap();
    failed.scale_load(1.5).unwrap();
    let r = run(&planned, &failed, 2).unwrap();
    let portland = model.site_by_name("Portland").unwrap().index();
    let full = r.sites[portland].directions[0].blocked_full_share().unwrap();
    assert!(full.ci95_low <= 0.005, "{full:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
