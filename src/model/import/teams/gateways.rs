//! `Get-CsOnlinePSTNGateway`: each SBC paired with the tenant, read into
//! what the model makes of it (a peer, its trunk, its trunk configuration
//! and inbound dial plan; see `docs/import-teams.md`).

use crate::model::file::RuleFile;
use crate::model::import::error::Problems;
use crate::model::import::object::CmdletObject;

use super::rules::TranslationRules;

/// `FailoverResponseCodes` when the SBC does not set it (Set-CsOnlinePSTNGateway).
pub const DEFAULT_FAILOVER_CODES: [i64; 3] = [408, 503, 504];
/// `FailoverTimeSeconds` when the SBC does not set it.
pub const DEFAULT_FAILOVER_SECONDS: i64 = 10;
/// The model's largest concurrent-call figure (`session_limit`).
pub const MOST_SESSIONS: i64 = 1_000_000;

/// One SBC as exported.
#[derive(Debug, Clone)]
pub struct Sbc {
    /// Its FQDN, as voice routes name it.
    pub fqdn: String,
    /// The exported object, for messages.
    pub file: String,
    pub label: String,
    /// Takes new outbound calls (`Enabled`); `None` when not exported.
    pub enabled: Option<bool>,
    pub port: Option<i64>,
    pub max_sessions: Option<i64>,
    /// `FailoverTimeSeconds`, or the default.
    pub failover_seconds: i64,
    /// `FailoverResponseCodes`, sorted, or the default.
    pub failover_codes: Vec<i64>,
    pub forward_pai: bool,
    pub media_bypass: bool,
    /// `GatewaySiteId`: its LBR network site.
    pub site_id: Option<String>,
    /// `GatewaySiteLbrEnabled`.
    pub lbr: bool,
    /// `SendSipOptions` (default on).
    pub send_sip_options: bool,
    /// `ProxySbc`: a Local Media Optimization downstream SBC.
    pub proxy_sbc: Option<String>,
    pub description: String,
    /// The called number of inbound calls (`InboundTeamsNumberTranslationRules`).
    pub inbound_teams: Vec<RuleFile>,
    /// The calling number of inbound calls (`InboundPstnNumberTranslationRules`).
    pub inbound_pstn: Vec<RuleFile>,
    /// The calling number of outbound calls (`OutboundTeamsNumberTranslationRules`).
    pub outbound_teams: Vec<RuleFile>,
    /// The called number of outbound calls (`OutboundPstnNumberTranslationRules`).
    pub outbound_pstn: Vec<RuleFile>,
}

/// Every SBC of the export, each FQDN once.
pub fn read(objects: &[CmdletObject], rules: &TranslationRules, problems: &mut Problems) -> Vec<Sbc> {
    let mut out: Vec<Sbc> = Vec::new();
    for o in objects {
        let Some(sbc) = one(o, rules, problems) else { continue };
        if out.iter().any(|s| s.fqdn.eq_ignore_ascii_case(&sbc.fqdn)) {
            problems.push(&o.file, &o.label, "Identity", format!("the SBC `{}` is given twice", sbc.fqdn));
            continue;
        }
        out.push(sbc);
    }
    out
}

fn one(o: &CmdletObject, rules: &TranslationRules, problems: &mut Problems) -> Option<Sbc> {
    let fqdn = o.text("Fqdn", problems).or_else(|| o.text("Identity", problems));
    let Some(fqdn) = fqdn.map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()) else {
        problems.push(&o.file, &o.label, "Identity", "missing: every SBC has its FQDN as Identity (or Fqdn)");
        return None;
    };
    if fqdn.contains(char::is_whitespace) {
        problems.push(&o.file, &o.label, "Identity", format!("`{fqdn}` is not an FQDN (it holds a space)"));
        return None;
    }
    let port = o.whole("SipSignalingPort", problems);
    match port {
        None => problems.push(&o.file, &o.label, "SipSignalingPort", "missing: every SBC has its TLS listening port"),
        Some(p) if !(1..=65_535).contains(&p) => {
            problems.push(&o.file, &o.label, "SipSignalingPort", format!("{p} is not a port (1 to 65535)"))
        }
        Some(_) => {}
    }
    let max_sessions = o.whole("MaxConcurrentSessions", problems).filter(|&n| {
        let ok = (1..=MOST_SESSIONS).contains(&n);
        if !ok {
            problems.push(
                &o.file,
                &o.label,
                "MaxConcurrentSessions",
                format!("{n} is not a session count the model takes (1 to {MOST_SESSIONS})"),
            );
        }
        ok
    });
    let failover_seconds = match o.whole("FailoverTimeSeconds", problems) {
        None => DEFAULT_FAILOVER_SECONDS,
        Some(s) if (1..=3600).contains(&s) => s,
        Some(s) => {
            problems.push(
                &o.file,
                &o.label,
                "FailoverTimeSeconds",
                format!("{s} s is outside what the model takes (1 to 3600 s)"),
            );
            DEFAULT_FAILOVER_SECONDS
        }
    };
    let failover_codes = codes(o, problems);
    let lists = |property: &str, problems: &mut Problems| {
        let names = o.texts(property, problems);
        rules.resolve(o, property, &names, problems)
    };
    Some(Sbc {
        file: o.file.clone(),
        label: o.label.clone(),
        enabled: o.flag("Enabled", problems),
        port,
        max_sessions,
        failover_seconds,
        failover_codes,
        forward_pai: o.flag("ForwardPai", problems).unwrap_or(false),
        media_bypass: o.flag("MediaBypass", problems).unwrap_or(false),
        site_id: o.text("GatewaySiteId", problems).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        lbr: o.flag("GatewaySiteLbrEnabled", problems).unwrap_or(false),
        send_sip_options: o.flag("SendSipOptions", problems).unwrap_or(true),
        proxy_sbc: o.text("ProxySbc", problems).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
        description: o.text("Description", problems).unwrap_or_default(),
        inbound_teams: lists("InboundTeamsNumberTranslationRules", problems),
        inbound_pstn: lists("InboundPstnNumberTranslationRules", problems),
        outbound_teams: lists("OutboundTeamsNumberTranslationRules", problems),
        outbound_pstn: lists("OutboundPstnNumberTranslationRules", problems),
        fqdn,
    })
}

/// `FailoverResponseCodes`: a text such as `"408, 503, 504"` (or a list);
/// absent or empty, the documented default. Sorted, each once.
fn codes(o: &CmdletObject, problems: &mut Problems) -> Vec<i64> {
    let mut out = Vec::new();
    for text in o.texts("FailoverResponseCodes", problems) {
        for part in text.split([',', ';', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            match part.parse::<i64>() {
                Ok(c) if (400..=699).contains(&c) => out.push(c),
                _ => problems.push(
                    &o.file,
                    &o.label,
                    "FailoverResponseCodes",
                    format!("`{part}` is not a final failure response code (400 to 699)"),
                ),
            }
        }
    }
    if out.is_empty() {
        return DEFAULT_FAILOVER_CODES.to_vec();
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sbcs(json: &str, rules: &str) -> (Vec<Sbc>, Problems) {
        let mut p = Problems::default();
        let objects = |f: &str, j: &str, p: &mut Problems| CmdletObject::all_in(f, serde_json::from_str(j).unwrap(), p);
        let r = TranslationRules::read(&objects("Get-CsTeamsTranslationRule.json", rules, &mut p), &mut p);
        let all = read(&objects("Get-CsOnlinePSTNGateway.json", json, &mut p), &r, &mut p);
        (all, p)
    }

    #[test]
    fn reads_the_documented_properties_and_defaults() {
        let (s, p) = sbcs(
            r#"[{"Identity":"sbc1.contoso.com","Fqdn":"sbc1.contoso.com","SipSignalingPort":5061,
                 "FailoverResponseCodes":"503, 408,504","FailoverTimeSeconds":10,"Enabled":true,
                 "MaxConcurrentSessions":100,"OutboundPstnNumberTranslationRules":["StripPlus1"]},
                {"Identity":"sbc2.contoso.com","SipSignalingPort":"5067","FailoverResponseCodes":"408,486",
                 "FailoverTimeSeconds":20,"Enabled":false}]"#,
            r#"{"Identity":"StripPlus1","Pattern":"^\\+1(\\d{10})$","Translation":"$1"}"#,
        );
        assert!(p.is_empty(), "{:?}", p.finish(()));
        assert_eq!(s[0].failover_codes, [408, 503, 504]);
        assert_eq!((s[0].port, s[0].max_sessions, s[0].enabled), (Some(5061), Some(100), Some(true)));
        assert_eq!(s[0].outbound_pstn[0].translation, "$1");
        assert_eq!(s[1].failover_codes, [408, 486]);
        assert_eq!((s[1].port, s[1].failover_seconds, s[1].enabled), (Some(5067), 20, Some(false)));
        assert_eq!(s[1].max_sessions, None);
    }

    #[test]
    fn bad_values_name_the_sbc_and_the_property() {
        let (_, p) = sbcs(
            r#"{"Identity":"sbc1.contoso.com","SipSignalingPort":70000,"FailoverResponseCodes":"408, busy",
                "MaxConcurrentSessions":0}"#,
            "[]",
        );
        let e = p.finish(()).unwrap_err().to_string();
        for needle in [
            "sbc1.contoso.com, property `SipSignalingPort`",
            "sbc1.contoso.com, property `FailoverResponseCodes`: `busy`",
            "sbc1.contoso.com, property `MaxConcurrentSessions`",
        ] {
            assert!(e.contains(needle), "missing {needle:?} in {e}");
        }
    }
}
