//! Failover settings. Teams sets them per SBC (`FailoverResponseCodes`,
//! `FailoverTimeSeconds`); the model has one `[routing]` for all trunks,
//! so the value most SBCs have is taken and the others are named.

use crate::model::duration::Micros;
use crate::model::file::RoutingSettingsFile;

use super::gateways::Sbc;

/// The `[routing]` of an imported Teams model: routes by priority, SBCs
/// of a route shared (Teams tries them in random order), and the
/// failover the SBCs agree on.
pub fn settings(sbcs: &[Sbc], notes: &mut Vec<String>) -> RoutingSettingsFile {
    let codes = most_common(sbcs, |s| s.failover_codes.clone());
    let seconds = most_common(sbcs, |s| s.failover_seconds);
    if let Some((codes, differ)) = &codes {
        if !differ.is_empty() {
            notes.push(format!(
                "FailoverResponseCodes differ between SBCs: the model's [routing] failover_codes take {} (most SBCs'); \
                 {} fail over on other codes in Teams",
                list(codes),
                differ.join(", ")
            ));
        }
    }
    if let Some((seconds, differ)) = &seconds {
        if !differ.is_empty() {
            notes.push(format!(
                "FailoverTimeSeconds differ between SBCs: the model's [routing] fast_failover_timeout takes {seconds} s \
                 (most SBCs'); {} wait otherwise in Teams",
                differ.join(", ")
            ));
        }
    }
    let codes = codes.map(|(c, _)| c).unwrap_or_else(|| super::gateways::DEFAULT_FAILOVER_CODES.to_vec());
    let seconds = seconds.map(|(s, _)| s).unwrap_or(super::gateways::DEFAULT_FAILOVER_SECONDS);
    RoutingSettingsFile {
        intra_usage_mode: "priority-ordered".into(),
        fast_failover_timeout: Micros::from_secs(u64::try_from(seconds).unwrap_or(10)),
        // Teams fails over on the listed codes only, 5xx or not.
        failover_on_5xx: false,
        failover_codes: codes,
        // "If a match is found in the first usage, then other usages are
        // never evaluated."
        usage_fallthrough: false,
        ..RoutingSettingsFile::default()
    }
}

/// The value most SBCs have (the first SBC's among equals), and the
/// FQDNs of the SBCs with another.
fn most_common<T: PartialEq + Clone>(sbcs: &[Sbc], value: impl Fn(&Sbc) -> T) -> Option<(T, Vec<String>)> {
    let values: Vec<T> = sbcs.iter().map(&value).collect();
    let mut best: Option<(usize, &T)> = None;
    for v in &values {
        let n = values.iter().filter(|w| *w == v).count();
        if best.is_none_or(|(m, _)| n > m) {
            best = Some((n, v));
        }
    }
    let (_, best) = best?;
    let differ = sbcs.iter().zip(&values).filter(|(_, v)| *v != best).map(|(s, _)| s.fqdn.clone()).collect();
    Some((best.clone(), differ))
}

fn list(codes: &[i64]) -> String {
    codes.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sbc(fqdn: &str, codes: &[i64], seconds: i64) -> Sbc {
        Sbc {
            fqdn: fqdn.into(),
            file: String::new(),
            label: fqdn.into(),
            enabled: Some(true),
            port: Some(5061),
            max_sessions: None,
            failover_seconds: seconds,
            failover_codes: codes.to_vec(),
            forward_pai: false,
            media_bypass: false,
            site_id: None,
            lbr: false,
            send_sip_options: true,
            proxy_sbc: None,
            description: String::new(),
            inbound_teams: vec![],
            inbound_pstn: vec![],
            outbound_teams: vec![],
            outbound_pstn: vec![],
        }
    }

    #[test]
    fn the_most_common_value_wins_and_the_others_are_named() {
        let mut notes = Vec::new();
        let s = settings(
            &[sbc("a", &[408, 503, 504], 10), sbc("b", &[408, 486], 20), sbc("c", &[408, 503, 504], 20)],
            &mut notes,
        );
        assert_eq!(s.failover_codes, [408, 503, 504]);
        assert!(!s.failover_on_5xx);
        assert_eq!(s.intra_usage_mode, "priority-ordered");
        // a waits 10 s, b and c 20 s.
        assert_eq!(s.fast_failover_timeout, Micros::from_secs(20));
        assert!(notes
            .iter()
            .any(|n| n.contains("FailoverResponseCodes") && n.ends_with("in Teams") && n.contains("; b ")));
        assert!(notes.iter().any(|n| n.contains("FailoverTimeSeconds") && n.contains("; a ")));
    }

    #[test]
    fn agreeing_sbcs_leave_no_note() {
        let mut notes = Vec::new();
        let s = settings(&[sbc("a", &[408, 503, 504], 10), sbc("b", &[408, 503, 504], 10)], &mut notes);
        assert!(notes.is_empty());
        assert_eq!(s.fast_failover_timeout, Micros::from_secs(10));
    }
}
