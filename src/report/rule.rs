//! `voicetwin rule`: a normalization or translation rule tried on
//! numbers, for a terminal or as JSON.

use serde::Serialize;

use crate::pattern::netregex::Rewrite;

/// One number through the rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleResult {
    pub input: String,
    pub matched: bool,
    pub output: Option<String>,
    /// The pattern reached the matching limit: no answer (`matched` false).
    pub limit_reached: bool,
}

/// Each number through `rewrite`, as Lync's `Regex.Replace` would.
pub fn apply(rewrite: &Rewrite, numbers: &[String]) -> Vec<RuleResult> {
    numbers
        .iter()
        .map(|n| {
            let (output, limit_reached) = match rewrite.try_apply(n) {
                Ok(output) => (output, false),
                Err(_) => (None, true),
            };
            RuleResult { input: n.clone(), matched: output.is_some(), output, limit_reached }
        })
        .collect()
}

/// `input  ->  output` per number.
pub fn render(results: &[RuleResult]) -> String {
    let mut out = String::new();
    for r in results {
        let to = match &r.output {
            Some(o) => o.as_str(),
            None if r.limit_reached => "(matching limit reached: no answer)",
            None => "(no match)",
        };
        out.push_str(&format!("{}  ->  {to}\n", r.input));
    }
    out
}
