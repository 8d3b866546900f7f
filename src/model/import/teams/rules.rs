//! Number rules as Teams exports them: the normalization rules of a
//! tenant dial plan (nested in it, or flattened to `Name=..;Pattern=..`),
//! and the tenant's translation rules (`Get-CsTeamsTranslationRule`),
//! which SBCs name by `Identity` in their four rule lists.

use std::collections::BTreeMap;

use crate::model::file::RuleFile;
use crate::model::import::error::Problems;
use crate::model::import::object::CmdletObject;

/// A rule with the fields every rule has; `None` (and problems) when its
/// pattern or translation is missing. `fallback` names a rule without a
/// `Name`.
pub fn rule(o: &CmdletObject, fallback: &str, problems: &mut Problems) -> Option<RuleFile> {
    let pattern = o.required_text("Pattern", problems);
    let translation = o.required_text("Translation", problems);
    let name = o.text("Name", problems).or_else(|| {
        // A rule's Identity is `Scope/Name` in a dial plan and its bare
        // name in Get-CsTeamsTranslationRule.
        o.text("Identity", problems).map(|id| id.rsplit('/').next().unwrap_or(&id).trim().to_owned())
    });
    let name = name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| fallback.to_owned());
    let description = o.text("Description", problems).unwrap_or_default();
    let is_internal_extension = o.flag("IsInternalExtension", problems).unwrap_or(false);
    Some(RuleFile {
        name,
        pattern: pattern?,
        translation: translation?,
        priority: None,
        is_internal_extension,
        description,
    })
}

/// The tenant's translation rules by `Identity` (case-insensitive, as
/// Teams compares them).
#[derive(Debug, Default)]
pub struct TranslationRules {
    /// Lower-case identity → rule.
    by_identity: BTreeMap<String, RuleFile>,
    /// The file they came from, for messages.
    pub file: Option<String>,
}

impl TranslationRules {
    /// Reads `Get-CsTeamsTranslationRule` objects; a rule given twice is a problem.
    pub fn read(objects: &[CmdletObject], problems: &mut Problems) -> Self {
        let mut out = Self { file: objects.first().map(|o| o.file.clone()), ..Self::default() };
        for o in objects {
            let Some(id) = o.text("Identity", problems).or_else(|| o.text("Name", problems)) else {
                problems.push(&o.file, &o.label, "Identity", "missing: every translation rule has one");
                continue;
            };
            let Some(r) = rule(o, &id, problems) else { continue };
            let key = id.trim().to_lowercase();
            if out.by_identity.contains_key(&key) {
                problems.push(&o.file, &o.label, "Identity", format!("the rule `{id}` is given twice"));
                continue;
            }
            out.by_identity.insert(key, RuleFile { name: id.trim().to_owned(), ..r });
        }
        out
    }

    /// The rules `names` lists, in its order; a name the tenant has no
    /// rule of is a problem of `owner`'s `property`.
    pub fn resolve(
        &self,
        owner: &CmdletObject,
        property: &str,
        names: &[String],
        problems: &mut Problems,
    ) -> Vec<RuleFile> {
        let mut out: Vec<RuleFile> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match self.by_identity.get(&name.trim().to_lowercase()) {
                Some(r) if out.iter().any(|o| o.name.eq_ignore_ascii_case(&r.name)) => problems.push(
                    &owner.file,
                    &owner.label,
                    &format!("{property}[{}]", i + 1),
                    format!("the rule `{name}` is listed twice"),
                ),
                Some(r) => out.push(r.clone()),
                None => problems.push(
                    &owner.file,
                    &owner.label,
                    &format!("{property}[{}]", i + 1),
                    match &self.file {
                        Some(f) => format!("names the translation rule `{name}`, which {f} does not hold"),
                        None => format!(
                            "names the translation rule `{name}`, but the folder has no Get-CsTeamsTranslationRule.json \
                             (export it with `Get-CsTeamsTranslationRule | ConvertTo-Json -Depth 10`)"
                        ),
                    },
                ),
            }
        }
        out
    }
}

/// Whether a rule's pattern can match a number in E.164 form (it names a
/// literal `+`): such a rule in the inbound dial plan never applies in
/// the twin, which leaves E.164 numbers as they are.
pub fn matches_plus(rule: &RuleFile) -> bool {
    rule.pattern.contains("\\+") || rule.pattern.contains("[+") || rule.pattern.contains("(+")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn objects(json: &str) -> Vec<CmdletObject> {
        let mut p = Problems::default();
        let v = serde_json::from_str(json).unwrap();
        let all = CmdletObject::all_in("Get-CsTeamsTranslationRule.json", v, &mut p);
        assert!(p.is_empty());
        all
    }

    #[test]
    fn rules_resolve_in_the_listed_order_by_any_case() {
        let mut p = Problems::default();
        let rules = TranslationRules::read(
            &objects(
                r#"[{"Identity":"AddPlus1","Pattern":"^(\\d{10})$","Translation":"+1$1"},
                    {"Identity":"StripPlus1","Pattern":"^\\+1(\\d{10})$","Translation":"$1","Description":"strip"}]"#,
            ),
            &mut p,
        );
        let owners = objects(r#"{"Identity":"sbc1.contoso.com"}"#);
        let owner = &owners[0];
        let got = rules.resolve(
            owner,
            "OutboundPstnNumberTranslationRules",
            &["stripplus1".into(), "AddPlus1".into()],
            &mut p,
        );
        assert!(p.is_empty());
        assert_eq!(got.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["StripPlus1", "AddPlus1"]);
        assert_eq!(got[0].description, "strip");
        assert!(matches_plus(&got[0]) && !matches_plus(&got[1]));
    }

    #[test]
    fn an_unknown_rule_names_the_gateway_and_the_list() {
        let mut p = Problems::default();
        let rules = TranslationRules::default();
        let owners = objects(r#"{"Identity":"sbc1.contoso.com"}"#);
        let owner = &owners[0];
        assert!(rules.resolve(owner, "InboundTeamsNumberTranslationRules", &["AddPlus1".into()], &mut p).is_empty());
        let e = p.finish(()).unwrap_err().to_string();
        assert!(
            e.contains("sbc1.contoso.com, property `InboundTeamsNumberTranslationRules[1]`") && e.contains("AddPlus1"),
            "{e}"
        );
    }

    #[test]
    fn a_rule_without_a_pattern_is_a_problem() {
        let mut p = Problems::default();
        let all = objects(r#"{"Identity":"Global/x","Translation":"+1$1"}"#);
        assert!(rule(&all[0], "rule 1", &mut p).is_none());
        assert!(p.finish(()).unwrap_err().to_string().contains("property `Pattern`"));
    }
}
