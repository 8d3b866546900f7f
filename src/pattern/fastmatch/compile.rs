//! From a pattern to the matcher's program: the pattern is parsed with
//! regex-syntax after each literal look-ahead is replaced by a marker
//! group, and the syntax tree is compiled to instructions; a pattern with
//! no choice point also becomes a byte template.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::{ByteSet, FastMatch, Fixed, Inst, Literals, MAX_GROUPS};

/// Name of the empty group a look-ahead is replaced with while parsing.
const LOOK_MARKER: &str = "vtlookahead";

/// `pattern` with each literal look-ahead (`(?!…)`, `(?=…)`) replaced by an
/// empty named group, and the look-aheads' bodies with their sense
/// (negated or not), in order; `None` when a look-around is of another
/// kind (look-behind, nested groups in the body). The result matches a
/// superset of the pattern's language, so what is read off it (length
/// bounds, literal prefixes) stays a necessary condition of a match.
pub fn without_look_aheads(pattern: &str) -> Option<(String, Vec<(String, bool)>)> {
    if pattern.contains(LOOK_MARKER) {
        return None;
    }
    let b = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len());
    let mut looks = Vec::new();
    let (mut i, mut in_class, mut copied) = (0, false, 0);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'[' if !in_class => {
                in_class = true;
                i += 1;
                // `]` first in a class is a literal.
                if b.get(i) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if in_class => {
                in_class = false;
                i += 1;
            }
            b'(' if !in_class && b[i..].starts_with(b"(?<") && matches!(b.get(i + 3), Some(b'!' | b'=')) => {
                return None;
            }
            b'(' if !in_class && (b[i..].starts_with(b"(?!") || b[i..].starts_with(b"(?=")) => {
                let body_start = i + 3;
                let mut j = body_start;
                while j < b.len() && b[j] != b')' {
                    match b[j] {
                        b'\\' => j += 2,
                        b'(' | b'[' => return None,
                        _ => j += 1,
                    }
                }
                if j >= b.len() {
                    return None;
                }
                out.push_str(&pattern[copied..i]);
                out.push_str(&format!("(?P<{LOOK_MARKER}{}>)", looks.len()));
                looks.push((pattern[body_start..j].to_owned(), b[i + 2] == b'!'));
                i = j + 1;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&pattern[copied.min(pattern.len())..]);
    // A look-ahead's body is parsed alone, without the pattern's inline
    // flags (`(?i)`): with any, leave the pattern to the engine.
    let flags = |w: &[u8]| w[0] == b'(' && w[1] == b'?' && b"imsxRuU-".contains(&w[2]);
    if !looks.is_empty() && b.windows(3).any(flags) {
        return None;
    }
    Some((out, looks))
}

/// The literals of a look-ahead body: one literal or an alternation of them.
fn look_literals(body: &str) -> Option<Literals> {
    let hir = regex_syntax::Parser::new().parse(body).ok()?;
    let lits = match hir.kind() {
        HirKind::Literal(l) => vec![l.0.clone()],
        HirKind::Alternation(alts) => alts
            .iter()
            .map(|a| match a.kind() {
                HirKind::Literal(l) => Some(l.0.clone()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    Some(lits.into_boxed_slice())
}

struct Compiler {
    program: Vec<Inst>,
    looks: Vec<(Literals, bool)>,
    /// The parsed pattern's group index of each look-ahead marker.
    marker_groups: Vec<usize>,
}

impl Compiler {
    /// The real group number of a parsed group: markers are not groups.
    fn group(&self, parsed: usize) -> usize {
        parsed - self.marker_groups.iter().filter(|m| **m < parsed).count()
    }

    fn compile(&mut self, h: &Hir) -> Option<()> {
        match h.kind() {
            HirKind::Empty => {}
            HirKind::Literal(l) => self.program.push(Inst::Bytes(l.0.clone())),
            HirKind::Class(c) => self.program.push(Inst::Set(ascii_set(c))),
            HirKind::Repetition(r) => {
                let set = one_char_set(&r.sub)?;
                self.program.push(Inst::Repeat { set, min: r.min, max: r.max.unwrap_or(u32::MAX), greedy: r.greedy });
            }
            HirKind::Alternation(alts) => {
                let literals = alts
                    .iter()
                    .map(|a| match a.kind() {
                        HirKind::Literal(l) => Some(l.0.clone()),
                        HirKind::Empty => Some(Box::default()),
                        _ => None,
                    })
                    .collect::<Option<Vec<_>>>();
                if let Some(literals) = literals {
                    self.program.push(Inst::Alt(literals.into_boxed_slice()));
                    return Some(());
                }
                let split = self.program.len();
                self.program.push(Inst::Jump(0));
                let (mut branches, mut jumps) = (Vec::new(), Vec::new());
                for a in alts {
                    branches.push(self.program.len());
                    self.compile(a)?;
                    jumps.push(self.program.len());
                    self.program.push(Inst::Jump(0));
                }
                let end = self.program.len();
                let groups = self.program[split..].iter().any(|i| matches!(i, Inst::Open(_)));
                for j in jumps {
                    self.program[j] = Inst::Jump(end);
                }
                self.program[split] = Inst::Split { branches: branches.into_boxed_slice(), groups };
            }
            HirKind::Capture(c) => {
                if let Some(k) = c.name.as_deref().and_then(|n| n.strip_prefix(LOOK_MARKER)) {
                    let (literals, negated) = self.looks.get(k.parse::<usize>().ok()?)?.clone();
                    self.program.push(Inst::Ahead { literals, negated });
                    return Some(());
                }
                let g = self.group(c.index as usize);
                self.program.push(Inst::Open(g));
                self.compile(&c.sub)?;
                self.program.push(Inst::Close(g));
            }
            HirKind::Concat(items) => {
                for i in items {
                    self.compile(i)?;
                }
            }
            HirKind::Look(_) => return None,
        }
        Some(())
    }
}

/// Group indices of the look-ahead markers in `hir`.
fn marker_groups(hir: &Hir, out: &mut Vec<usize>) {
    match hir.kind() {
        HirKind::Capture(c) => {
            if c.name.as_deref().is_some_and(|n| n.starts_with(LOOK_MARKER)) {
                out.push(c.index as usize);
            }
            marker_groups(&c.sub, out);
        }
        HirKind::Concat(items) | HirKind::Alternation(items) => items.iter().for_each(|h| marker_groups(h, out)),
        HirKind::Repetition(r) => marker_groups(&r.sub, out),
        _ => {}
    }
}

impl FastMatch {
    /// Compiles `pattern` when it has the fast shape.
    pub fn new(pattern: &str) -> Option<Self> {
        let (plain, looks) = without_look_aheads(pattern)?;
        let looks =
            looks.iter().map(|(body, negated)| Some((look_literals(body)?, *negated))).collect::<Option<Vec<_>>>()?;
        let hir = regex_syntax::Parser::new().parse(&plain).ok()?;
        let mut markers = Vec::new();
        marker_groups(&hir, &mut markers);
        let groups = hir.properties().explicit_captures_len() + 1 - markers.len();
        if groups > MAX_GROUPS {
            return None;
        }
        let items: Vec<&Hir> = match hir.kind() {
            HirKind::Concat(items) => items.iter().collect(),
            _ => vec![&hir],
        };
        let (first, rest) = items.split_first()?;
        if !matches!(first.kind(), HirKind::Look(Look::Start)) {
            return None;
        }
        let (rest, anchored_end) = match rest.split_last() {
            Some((last, body)) if matches!(last.kind(), HirKind::Look(Look::End)) => (body, true),
            _ => (rest, false),
        };
        let mut c = Compiler { program: Vec::new(), looks, marker_groups: markers };
        for h in rest {
            c.compile(h)?;
        }
        let fixed = Fixed::of(&c.program);
        Some(Self { program: c.program, anchored_end, groups, fixed })
    }
}

/// The ASCII part of a class; only ASCII input ever reaches it.
fn ascii_set(class: &Class) -> ByteSet {
    let mut set = ByteSet::default();
    let mut add = |lo: u32, hi: u32| {
        for b in lo..=hi.min(127) {
            set.insert(b as u8);
        }
    };
    match class {
        Class::Unicode(c) => c.iter().for_each(|r| add(r.start() as u32, r.end() as u32)),
        Class::Bytes(c) => c.iter().for_each(|r| add(u32::from(r.start()), u32::from(r.end()))),
    }
    set
}

fn one_char_set(h: &Hir) -> Option<ByteSet> {
    match h.kind() {
        HirKind::Class(c) => Some(ascii_set(c)),
        HirKind::Literal(l) if l.0.len() == 1 && l.0[0] < 128 => {
            let mut set = ByteSet::default();
            set.insert(l.0[0]);
            Some(set)
        }
        _ => None,
    }
}
