//! Invariants over generated inputs (proptest).

use proptest::prelude::*;
use voicetwin::model::{Model, TrunkId};
use voicetwin::pattern::netregex::Rewrite;
use voicetwin::voice::translate::first_match;
use voicetwin::voice::{Caller, Router, TrunkHealth, TrunkStates};

fn contoso() -> &'static Model {
    static M: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
    M.get_or_init(Model::contoso)
}

/// Strings as users and peers send them, plus the odd character.
fn dialed() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{1,15}", "\\+[1-9][0-9]{6,14}", "9[0-9]{7,14}", "[0-9+*#() .-]{0,20}", any::<String>(),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// No pattern, translation or input makes rule application panic.
    #[test]
    fn translation_never_panics(pattern in "[\\\\^$()\\[\\]{}|?*+.0-9d\\-]{0,16}", translation in "[$&`'+_{}0-9a-z]{0,12}", input in any::<String>()) {
        if let Ok(r) = Rewrite::new(&pattern, &translation) {
            let _ = r.apply(&input);
            let _ = r.is_match(&input);
        }
    }

    /// The rule applied is the first whose pattern matches, and its result
    /// is what that rule alone gives.
    #[test]
    fn first_match_order(prefixes in prop::collection::vec("[0-9]{0,3}", 1..8), input in "[0-9]{0,8}") {
        let rules: Vec<_> = prefixes.iter().enumerate().map(|(i, p)| voicetwin::model::NumberRule {
            name: format!("r{i}"),
            rewrite: Rewrite::new(&format!("^{p}(\\d*)$"), &format!("+{i}$1")).unwrap(),
            is_internal_extension: false,
            description: String::new(),
        }).collect();
        let t = first_match(&rules, &input);
        let expected = prefixes.iter().position(|p| input.starts_with(p.as_str()));
        prop_assert_eq!(t.rule, expected);
        match expected {
            Some(i) => prop_assert_eq!(t.number, format!("+{i}{}", &input[prefixes[i].len()..])),
            None => prop_assert_eq!(t.number, input),
        }
    }

    /// A down trunk is never an attempt; no trunk is offered twice; the
    /// decision is the same every time for the same inputs.
    #[test]
    fn down_trunks_are_never_attempts(
        down in prop::collection::vec(any::<bool>(), 10),
        less in prop::collection::vec(any::<bool>(), 10),
        group in 0usize..6,
        index in 0u32..20,
        number in dialed(),
        rotation in any::<u32>(),
    ) {
        let m = contoso();
        let mut states = TrunkStates::all_up(m);
        for (i, (d, l)) in down.iter().zip(&less).enumerate().take(m.trunks.len()) {
            let t = TrunkId::from_index(i);
            if *d { states.set(t, TrunkHealth::Down) } else if *l { states.set(t, TrunkHealth::LessPreferred) }
        }
        let g = voicetwin::model::UserGroupId::from_index(group % m.user_groups.len());
        let caller = Caller::User { group: g, index: index % m.user_group(g).users };
        let mut router = Router::new(m);
        let d = router.decide(caller, &number, None, &states, rotation);
        let mut seen = std::collections::HashSet::new();
        for c in &d.candidates {
            prop_assert_ne!(states.get(c.trunk), TrunkHealth::Down);
            prop_assert!(seen.insert(c.trunk), "trunk offered twice");
        }
        prop_assert_eq!(router.decide(caller, &number, None, &states, rotation), d);
    }

    /// Inbound calls from any trunk never panic and never route back out
    /// of the trunk they came in on.
    #[test]
    fn inbound_never_hairpins(trunk in 0usize..10, number in dialed()) {
        let m = contoso();
        let t = TrunkId::from_index(trunk % m.trunks.len());
        let d = Router::new(m).decide(Caller::Trunk(t), &number, Some("+12065550100"), &TrunkStates::all_up(m), 0);
        prop_assert!(d.candidates.iter().all(|c| c.trunk != t));
    }
}

/// Pieces of the usual Lync pattern shape.
fn piece() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[0-9]{1,3}",
        Just(r"\+".to_owned()),
        Just(r"\d".to_owned()),
        Just("[2-9]".to_owned()),
        (0u32..4).prop_map(|n| format!(r"\d{{{n}}}")),
        (0u32..3, 0u32..4).prop_map(|(a, b)| format!(r"\d{{{a},{}}}", a + b)),
        Just(r"\d*".to_owned()),
        Just(r"\d+".to_owned()),
        Just(r"\d?".to_owned()),
        Just(r"\d*?".to_owned()),
        Just("9?".to_owned()),
        Just("(12|1|3)".to_owned()),
        Just(r"(?:12|3\d)".to_owned()),
        Just(r"(1\d|2[0-4]|)".to_owned()),
        Just("(?!1)".to_owned()),
        Just("(?!44|3)".to_owned()),
        Just("(?=4|12)".to_owned()),
    ];
    prop_oneof![leaf.clone(), prop::collection::vec(leaf, 1..4).prop_map(|v| format!("({})", v.concat())),]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// The fast matcher finds the same match and captures as the regex
    /// crate, or as fancy-regex for the look-aheads only it parses.
    #[test]
    fn fast_matcher_agrees_with_the_regex_engines(pieces in prop::collection::vec(piece(), 1..5), end in any::<bool>(), input in "[0-9+*#]{0,14}") {
        let pattern = format!("^{}{}", pieces.concat(), if end { "$" } else { "" });
        // Beyond the fast matcher's groups a pattern goes to the regex engines.
        let groups = pattern.match_indices('(').filter(|(i, _)| !pattern[i + 1..].starts_with('?')).count();
        prop_assume!(groups < voicetwin::pattern::fastmatch::MAX_GROUPS);
        let fast = voicetwin::pattern::fastmatch::FastMatch::new(&pattern).expect("generated patterns have the fast shape");
        let expected = if pattern.contains("(?!") || pattern.contains("(?=") {
            let re = fancy_regex::Regex::new(&pattern).unwrap();
            re.captures(&input).unwrap().map(|c| (0..re.captures_len()).map(|g| c.get(g).map(|m| (m.start(), m.end()))).collect::<Vec<_>>())
        } else {
            let re = regex::Regex::new(&pattern).unwrap();
            re.captures(&input).map(|c| (0..re.captures_len()).map(|g| c.get(g).map(|m| (m.start(), m.end()))).collect::<Vec<_>>())
        };
        let mut slots = [voicetwin::pattern::fastmatch::UNSET; 2 * voicetwin::pattern::fastmatch::MAX_GROUPS];
        let unset = voicetwin::pattern::fastmatch::UNSET;
        let got = fast.captures(&input, &mut slots).unwrap().then(|| (0..fast.groups()).map(|g| {
            let (a, b) = (slots[2 * g], slots[2 * g + 1]);
            (a != unset && b != unset).then_some((a as usize, b as usize))
        }).collect::<Vec<_>>());
        prop_assert_eq!(got, expected, "pattern {}", pattern);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// One pass of a pattern set says of every pattern it decides what
    /// that pattern says alone (`Regex.IsMatch`, a search).
    #[test]
    fn pattern_set_agrees_with_each_pattern(
        patterns in prop::collection::vec((prop::collection::vec(piece(), 1..4), any::<bool>(), any::<bool>()), 4..9),
        inputs in prop::collection::vec("[0-9+*#]{0,14}", 1..8),
    ) {
        use voicetwin::pattern::netregex::NetRegex;
        use voicetwin::pattern::patternset::{Matches, PatternSet};
        let compiled: Vec<NetRegex> = patterns
            .iter()
            .map(|(p, start, end)| NetRegex::new(&format!("{}{}{}", if *start { "^" } else { "" }, p.concat(), if *end { "$" } else { "" })).unwrap())
            .collect();
        let set = PatternSet::new(compiled.iter());
        let mut m = Matches::default();
        for input in &inputs {
            if set.matches(input, &mut m) {
                for (i, p) in compiled.iter().enumerate().filter(|(i, _)| set.decides(*i)) {
                    prop_assert_eq!(m.contains(i), p.is_match(input), "{} on {}", p.as_str(), input);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the file holds, loading returns a model or an error: no
    /// panic. Mutations of contoso reach deep into validation.
    #[test]
    fn loading_never_panics(edits in prop::collection::vec((any::<prop::sample::Index>(), prop_oneof![
        Just(String::new()),
        Just("session_limit = 0".to_owned()),
        Just("pstn_gateways = [\"gw-red-1\", \"gw-red-1\"]".to_owned()),
        Just("scope = \"site:Nowhere\"".to_owned()),
        Just("pstn_usages = [\"PBX-Outbound\"]".to_owned()),
        Just("number_pattern = '^\\+1\\d{10}$'".to_owned()),
        "[a-z_]{1,12} = [0-9]{1,3}",
        any::<String>(),
    ]), 1..4)) {
        let mut lines: Vec<String> = voicetwin::model::CONTOSO_TOML.lines().map(str::to_owned).collect();
        for (at, text) in edits {
            let i = at.index(lines.len());
            lines[i] = text;
        }
        let _ = voicetwin::model::load_str(&lines.join("\n"), "mutated.toml");
    }

    #[test]
    fn loading_arbitrary_text_never_panics(text in any::<String>()) {
        let _ = voicetwin::model::load_str(&text, "random.toml");
    }
}
