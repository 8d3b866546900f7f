//! Checks of the dialect against the documented .NET behaviour.

use super::*;

fn apply(p: &str, t: &str, input: &str) -> Option<String> {
    Rewrite::new(p, t).unwrap().apply(input)
}

#[test]
fn documented_normalization_examples() {
    // The sample rules of "Dial plans and normalization rules in Lync
    // Server 2013" (docs/lync-behaviour.md, "Dial plans and
    // normalization").
    assert_eq!(apply(r"^(\d{4})$", "+1425555$1", "0100").as_deref(), Some("+14255550100"));
    assert_eq!(apply(r"^5(\d{4})$", "+1425555$1", "50100").as_deref(), Some("+14255550100"));
    assert_eq!(apply(r"^(\d{7})$", "+1425$1", "5550100").as_deref(), Some("+14255550100"));
    assert_eq!(apply(r"^(\d{10})$", "+1$1", "2065550100").as_deref(), Some("+12065550100"));
    // Implemented literally: the documented rule drops the country code.
    assert_eq!(apply(r"^1(\d{10})$", "+$1", "12145550100").as_deref(), Some("+2145550100"));
    assert_eq!(apply(r"^011(\d*)$", "+$1", "01191445550100").as_deref(), Some("+91445550100"));
    assert_eq!(apply(r"^0$", "+14255550100", "0").as_deref(), Some("+14255550100"));
    assert_eq!(apply(r"^6222(\d{4})$", "+1425555$1", "62220100").as_deref(), Some("+14255550100"));
    // The placeholder rule of a new dial plan (New-CsDialPlan,
    // New-CsVoiceNormalizationRule).
    assert_eq!(apply(r"^(\d{11})$", "+$1", "14255550100").as_deref(), Some("+14255550100"));
    assert_eq!(apply(r"^(\d{11})$", "+$1", "4255550100"), None);
}

#[test]
fn build_a_translation_rule_tool_example() {
    // The Build a Translation Rule tool's documented example: starting
    // digits +, length at least 11, remove 1, add 011.
    assert_eq!(apply(r"^\+(\d{9}\d+)$", "011$1", "+441235551010").as_deref(), Some("011441235551010"));
}

#[test]
fn dollar_digits_take_all_digits_and_stay_literal_when_missing() {
    assert_eq!(apply(r"^(\d)", "$10", "5").as_deref(), Some("$10"));
    assert_eq!(apply(r"^(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)$", "$10", "1234567890").as_deref(), Some("0"));
    assert_eq!(apply(r"^(\d+)$", "$2x", "55").as_deref(), Some("$2x"));
}

#[test]
fn braces_dollars_and_whole_match() {
    assert_eq!(apply(r"^(\d+)$", "${1}0", "55").as_deref(), Some("550"));
    assert_eq!(apply(r"^(\d+)$", "$$1", "55").as_deref(), Some("$1"));
    assert_eq!(apply(r"^\d+$", "+$&", "55").as_deref(), Some("+55"));
    assert_eq!(apply(r"^\d+$", "+$0", "55").as_deref(), Some("+55"));
    assert_eq!(apply(r"^(?<num>\d+)$", "+${num}", "55").as_deref(), Some("+55"));
    assert_eq!(apply(r"^(\d+)$", "${nope}", "55").as_deref(), Some("${nope}"));
    assert_eq!(apply(r"^(\d+)$", "${2}", "55").as_deref(), Some("${2}"));
    assert_eq!(apply(r"^(\d+)$", "a$", "55").as_deref(), Some("a$"));
    assert_eq!(apply(r"^(\d+)$", "$x", "55").as_deref(), Some("$x"));
}

#[test]
fn before_after_last_group_and_input() {
    assert_eq!(apply(r"55", "[$`|$']", "1552").as_deref(), Some("1[1|2]2"));
    assert_eq!(apply(r"^(\d)(\d)$", "$+", "12").as_deref(), Some("2"));
    assert_eq!(apply(r"2", "$_", "123").as_deref(), Some("11233"));
}

#[test]
fn repeated_group_keeps_its_last_capture() {
    // docs/lync-behaviour.md, ".NET regular expressions":
    // ^9(\d*){1,5}$ captures "" from 95551212.
    assert_eq!(apply(r"^9(\d*){1,5}$", "[$1]", "95551212").as_deref(), Some("[]"));
    assert_eq!(apply(r"^(\d)+$", "$1", "123").as_deref(), Some("3"));
}

#[test]
fn unanchored_rules_replace_every_match_and_keep_the_rest() {
    assert_eq!(
        apply(r"(\d{10})[x|X](\d{5})", "+1$1;ext=$2", "4255550100x12345").as_deref(),
        Some("+14255550100;ext=12345")
    );
    assert_eq!(apply(r"\d{2}", "#", "12345").as_deref(), Some("##5"));
}

#[test]
fn look_around_and_backreferences_use_the_backtracking_engine() {
    let r = NetRegex::new(r"^\+1(?!800)\d{10}$").unwrap();
    assert!(r.is_fancy());
    assert!(r.is_match("+14255550100"));
    assert!(!r.is_match("+18005550100"));
    assert_eq!(apply(r"^(\d)\1(\d+)$", "$2", "11234").as_deref(), Some("234"));
}

#[test]
fn is_match_is_a_search() {
    let r = NetRegex::new("[0-9]{10}").unwrap();
    assert!(r.is_match("+442071234567"));
    assert!(!r.is_match("+1425555"));
}

#[test]
fn the_deferred_engine_answers_what_the_fast_matcher_cannot() {
    // Built on first use: a Unicode digit is a digit to .NET and to the
    // regex crate, and the fast matcher leaves non-ASCII input to it.
    let r = NetRegex::new(r"^(\d{2})(?<rest>\d+)$").unwrap();
    assert!(r.is_match("٣٣٣") && !r.is_match("٣x"));
    assert_eq!(r.groups_len(), 3);
    assert_eq!(apply(r"^(\d{2})(?<rest>\d+)$", "${rest}-$1", "٣٣٤").as_deref(), Some("٤-٣٣"));
    // A pattern beyond the engine's size limit is still an error at load.
    assert!(NetRegex::new(r"^\d{100000}$").is_err());
}

#[test]
fn bad_patterns_say_why() {
    let e = NetRegex::new(r"^(\d{4}$").unwrap_err();
    assert!(e.contains("unclosed"), "{e}");
}
