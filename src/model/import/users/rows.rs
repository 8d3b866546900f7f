//! The rows of a user list: `Get-CsUser | Export-Csv` (Lync, Skype for
//! Business) or `Get-CsOnlineUser | Export-Csv` (Teams), in any encoding
//! PowerShell writes, with or without Windows PowerShell's `#TYPE` line.

use super::super::error::{ImportError, Problems};
use super::super::Platform;

/// One user's row, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// The row's place (1 = the first after the header) and its line in
    /// the file, for errors.
    pub row: usize,
    pub line: u64,
    pub sip: String,
    /// The Line URI's number: E.164 digits without the `+`.
    pub number: Option<String>,
    pub enabled: bool,
    pub registrar_pool: String,
    pub site: Option<String>,
    pub dial_plan: Option<String>,
    pub voice_policy: Option<String>,
    pub location_policy: Option<String>,
    /// Teams: the user's usage location, an ISO 3166 country code.
    pub usage_location: Option<String>,
}

/// Each field's columns, first found first: Lync's names, then Teams'.
struct Columns {
    sip: Vec<usize>,
    line_uri: usize,
    enabled: Option<usize>,
    pool: Option<usize>,
    site: Option<usize>,
    dial_plan: Option<usize>,
    voice_policy: Option<usize>,
    location_policy: Option<usize>,
    usage_location: Option<usize>,
}

/// The rows of `text` (the decoded file `file`).
pub fn read(file: &str, text: &str, platform: Platform, problems: &mut Problems) -> Result<Vec<UserRow>, ImportError> {
    let fail = |message: String| ImportError::File { path: file.to_owned(), message };
    // Windows PowerShell's Export-Csv writes `#TYPE Namespace.Type` first.
    let (skipped, body) = match text.strip_prefix('\u{feff}').unwrap_or(text) {
        t if t.trim_start().starts_with("#TYPE") || t.trim_start().starts_with("#type") => {
            (1, t.split_once('\n').map(|(_, rest)| rest).unwrap_or(""))
        }
        t => (0, t),
    };
    // One line break per line, so the reader's line numbers are the file's.
    let body = body.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(body.as_bytes());
    let headers = reader.headers().map_err(|e| fail(format!("not CSV as Export-Csv writes it: {e}")))?.clone();
    let find =
        |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(n)));
    let Some(line_uri) = find(&["LineURI", "LineUri"]) else {
        return Err(fail(format!(
            "no LineURI column (the columns are {}); export with `Select-Object SipAddress, LineURI, ...`",
            headers.iter().collect::<Vec<_>>().join(", ")
        )));
    };
    let teams = platform == Platform::Teams;
    let pool = find(&["RegistrarPool"]);
    if pool.is_none() && !teams {
        return Err(fail("no RegistrarPool column: each Lync user's home pool is needed".into()));
    }
    let cols = Columns {
        sip: ["SipAddress", "UserPrincipalName"].iter().filter_map(|n| find(&[n])).collect(),
        line_uri,
        enabled: find(&["EnterpriseVoiceEnabled"]),
        pool,
        site: find(&["Site"]),
        dial_plan: if teams { find(&["TenantDialPlan", "DialPlan"]) } else { find(&["DialPlan"]) },
        voice_policy: if teams { find(&["OnlineVoiceRoutingPolicy", "VoicePolicy"]) } else { find(&["VoicePolicy"]) },
        location_policy: find(&["LocationPolicy"]),
        usage_location: if teams { find(&["UsageLocation"]) } else { None },
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| fail(format!("not CSV as Export-Csv writes it: {e}")))?;
        let line = record.position().map_or(i as u64 + 2, |p| p.line()) + skipped;
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).map(str::trim).filter(|v| !v.is_empty());
        let object = format!("row {} (line {line})", i + 1);
        let column = |c: usize| headers.get(c).unwrap_or("").to_owned();
        let enabled = match get(cols.enabled) {
            None => true,
            Some(v) => match v.trim_start_matches('$').to_ascii_lowercase().as_str() {
                "true" | "1" => true,
                "false" | "0" => false,
                _ => {
                    let c = cols.enabled.map(column).unwrap_or_default();
                    problems.push(file, &object, &c, format!("`{v}` is neither True nor False"));
                    continue;
                }
            },
        };
        let number = match get(Some(cols.line_uri)) {
            None => None,
            Some(uri) => match number(uri) {
                Ok(n) => Some(n),
                Err(m) => {
                    problems.push(file, &object, &column(cols.line_uri), m);
                    continue;
                }
            },
        };
        let registrar_pool = match get(cols.pool) {
            Some(p) => p.to_owned(),
            None if teams => super::super::TEAMS_REGISTRAR.to_owned(),
            None if number.is_some() && enabled => {
                let c = cols.pool.map(column).unwrap_or_default();
                problems.push(file, &object, &c, "empty: an Enterprise Voice user with a Line URI has a home pool");
                continue;
            }
            None => String::new(),
        };
        rows.push(UserRow {
            row: i + 1,
            line,
            sip: cols.sip.iter().find_map(|c| get(Some(*c))).unwrap_or("").to_owned(),
            number,
            enabled,
            registrar_pool,
            site: get(cols.site).map(str::to_owned),
            dial_plan: get(cols.dial_plan).map(policy),
            voice_policy: get(cols.voice_policy).map(policy),
            location_policy: get(cols.location_policy).map(policy),
            usage_location: get(cols.usage_location).map(str::to_ascii_uppercase),
        });
    }
    Ok(rows)
}

/// A per-user policy as the model names it: `Tag:RedmondUsers` and
/// `RedmondUsers` are `RedmondUsers`.
fn policy(v: &str) -> String {
    match v.split_once(':') {
        Some((tag, name)) if tag.trim().eq_ignore_ascii_case("tag") => name.trim().to_owned(),
        _ => v.to_owned(),
    }
}

/// The E.164 digits of a Line URI: `tel:+14255550100;ext=0100` and
/// `tel:+14255550100` give `14255550100`.
pub fn number(uri: &str) -> Result<String, String> {
    let u = uri.trim();
    let u = if u.len() >= 4 && u[..4].eq_ignore_ascii_case("tel:") { &u[4..] } else { u };
    let n = u.split(';').next().unwrap_or("").trim();
    match n.strip_prefix('+') {
        Some(d) if (1..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => Ok(d.to_owned()),
        _ => Err(format!("`{uri}` is not a Line URI of an E.164 number (tel:+14255550100, optionally ;ext=...)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_uri_gives_its_e164_digits() {
        assert_eq!(number("tel:+14255550100;ext=0100").unwrap(), "14255550100");
        assert_eq!(number("TEL:+442079467000").unwrap(), "442079467000");
        assert!(number("tel:5550100").is_err());
        assert!(number("tel:+1425555O100").is_err());
        assert!(number("tel:+").is_err());
    }

    #[test]
    fn the_type_line_and_policy_tags_are_read_past() {
        let text = "#TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser\r\n\
                    \"SipAddress\",\"LineURI\",\"RegistrarPool\",\"VoicePolicy\",\"EnterpriseVoiceEnabled\"\r\n\
                    \"sip:a@contoso.com\",\"tel:+14255550100;ext=0100\",\"fe.contoso.com\",\"Tag:Lobby\",\"True\"\r\n\
                    \"sip:b@contoso.com\",\"\",\"fe.contoso.com\",\"\",\"False\"\r\n";
        let mut p = Problems::default();
        let rows = read("u.csv", text, Platform::Lync, &mut p).unwrap();
        assert!(p.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].number.as_deref(), Some("14255550100"));
        assert_eq!(rows[0].voice_policy.as_deref(), Some("Lobby"));
        assert_eq!(rows[0].line, 3);
        assert!(!rows[1].enabled && rows[1].number.is_none());
    }

    #[test]
    fn a_bad_row_is_named_by_row_line_and_column() {
        let text = "SipAddress,LineURI,RegistrarPool\nsip:a@x,tel:+1425,fe\nsip:b@x,tel:555,fe\n";
        let mut p = Problems::default();
        read("u.csv", text, Platform::Lync, &mut p).unwrap();
        let e = p.finish(()).unwrap_err().to_string();
        assert!(e.contains("u.csv: row 2 (line 3), property `LineURI`"), "{e}");
    }
}
