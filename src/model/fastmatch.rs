//! A small backtracking matcher for the shape nearly every Lync pattern
//! has: anchored at the start, then literals, ASCII classes, one-character
//! repetitions, alternations of literals and capture groups, optionally
//! anchored at the end (`^\+1(206|425)(\d{7})$`). For those it finds
//! captures about ten times faster than a general engine; anything else
//! (and any non-ASCII input, or a search past its step limit) is left to
//! the regex engine. The regex crate defines its leftmost-first matches
//! and captures to be those of a backtracking engine, so both agree; a
//! property test checks it.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Most groups a fast pattern may have (group 0 included).
pub const MAX_GROUPS: usize = 10;

/// An unset slot.
pub const UNSET: u32 = u32::MAX;
const STEP_LIMIT: u32 = 10_000;

#[derive(Debug, Clone)]
enum Atom {
    Bytes(Box<[u8]>),
    /// One byte from an ASCII set (bit i = byte i).
    Set(u128),
    Repeat {
        set: u128,
        min: u32,
        max: u32,
        greedy: bool,
    },
    /// Literal alternatives, tried in order.
    Alt(Box<[Box<[u8]>]>),
    Open(usize),
    Close(usize),
}

/// A compiled fast pattern.
#[derive(Debug, Clone)]
pub struct FastMatch {
    atoms: Vec<Atom>,
    anchored_end: bool,
    groups: usize,
}

/// This matcher cannot decide (non-ASCII input, or the step limit was
/// reached): ask the regex engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undecided;

/// Capture positions: `slots[2g]`, `slots[2g+1]` for group `g`, `UNSET`
/// when the group did not take part. Small and filled in place: copying
/// a large array of options was the matcher's main cost.
pub type Slots = [u32; 2 * MAX_GROUPS];

impl FastMatch {
    /// Compiles `pattern` when it has the fast shape.
    pub fn new(pattern: &str) -> Option<Self> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let groups = hir.properties().explicit_captures_len() + 1;
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
        let mut atoms = Vec::new();
        for h in rest {
            compile(h, &mut atoms)?;
        }
        Some(Self { atoms, anchored_end, groups })
    }

    /// Number of groups, group 0 included.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Fills `slots` with the captures of the leftmost-first match (which
    /// starts at 0) and returns whether there is one; `Err(Undecided)` when
    /// this matcher cannot tell (non-ASCII input, step limit, input longer
    /// than 4 GiB): use the regex engine then.
    pub fn captures(&self, input: &str, slots: &mut Slots) -> Result<bool, Undecided> {
        if !input.is_ascii() || input.len() >= UNSET as usize {
            return Err(Undecided);
        }
        slots[..2 * self.groups].fill(UNSET);
        let mut steps = 0;
        match self.run(0, 0, input.as_bytes(), slots, &mut steps)? {
            Some(e) => {
                slots[0] = 0;
                slots[1] = e as u32;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Whether the pattern matches; `Err` as for [`captures`](Self::captures).
    pub fn is_match(&self, input: &str) -> Result<bool, Undecided> {
        let mut slots = [UNSET; 2 * MAX_GROUPS];
        self.captures(input, &mut slots)
    }

    /// Returns the end of the match. Straight-line atoms are walked in a
    /// loop; only repetitions and alternations (the choice points) recurse.
    /// Slots need no undoing on failure: the pattern is one path, so the
    /// successful traversal rewrites every slot after a backtrack point.
    fn run(
        &self,
        mut i: usize,
        mut pos: usize,
        s: &[u8],
        slots: &mut Slots,
        steps: &mut u32,
    ) -> Result<Option<usize>, Undecided> {
        *steps += 1;
        if *steps > STEP_LIMIT {
            return Err(Undecided);
        }
        loop {
            let Some(atom) = self.atoms.get(i) else {
                return Ok((!self.anchored_end || pos == s.len()).then_some(pos));
            };
            match atom {
                Atom::Bytes(b) => {
                    if !s[pos..].starts_with(b) {
                        return Ok(None);
                    }
                    pos += b.len();
                }
                Atom::Set(set) => {
                    if pos >= s.len() || !in_set(*set, s[pos]) {
                        return Ok(None);
                    }
                    pos += 1;
                }
                Atom::Open(g) => slots[2 * g] = pos as u32,
                Atom::Close(g) => slots[2 * g + 1] = pos as u32,
                Atom::Repeat { set, min, max, greedy } => {
                    let limit = s.len().min(pos.saturating_add(*max as usize));
                    let avail = s[pos..limit].iter().take_while(|b| in_set(*set, **b)).count();
                    let min = *min as usize;
                    if avail < min {
                        return Ok(None);
                    }
                    if min == avail {
                        pos += min;
                    } else if *greedy {
                        for k in (min..=avail).rev() {
                            if let Some(e) = self.run(i + 1, pos + k, s, slots, steps)? {
                                return Ok(Some(e));
                            }
                        }
                        return Ok(None);
                    } else {
                        for k in min..=avail {
                            if let Some(e) = self.run(i + 1, pos + k, s, slots, steps)? {
                                return Ok(Some(e));
                            }
                        }
                        return Ok(None);
                    }
                }
                Atom::Alt(lits) => {
                    for l in lits.iter() {
                        if s[pos..].starts_with(l) {
                            if let Some(e) = self.run(i + 1, pos + l.len(), s, slots, steps)? {
                                return Ok(Some(e));
                            }
                        }
                    }
                    return Ok(None);
                }
            }
            i += 1;
        }
    }
}

#[inline]
fn in_set(set: u128, b: u8) -> bool {
    b < 128 && set & (1u128 << b) != 0
}

/// The ASCII part of a class; only ASCII input ever reaches it.
fn ascii_set(class: &Class) -> u128 {
    let mut set = 0u128;
    let mut add = |lo: u32, hi: u32| {
        for b in lo..=hi.min(127) {
            set |= 1u128 << b;
        }
    };
    match class {
        Class::Unicode(c) => c.iter().for_each(|r| add(r.start() as u32, r.end() as u32)),
        Class::Bytes(c) => c.iter().for_each(|r| add(u32::from(r.start()), u32::from(r.end()))),
    }
    set
}

fn one_char_set(h: &Hir) -> Option<u128> {
    match h.kind() {
        HirKind::Class(c) => Some(ascii_set(c)),
        HirKind::Literal(l) if l.0.len() == 1 && l.0[0] < 128 => Some(1u128 << l.0[0]),
        _ => None,
    }
}

fn compile(h: &Hir, out: &mut Vec<Atom>) -> Option<()> {
    match h.kind() {
        HirKind::Empty => {}
        HirKind::Literal(l) => out.push(Atom::Bytes(l.0.clone())),
        HirKind::Class(c) => out.push(Atom::Set(ascii_set(c))),
        HirKind::Repetition(r) => {
            let set = one_char_set(&r.sub)?;
            out.push(Atom::Repeat { set, min: r.min, max: r.max.unwrap_or(u32::MAX), greedy: r.greedy });
        }
        HirKind::Alternation(alts) => {
            let lits = alts
                .iter()
                .map(|a| match a.kind() {
                    HirKind::Literal(l) => Some(l.0.clone()),
                    HirKind::Empty => Some(Box::default()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            out.push(Atom::Alt(lits.into_boxed_slice()));
        }
        HirKind::Capture(c) => {
            let g = c.index as usize;
            out.push(Atom::Open(g));
            compile(&c.sub, out)?;
            out.push(Atom::Close(g));
        }
        HirKind::Concat(items) => {
            for i in items {
                compile(i, out)?;
            }
        }
        HirKind::Look(_) => return None,
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(p: &str, s: &str) -> Option<Vec<Option<String>>> {
        let f = FastMatch::new(p).expect("fast shape");
        let mut slots = [UNSET; 2 * MAX_GROUPS];
        f.captures(s, &mut slots).unwrap().then(|| {
            (0..f.groups())
                .map(|g| match (slots[2 * g], slots[2 * g + 1]) {
                    (UNSET, _) | (_, UNSET) => None,
                    (a, b) => Some(s[a as usize..b as usize].to_owned()),
                })
                .collect()
        })
    }

    #[test]
    fn lync_shapes_compile_and_capture() {
        assert_eq!(
            caps(r"^\+1(206|253|360|425)(\d{7})$", "+14255550100").unwrap()[1..],
            [Some("425".into()), Some("5550100".into())]
        );
        assert_eq!(caps(r"^(\d{4})$", "0100").unwrap()[1], Some("0100".into()));
        assert!(caps(r"^(\d{4})$", "01000").is_none());
        assert_eq!(caps(r"^9?1([2-9]\d{9})$", "912065550100").unwrap()[1], Some("2065550100".into()));
        assert_eq!(caps(r"^(\d*)(\d{4})$", "5551234").unwrap()[1..], [Some("555".into()), Some("1234".into())]);
        assert_eq!(caps(r"^011(\d*)", "01144x").unwrap()[0], Some("01144".into()));
    }

    #[test]
    fn other_shapes_are_left_to_the_regex_engine() {
        for p in [r"\d{4}", r"^(\d{3})+$", r"^a|b$", r"^(?:12|3\d)$", r"^\b1$"] {
            assert!(FastMatch::new(p).is_none(), "{p}");
        }
        assert!(FastMatch::new(r"^\d$").unwrap().is_match("٣").is_err(), "non-ASCII input falls back");
    }
}
