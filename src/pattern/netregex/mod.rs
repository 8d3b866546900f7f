//! The .NET regular-expression dialect Lync rules are written in.
//!
//! Lync evaluates `NumberPattern`, `Pattern` and `Translation` with
//! `System.Text.RegularExpressions` (default options: case-sensitive, no
//! implicit anchoring). Plain patterns compile with the `regex` crate, which
//! is fast and linear-time; patterns that need look-around, back-references
//! or atomic groups fall back to `fancy-regex`, which accepts that syntax.
//!
//! Translation strings follow .NET substitution rules, parsed once against
//! the pattern's groups:
//! - `$n` and `${n}` are group references; `$` followed by digits takes *all*
//!   the digits as the group number, and a group that does not exist leaves
//!   the text literal (`$10` with one group stays `$10`);
//! - `${name}` is a named group (literal when it does not exist);
//! - `$$` is a `$`, `$&` and `$0` the whole match, `` $` `` the text before
//!   the match, `$'` the text after it, `$+` the last group, `$_` the input;
//! - a repeated group keeps its last capture.
//!
//! A rule is applied as `Regex.Replace(input, pattern, translation)`: every
//! non-overlapping match is replaced, text outside the matches is kept.
//! Patterns anchored with `^...$` (nearly all of them) match once.

use std::fmt;
use std::sync::OnceLock;

use super::fastmatch::{self, FastMatch, UNSET};
use super::limit::{KnownLimits, LimitReached, BACKTRACK_LIMIT};

/// A compiled pattern in the .NET dialect.
#[derive(Clone)]
pub struct NetRegex {
    source: String,
    /// The general engine. A plain pattern of the fast shape needs it only
    /// for input the fast matcher cannot decide (non-ASCII), so it is
    /// built on first use: compiling Unicode classes is most of the cost
    /// of loading a model.
    engine: OnceLock<Option<Engine>>,
    fancy: bool,
    screen: Screen,
    /// The fast matcher, for patterns of the usual Lync shape.
    fast: Option<FastMatch>,
    /// Group names by index, group 0 included.
    names: Vec<Option<String>>,
}

/// Exact necessary conditions for a match, read off the parsed pattern, so
/// most non-matching numbers are turned away without running the regex.
/// Nearly every Lync pattern is anchored (`^...$`): its match is the whole
/// input, so the input's length must lie within the pattern's bounds; an
/// anchored literal prefix (`+44`, `011`) must begin the input.
#[derive(Clone, Debug, Default)]
struct Screen {
    /// Every match starts at the start of the input, so there is at most one.
    anchored_start: bool,
    /// (min, max) match length in bytes, when anchored at both ends.
    length: Option<(usize, Option<usize>)>,
    /// Every match starts the input with one of these, when anchored at the start.
    prefixes: Option<Vec<Vec<u8>>>,
}

impl Screen {
    fn of(pattern: &str) -> Self {
        use regex_syntax::hir::{literal, Look};
        let Ok(hir) = regex_syntax::Parser::new().parse(pattern) else {
            return Self::default();
        };
        let props = hir.properties();
        let start = props.look_set_prefix().contains(Look::Start);
        let end = props.look_set_suffix().contains(Look::End);
        let length = (start && end).then(|| (props.minimum_len().unwrap_or(0), props.maximum_len()));
        let prefixes = if start {
            let seq = literal::Extractor::new().kind(literal::ExtractKind::Prefix).extract(&hir);
            seq.literals()
                .filter(|lits| lits.iter().all(|l| !l.as_bytes().is_empty()) && lits.len() <= 16)
                .map(|lits| lits.iter().map(|l| l.as_bytes().to_vec()).collect())
        } else {
            None
        };
        Self { anchored_start: start, length, prefixes }
    }

    /// Anchored at the start, with no condition to test.
    fn anchored() -> Self {
        Self { anchored_start: true, length: None, prefixes: None }
    }

    #[inline]
    fn rejects(&self, text: &str) -> bool {
        if let Some((min, max)) = self.length {
            if text.len() < min || max.is_some_and(|m| text.len() > m) {
                return true;
            }
        }
        if let Some(prefixes) = &self.prefixes {
            let t = text.as_bytes();
            if !prefixes.iter().any(|p| fastmatch::starts(t, p)) {
                return true;
            }
        }
        false
    }
}

#[derive(Clone)]
enum Engine {
    Plain(regex::Regex),
    /// The backtracking engine, with the inputs known to reach its limit.
    Fancy(Box<(fancy_regex::Regex, KnownLimits)>),
}

impl fmt::Debug for NetRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NetRegex({:?})", self.source)
    }
}

impl NetRegex {
    /// Compiles `pattern`; the error says why it does not compile.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let fast = FastMatch::new(pattern);
        // A plain pattern the fast matcher runs: the syntax tree checks it
        // and gives its groups; the engine waits until it is needed. A
        // large counted repetition is compiled at once, so that a pattern
        // beyond the engine's size limit is an error at load.
        if let (Some(f), Ok(hir)) = (&fast, regex_syntax::Parser::new().parse(pattern)) {
            if f.max_count() <= LAZY_MAX_COUNT {
                let mut names = vec![None; hir.properties().explicit_captures_len() + 1];
                capture_names(&hir, &mut names);
                return Ok(Self {
                    source: pattern.to_owned(),
                    engine: OnceLock::new(),
                    fancy: false,
                    // A byte template tests length and prefix itself.
                    screen: if f.is_fixed() { Screen::anchored() } else { Screen::of(pattern) },
                    fast,
                    names,
                });
            }
        }
        let engine = match regex::Regex::new(pattern) {
            Ok(re) => Engine::Plain(re),
            Err(plain_err) => match fancy_regex::RegexBuilder::new(pattern).backtrack_limit(BACKTRACK_LIMIT).build() {
                Ok(re) => Engine::Fancy(Box::new((re, KnownLimits::default()))),
                Err(fancy_err) => {
                    // The plain engine's message points at the offending
                    // character; it is the clearer one unless the pattern
                    // uses syntax only the backtracking engine knows.
                    let msg = match plain_err {
                        regex::Error::Syntax(s) if !s.contains("look-around") && !s.contains("backreference") => s,
                        _ => fancy_err.to_string(),
                    };
                    return Err(msg);
                }
            },
        };
        // A literal look-ahead, which only the backtracking engine parses,
        // is read as an empty group for the screen: a superset of the
        // pattern, so the screen's conditions stay necessary ones.
        let (screen, names) = match &engine {
            Engine::Plain(re) => (Screen::of(pattern), re.capture_names().map(|n| n.map(str::to_owned)).collect()),
            Engine::Fancy(re) => (
                fastmatch::without_look_aheads(pattern)
                    .filter(|(_, looks)| !looks.is_empty())
                    .map(|(plain, _)| Screen::of(&plain))
                    .unwrap_or_default(),
                re.0.capture_names().map(|n| n.map(str::to_owned)).collect(),
            ),
        };
        let fancy = matches!(engine, Engine::Fancy(_));
        Ok(Self { source: pattern.to_owned(), engine: OnceLock::from(Some(engine)), fancy, screen, fast, names })
    }

    /// The general engine, built on first use; `None` only if a deferred
    /// build fails, which [`new`](Self::new) rules out for all but
    /// pathological patterns (then every evaluation is a limit hit).
    fn engine(&self) -> Option<&Engine> {
        self.engine.get_or_init(|| regex::Regex::new(&self.source).ok().map(Engine::Plain)).as_ref()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether this pattern needs the backtracking engine.
    pub fn is_fancy(&self) -> bool {
        self.fancy
    }

    /// Literals one of which starts every input this pattern matches, or
    /// `None` when an input of any start may match: on an input starting
    /// with none of them, [`try_is_match`](Self::try_is_match) is
    /// `Ok(false)` without running an engine (so never a limit hit).
    /// Indexes routes by the numbers they can match.
    pub fn required_prefixes(&self) -> Option<Vec<Vec<u8>>> {
        match (&self.screen.prefixes, &self.fast) {
            (Some(p), _) => Some(p.clone()),
            // A byte template tests its prefix itself; the plain engine
            // decides what the template leaves (never at a limit).
            (None, Some(f)) if f.is_fixed() => Screen::of(&self.source).prefixes,
            (None, _) => None,
        }
    }

    /// `Regex.IsMatch`: search semantics, anchored only where the pattern is;
    /// `Err` when the pattern reached the matching limit on `text`
    /// ([`limit`](super::limit)).
    #[inline]
    pub fn try_is_match(&self, text: &str) -> Result<bool, LimitReached> {
        if self.screen.rejects(text) {
            return Ok(false);
        }
        if let Some(Ok(found)) = self.fast.as_ref().map(|f| f.is_match(text)) {
            return Ok(found);
        }
        match self.engine() {
            Some(Engine::Plain(re)) => Ok(re.is_match(text)),
            Some(Engine::Fancy(fancy)) => {
                let (re, known) = &**fancy;
                if known.has(false, text) {
                    return Err(LimitReached);
                }
                re.is_match(text).map_err(|_| {
                    known.add(false, text);
                    LimitReached
                })
            }
            None => Err(LimitReached),
        }
    }

    /// [`try_is_match`](Self::try_is_match), taking the matching limit as
    /// no match: for checks and tests. Routing counts the limit instead.
    #[inline]
    pub fn is_match(&self, text: &str) -> bool {
        self.try_is_match(text).unwrap_or(false)
    }

    /// Number of groups, the whole match (group 0) included.
    pub fn groups_len(&self) -> usize {
        self.names.len()
    }

    fn group_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.as_deref() == Some(name))
    }
}

/// Counted repetitions up to this many are compiled on first use.
const LAZY_MAX_COUNT: u32 = 255;

/// Fills `names[i]` with the name of group `i`.
fn capture_names(hir: &regex_syntax::hir::Hir, names: &mut [Option<String>]) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if let (Some(slot), Some(n)) = (names.get_mut(c.index as usize), c.name.as_deref()) {
                *slot = Some(n.to_owned());
            }
            capture_names(&c.sub, names);
        }
        HirKind::Concat(items) | HirKind::Alternation(items) => items.iter().for_each(|h| capture_names(h, names)),
        HirKind::Repetition(r) => capture_names(&r.sub, names),
        _ => {}
    }
}

/// One piece of a parsed translation string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Group(usize),
    Before,
    After,
    LastGroup,
    Input,
}

/// A pattern with its translation, both parsed once: a normalization rule,
/// an outbound translation rule or a calling-number translation rule.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pattern: NetRegex,
    translation: String,
    parts: Vec<Part>,
    /// `$n`/`${x}` references that name no group and stay literal text.
    literal_references: Vec<String>,
}

impl Rewrite {
    /// Compiles the pattern and parses the translation against its groups.
    /// The error names which of the two is wrong.
    pub fn new(pattern: &str, translation: &str) -> Result<Self, RewriteError> {
        let pattern = NetRegex::new(pattern).map_err(RewriteError::Pattern)?;
        Ok(Self::with_pattern(pattern, translation))
    }

    /// A rule of an already compiled pattern (models repeat patterns
    /// across sites; each is compiled once).
    pub fn with_pattern(pattern: NetRegex, translation: &str) -> Self {
        let (parts, literal_references) = parse_substitution(translation, &pattern);
        Self { pattern, translation: translation.to_owned(), parts, literal_references }
    }

    /// The compiled pattern.
    pub fn pattern(&self) -> &NetRegex {
        &self.pattern
    }

    /// The translation as written.
    pub fn translation(&self) -> &str {
        &self.translation
    }

    /// Group references in the translation that name no group of the
    /// pattern: .NET keeps them as literal text, which is rarely intended.
    pub fn literal_references(&self) -> &[String] {
        &self.literal_references
    }

    /// Whether the pattern matches anywhere in `input` (the matching limit
    /// taken as no match).
    #[inline]
    pub fn is_match(&self, input: &str) -> bool {
        self.pattern.is_match(input)
    }

    /// `Regex.Replace(input, pattern, translation)`, or `None` when the
    /// pattern does not match (or reaches the matching limit: see
    /// [`try_apply`](Self::try_apply)).
    pub fn apply(&self, input: &str) -> Option<String> {
        self.try_apply(input).ok().flatten()
    }

    /// [`apply`](Self::apply), with `Err` when the pattern reached the
    /// matching limit on `input`.
    pub fn try_apply(&self, input: &str) -> Result<Option<String>, LimitReached> {
        let mut out = String::with_capacity(input.len() + 16);
        Ok(self.apply_into(input, &mut out)?.then_some(out))
    }

    /// As [`try_apply`](Self::try_apply), writing into `out` (cleared
    /// first); returns whether the pattern matched.
    pub fn apply_into(&self, input: &str, out: &mut String) -> Result<bool, LimitReached> {
        out.clear();
        // Most rules tested do not match: the screen says so for most of
        // them without running the regex.
        if self.pattern.screen.rejects(input) {
            return Ok(false);
        }
        let mut slots = [UNSET; 2 * fastmatch::MAX_GROUPS];
        if let Some(Ok(found)) = self.pattern.fast.as_ref().map(|f| f.captures(input, &mut slots)) {
            // A fast pattern is anchored at the start: one match at most.
            if !found {
                return Ok(false);
            }
            out.reserve(input.len() + self.translation.len());
            let group = |g: usize| match (slots.get(2 * g).copied(), slots.get(2 * g + 1).copied()) {
                (Some(a), Some(b)) if a != UNSET && b != UNSET => Some(&input[a as usize..b as usize]),
                _ => None,
            };
            let end = slots[1] as usize;
            self.expand(input, 0, end, group, out);
            if end < input.len() {
                out.push_str(&input[end..]);
            }
            return Ok(true);
        }
        let mut last = 0;
        let mut matched = false;
        let Some(engine) = self.pattern.engine() else { return Err(LimitReached) };
        match engine {
            Engine::Plain(re) => {
                if self.pattern.screen.anchored_start {
                    // `^` allows one match only, at 0: no need to look for
                    // more, and an anchored capture search fails fast.
                    let Some(caps) = re.captures(input) else { return Ok(false) };
                    let m = caps.get(0).expect("group 0 always participates");
                    self.expand(input, m.start(), m.end(), |i| caps.get(i).map(|g| g.as_str()), out);
                    last = m.end();
                    matched = true;
                } else {
                    if !re.is_match(input) {
                        return Ok(false);
                    }
                    for caps in re.captures_iter(input) {
                        let m = caps.get(0).expect("group 0 always participates");
                        out.push_str(&input[last..m.start()]);
                        self.expand(input, m.start(), m.end(), |i| caps.get(i).map(|g| g.as_str()), out);
                        last = m.end();
                        matched = true;
                    }
                }
            }
            Engine::Fancy(fancy) => {
                let (re, known) = &**fancy;
                if known.has(true, input) {
                    return Err(LimitReached);
                }
                for caps in re.captures_iter(input) {
                    // At the matching limit the replacement is unknown.
                    let caps = caps.map_err(|_| {
                        known.add(true, input);
                        LimitReached
                    })?;
                    let m = caps.get(0).expect("group 0 always participates");
                    out.push_str(&input[last..m.start()]);
                    self.expand(input, m.start(), m.end(), |i| caps.get(i).map(|g| g.as_str()), out);
                    last = m.end();
                    matched = true;
                }
            }
        }
        if matched {
            out.push_str(&input[last..]);
        }
        Ok(matched)
    }

    fn expand<'a>(
        &self,
        input: &str,
        start: usize,
        end: usize,
        group: impl Fn(usize) -> Option<&'a str>,
        out: &mut String,
    ) {
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Group(i) => out.push_str(group(*i).unwrap_or("")),
                Part::Before => out.push_str(&input[..start]),
                Part::After => out.push_str(&input[end..]),
                Part::LastGroup => {
                    let last = self.pattern.groups_len().saturating_sub(1);
                    out.push_str(group(last).unwrap_or(""));
                }
                Part::Input => out.push_str(input),
            }
        }
    }
}

impl Rewrite {
    /// A regular expression, in the syntax the automata are built from
    /// and anchored at both ends, whose language holds every result of
    /// this rule on an input its pattern matches whole: the translation's
    /// literals and, for each group reference, the group's sub-pattern
    /// (optional where the group may not take part). A superset of the
    /// results: the group is not tied to the rest of the match. `None`
    /// when the pattern is not anchored at both ends, needs the
    /// backtracking engine, or the translation uses the whole match, the
    /// input or the text around the match.
    pub fn output_pattern(&self) -> Option<String> {
        use regex_syntax::hir::Look;
        let source = crate::pattern::language::net_syntax(self.pattern.as_str());
        let hir = regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(&source).ok()?;
        let props = hir.properties();
        if !(props.look_set_prefix().contains(Look::Start) && props.look_set_suffix().contains(Look::End)) {
            return None;
        }
        let mut groups: Vec<Option<(String, bool)>> = vec![None; props.explicit_captures_len() + 1];
        group_patterns(&hir, false, &mut groups);
        let mut out = String::from("^");
        let group = |i: usize, out: &mut String| -> Option<()> {
            let (sub, optional) = groups.get(i)?.clone()?;
            out.push_str(&format!("(?:{sub}){}", if optional { "?" } else { "" }));
            Some(())
        };
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(&regex_syntax::escape(s)),
                Part::Group(i) if *i > 0 => group(*i, &mut out)?,
                Part::LastGroup if self.pattern.groups_len() > 1 => group(self.pattern.groups_len() - 1, &mut out)?,
                _ => return None,
            }
        }
        out.push('$');
        Some(out)
    }
}

/// Each group's sub-pattern, and whether the group may not take part
/// (inside an alternation or an optional repetition).
fn group_patterns(hir: &regex_syntax::hir::Hir, optional: bool, groups: &mut [Option<(String, bool)>]) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(slot) = groups.get_mut(c.index as usize) {
                *slot = Some((c.sub.to_string(), optional));
            }
            group_patterns(&c.sub, optional, groups);
        }
        HirKind::Concat(items) => items.iter().for_each(|h| group_patterns(h, optional, groups)),
        HirKind::Alternation(items) => items.iter().for_each(|h| group_patterns(h, true, groups)),
        HirKind::Repetition(r) => group_patterns(&r.sub, optional || r.min == 0, groups),
        _ => {}
    }
}

/// Why a rule does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RewriteError {
    /// The pattern is not a valid regular expression.
    Pattern(String),
}

impl fmt::Display for RewriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RewriteError::Pattern(e) => write!(f, "{e}"),
        }
    }
}

/// Parses a .NET substitution string (see the module docs). Never fails:
/// .NET treats anything it cannot read as a reference as literal text.
fn parse_substitution(text: &str, pattern: &NetRegex) -> (Vec<Part>, Vec<String>) {
    let groups = pattern.groups_len();
    let mut parts = Vec::new();
    let mut unresolved = Vec::new();
    let mut lit = String::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let push = |parts: &mut Vec<Part>, lit: &mut String, p: Part| {
        if !lit.is_empty() {
            parts.push(Part::Literal(std::mem::take(lit)));
        }
        parts.push(p);
    };
    while i < bytes.len() {
        if bytes[i] != b'$' || i + 1 >= bytes.len() {
            let ch = text[i..].chars().next().expect("i is on a char boundary");
            lit.push(ch);
            i += ch.len_utf8();
            continue;
        }
        let next = bytes[i + 1];
        match next {
            b'$' => {
                lit.push('$');
                i += 2;
            }
            b'&' => {
                push(&mut parts, &mut lit, Part::Group(0));
                i += 2;
            }
            b'`' => {
                push(&mut parts, &mut lit, Part::Before);
                i += 2;
            }
            b'\'' => {
                push(&mut parts, &mut lit, Part::After);
                i += 2;
            }
            b'+' => {
                push(&mut parts, &mut lit, Part::LastGroup);
                i += 2;
            }
            b'_' => {
                push(&mut parts, &mut lit, Part::Input);
                i += 2;
            }
            b'0'..=b'9' => {
                let digits_end = i + 1 + bytes[i + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
                let n: Option<usize> = text[i + 1..digits_end].parse().ok();
                match n.filter(|n| *n < groups) {
                    Some(n) => push(&mut parts, &mut lit, Part::Group(n)),
                    None => {
                        unresolved.push(text[i..digits_end].to_owned());
                        lit.push_str(&text[i..digits_end]);
                    }
                }
                i = digits_end;
            }
            b'{' => {
                let close = text[i + 2..].find('}').map(|c| i + 2 + c);
                let resolved = close.and_then(|c| {
                    let name = &text[i + 2..c];
                    let idx = if !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()) {
                        name.parse::<usize>().ok().filter(|n| *n < groups)
                    } else {
                        pattern.group_index(name)
                    };
                    idx.map(|n| (n, c))
                });
                match resolved {
                    Some((n, c)) => {
                        push(&mut parts, &mut lit, Part::Group(n));
                        i = c + 1;
                    }
                    None => {
                        if let Some(c) = close {
                            unresolved.push(text[i..=c].to_owned());
                        }
                        lit.push('$');
                        i += 1;
                    }
                }
            }
            _ => {
                lit.push('$');
                i += 1;
            }
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Literal(lit));
    }
    (parts, unresolved)
}

#[cfg(test)]
mod tests;
