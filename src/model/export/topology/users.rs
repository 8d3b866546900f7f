//! `Get-CsUser | Select-Object ... | Export-Csv -NoTypeInformation`: one
//! row per user of every user group, numbered from the group's first
//! number, with the group's site in a `Site` column (Lync has no such
//! property; the importer reads it when present).

use crate::model::file::ModelFile;

pub const COLUMNS: [&str; 8] = [
    "SipAddress",
    "LineURI",
    "RegistrarPool",
    "DialPlan",
    "VoicePolicy",
    "LocationPolicy",
    "Site",
    "EnterpriseVoiceEnabled",
];

pub fn csv(m: &ModelFile) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    for g in &m.user_groups {
        let digits = g.first_number.trim().trim_start_matches('+');
        let Ok(first) = digits.parse::<u64>() else { continue };
        let domain = g.registrar_pool.split_once('.').map_or(g.registrar_pool.as_str(), |(_, d)| d);
        let site = g.site.clone().or_else(|| {
            let subnet = g.subnet.as_deref()?;
            m.subnets.iter().find(|s| s.prefix == subnet).map(|s| s.site.clone())
        });
        for i in 0..g.users.max(0) as u64 {
            let Some(n) = first.checked_add(i) else { break };
            let number = format!("{n:0width$}", width = digits.len());
            let _ = w.write_record([
                format!("sip:u{number}@{domain}").as_str(),
                &format!("tel:+{number}"),
                &g.registrar_pool,
                g.dial_plan.as_deref().unwrap_or(""),
                g.voice_policy.as_deref().unwrap_or(""),
                g.location_policy.as_deref().unwrap_or(""),
                site.as_deref().unwrap_or(""),
                "True",
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}
