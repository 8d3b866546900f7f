//! Number rules as Lync exports them: a dial plan's normalization rules and
//! a trunk configuration's translation and response code rules, nested in
//! their parent (as objects or as their flattened `ToString()`), or
//! exported on their own (`Get-CsVoiceNormalizationRule`, ...) with an
//! `Identity` of `Scope/Name` and a `Priority`. The standalone export,
//! when the folder has it, is the authority: it holds every rule and its
//! priority even where the parent's export was cut off.

use std::collections::BTreeMap;

use super::super::error::{ImportError, Problems};
use super::super::folder::Exports;
use super::super::identity;
use super::super::object::CmdletObject;
use crate::model::file::{ResponseCodeRuleFile, RuleFile};

/// A normalization or translation rule (`Name`, `Pattern`,
/// `Translation`, `IsInternalExtension`, `Description`). A standalone
/// rule without `Name` takes the name after the `/` of its `Identity`.
pub fn number_rule(o: &CmdletObject, problems: &mut Problems) -> Option<RuleFile> {
    let name = o.text("Name", problems).or_else(|| rule_name(o, problems));
    if name.is_none() {
        problems.push(&o.file, &o.label, "Name", "missing: every rule has a name");
    }
    let pattern = o.required_text("Pattern", problems);
    let translation = o.required_text("Translation", problems);
    let is_internal_extension = o.flag("IsInternalExtension", problems).unwrap_or(false);
    let description = o.text("Description", problems).unwrap_or_default();
    Some(RuleFile {
        name: name?,
        pattern: pattern?,
        translation: translation?,
        priority: None,
        is_internal_extension,
        description,
    })
}

/// A SIP response code translation rule (`ReceivedResponseCode`,
/// `ReceivedISUPCauseValue`, `TranslatedResponseCode`); an absent ISUP
/// cause is Lync's -1 (any).
pub fn response_rule(o: &CmdletObject, problems: &mut Problems) -> Option<ResponseCodeRuleFile> {
    let name = o.text("Name", problems).or_else(|| rule_name(o, problems));
    if name.is_none() {
        problems.push(&o.file, &o.label, "Name", "missing: every rule has a name");
    }
    let received = o.whole("ReceivedResponseCode", problems);
    if received.is_none() && !o.has("ReceivedResponseCode") {
        problems.push(&o.file, &o.label, "ReceivedResponseCode", "missing: the cmdlet always writes it");
    }
    let translated = o.whole("TranslatedResponseCode", problems);
    if translated.is_none() && !o.has("TranslatedResponseCode") {
        problems.push(&o.file, &o.label, "TranslatedResponseCode", "missing: the cmdlet always writes it");
    }
    let isup = o.whole("ReceivedISUPCauseValue", problems).unwrap_or(-1);
    Some(ResponseCodeRuleFile {
        name: name?,
        received_response_code: received?,
        received_isup_cause_value: isup,
        translated_response_code: translated?,
        priority: None,
    })
}

/// The rule name after the `/` of a standalone rule's `Identity`.
fn rule_name(o: &CmdletObject, problems: &mut Problems) -> Option<String> {
    let id = o.text("Identity", problems)?;
    identity::parse(&id).ok().and_then(|(_, rule)| rule).filter(|r| !r.is_empty())
}

/// Standalone rules by their parent's scope (the model's scope in lower
/// case), each list in priority order.
#[derive(Debug)]
pub struct Standalone<T> {
    /// The export's file, as errors name it.
    pub file: String,
    /// Scope key → (the scope as the model writes it, the rules).
    pub by_scope: BTreeMap<String, (String, Vec<T>)>,
}

impl<T> Standalone<T> {
    /// The rules of `scope` (the model's form), taken out of the map.
    pub fn take(&mut self, scope: &str) -> Vec<T> {
        self.by_scope.remove(&scope.to_lowercase()).map(|(_, rules)| rules).unwrap_or_default()
    }
}

/// A rule with its `Priority` and its place in the file.
type Ranked<T> = (i64, usize, T);

/// Reads a standalone rule export (`Get-CsVoiceNormalizationRule`, ...);
/// `None` when the folder does not hold it.
pub fn standalone<T>(
    exports: &Exports,
    cmdlet: &str,
    problems: &mut Problems,
    read: fn(&CmdletObject, &mut Problems) -> Option<T>,
) -> Result<Option<Standalone<T>>, ImportError> {
    let Some(path) = exports.path(cmdlet, "json") else { return Ok(None) };
    let file = path.display().to_string();
    let mut ranked: BTreeMap<String, (String, Vec<Ranked<T>>)> = BTreeMap::new();
    for (i, o) in exports.objects(cmdlet, problems)?.iter().enumerate() {
        let Some(id) = o.required_text("Identity", problems) else { continue };
        let scope = match identity::parse(&id) {
            Ok((_, None)) => {
                problems.push(&o.file, &o.label, "Identity", format!("`{id}` names no rule: expected SCOPE/NAME"));
                continue;
            }
            Ok((scope, Some(_))) => scope.to_model(),
            Err(e) => {
                problems.push(&o.file, &o.label, "Identity", e);
                continue;
            }
        };
        let priority = o.whole("Priority", problems).unwrap_or(i as i64);
        if let Some(rule) = read(o, problems) {
            ranked.entry(scope.to_lowercase()).or_insert_with(|| (scope, Vec::new())).1.push((priority, i, rule));
        }
    }
    let by_scope = ranked
        .into_iter()
        .map(|(key, (scope, mut rules))| {
            rules.sort_by_key(|(p, i, _)| (*p, *i));
            (key, (scope, rules.into_iter().map(|(_, _, r)| r).collect()))
        })
        .collect();
    Ok(Some(Standalone { file, by_scope }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(json: &str) -> Vec<CmdletObject> {
        let mut p = Problems::default();
        let v = serde_json::from_str(json).unwrap();
        CmdletObject::all_in("Get-CsVoiceNormalizationRule.json", v, &mut p)
    }

    #[test]
    fn a_standalone_rule_is_named_by_its_identity() {
        let mut p = Problems::default();
        let o = &objects(r#"{"Identity":"Site:Redmond/4digit","Pattern":"^(\\d{4})$","Translation":"+1425555$1"}"#)[0];
        let r = number_rule(o, &mut p).unwrap();
        assert_eq!(r.name, "4digit");
        assert!(!r.is_internal_extension);
        assert!(p.is_empty());
    }

    #[test]
    fn a_rule_without_pattern_is_named_in_the_error() {
        let mut p = Problems::default();
        let o = &objects(r#"{"Identity":"Global/x","Translation":"+1$1"}"#)[0];
        assert!(number_rule(o, &mut p).is_none());
        let e = p.finish(()).unwrap_err().to_string();
        assert!(e.contains("Global/x, property `Pattern`: missing"), "{e}");
    }

    #[test]
    fn response_rules_default_the_isup_cause_to_any() {
        let mut p = Problems::default();
        let o = &objects(r#"{"Name":"t","ReceivedResponseCode":"408","TranslatedResponseCode":503}"#)[0];
        let r = response_rule(o, &mut p).unwrap();
        assert_eq!((r.received_response_code, r.received_isup_cause_value, r.translated_response_code), (408, -1, 503));
    }
}
