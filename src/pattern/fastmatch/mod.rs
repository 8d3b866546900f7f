//! A small backtracking matcher for the shape nearly every Lync pattern
//! has: anchored at the start, then literals, ASCII classes, one-character
//! repetitions, alternations, capture groups and literal look-aheads
//! (`(?!1)`, `(?!44|353)`), optionally anchored at the end
//! (`^\+1(206|425)(\d{7})$`, `^\+(?!1)\d{7,15}$`). For those it finds
//! captures about ten times faster than a general engine, and for the
//! look-aheads that only the backtracking engine knows, faster still;
//! anything else (and any non-ASCII input, or a search past its step
//! limit) is left to the regex engines. The regex crate defines its
//! leftmost-first matches and captures to be those of a backtracking
//! engine, so all agree; property tests check it against both engines.

mod byteset;
mod compile;

pub use byteset::{starts, ByteSet};
pub use compile::without_look_aheads;

/// Most groups a fast pattern may have (group 0 included).
pub const MAX_GROUPS: usize = 10;

/// An unset slot.
pub const UNSET: u32 = u32::MAX;
const STEP_LIMIT: u32 = 10_000;

/// Literal alternatives, tried in order.
type Literals = Box<[Box<[u8]>]>;

/// One instruction of a compiled pattern, run in order; only repetitions
/// and alternations are choice points.
#[derive(Debug, Clone)]
enum Inst {
    Bytes(Box<[u8]>),
    /// One byte from an ASCII set (bit i = byte i).
    Set(ByteSet),
    Repeat {
        set: ByteSet,
        min: u32,
        max: u32,
        greedy: bool,
    },
    /// Literal alternatives without groups, tried in order.
    Alt(Literals),
    /// General alternatives: each starts at its instruction and ends with a
    /// [`Inst::Jump`] past the last. `groups`: a branch opens a group, so
    /// the slots are restored before the next branch is tried.
    Split {
        branches: Box<[usize]>,
        groups: bool,
    },
    Jump(usize),
    Open(usize),
    Close(usize),
    /// A zero-width look-ahead: the rest of the input must (or, negated,
    /// must not) start with one of these literals.
    Ahead {
        literals: Literals,
        negated: bool,
    },
}

/// A compiled fast pattern.
#[derive(Debug, Clone)]
pub struct FastMatch {
    program: Vec<Inst>,
    anchored_end: bool,
    groups: usize,
    /// The same pattern as a byte template, when it has no choice point.
    fixed: Option<Fixed>,
}

/// A pattern without choice points (`^\+1(\d{10})$`, `^([2-9]\d{6})$`,
/// most Lync patterns): its match has one length and its groups fixed
/// offsets, so matching is one set test per byte, with no program to run.
#[derive(Debug, Clone)]
struct Fixed {
    sets: Box<[ByteSet]>,
    slots: Slots,
}

impl Fixed {
    /// The template of `program`, or `None` when it has a choice point (or
    /// a non-ASCII literal, or is long).
    fn of(program: &[Inst]) -> Option<Self> {
        let mut sets = Vec::new();
        let mut slots = [UNSET; 2 * MAX_GROUPS];
        for inst in program {
            match inst {
                Inst::Bytes(bytes) => {
                    for &b in bytes.iter() {
                        if b >= 128 {
                            return None;
                        }
                        let mut set = ByteSet::default();
                        set.insert(b);
                        sets.push(set);
                    }
                }
                Inst::Set(set) => sets.push(*set),
                Inst::Repeat { set, min, max, .. } if min == max => sets.extend((0..*min).map(|_| *set)),
                Inst::Open(g) => slots[2 * g] = sets.len() as u32,
                Inst::Close(g) => slots[2 * g + 1] = sets.len() as u32,
                _ => return None,
            }
            if sets.len() > 64 {
                return None;
            }
        }
        slots[0] = 0;
        slots[1] = sets.len() as u32;
        Some(Self { sets: sets.into_boxed_slice(), slots })
    }
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
    /// Whether the pattern is a byte template (no choice point): its own
    /// test is then as cheap as any screen.
    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }

    /// Number of groups, group 0 included.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// The largest bounded count of a repetition (`\d{15}`: 15), or 0.
    pub fn max_count(&self) -> u32 {
        let count = |i: &Inst| match i {
            Inst::Repeat { min, max, .. } => (*min).max(if *max == u32::MAX { 0 } else { *max }),
            _ => 0,
        };
        self.program.iter().map(count).max().unwrap_or(0)
    }

    /// Fills `slots` with the captures of the leftmost-first match (which
    /// starts at 0) and returns whether there is one; `Err(Undecided)` when
    /// this matcher cannot tell (non-ASCII input, step limit, input longer
    /// than 4 GiB): use the regex engine then.
    pub fn captures(&self, input: &str, slots: &mut Slots) -> Result<bool, Undecided> {
        if let Some(f) = &self.fixed {
            return self.captures_fixed(f, input, slots);
        }
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

    /// [`captures`](Self::captures) for a byte template. A Unicode class
    /// may match a character of several bytes, so a length that does not
    /// fit, or a non-ASCII byte that fails, leaves non-ASCII input to the
    /// regex engine as the general path does.
    #[inline]
    fn captures_fixed(&self, f: &Fixed, input: &str, slots: &mut Slots) -> Result<bool, Undecided> {
        let found = self.matches_fixed(f, input)?;
        if found {
            // The whole array: a fixed-size copy, not a call to memcpy.
            *slots = f.slots;
        }
        Ok(found)
    }

    #[inline]
    fn matches_fixed(&self, f: &Fixed, input: &str) -> Result<bool, Undecided> {
        let s = input.as_bytes();
        let n = f.sets.len();
        let fits = if self.anchored_end { s.len() == n } else { s.len() >= n };
        if !fits {
            return if input.is_ascii() { Ok(false) } else { Err(Undecided) };
        }
        for (&b, set) in s.iter().zip(f.sets.iter()) {
            if !set.contains(b) {
                return if b < 128 { Ok(false) } else { Err(Undecided) };
            }
        }
        Ok(true)
    }

    /// Whether the pattern matches; `Err` as for [`captures`](Self::captures).
    pub fn is_match(&self, input: &str) -> Result<bool, Undecided> {
        if let Some(f) = &self.fixed {
            return self.matches_fixed(f, input);
        }
        let mut slots = [UNSET; 2 * MAX_GROUPS];
        self.captures(input, &mut slots)
    }

    /// Returns the end of the match. Straight-line instructions are walked
    /// in a loop; only repetitions and alternations (the choice points)
    /// recurse. Slots need undoing only where a failed alternative opened
    /// a group: elsewhere the successful traversal rewrites every slot
    /// after a backtrack point.
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
            let Some(inst) = self.program.get(i) else {
                return Ok((!self.anchored_end || pos == s.len()).then_some(pos));
            };
            match inst {
                Inst::Bytes(b) => {
                    if !starts(&s[pos..], b) {
                        return Ok(None);
                    }
                    pos += b.len();
                }
                Inst::Set(set) => {
                    if pos >= s.len() || !set.contains(s[pos]) {
                        return Ok(None);
                    }
                    pos += 1;
                }
                Inst::Open(g) => slots[2 * g] = pos as u32,
                Inst::Close(g) => slots[2 * g + 1] = pos as u32,
                Inst::Jump(to) => {
                    i = *to;
                    continue;
                }
                Inst::Ahead { literals, negated } => {
                    if literals.iter().any(|l| starts(&s[pos..], l)) == *negated {
                        return Ok(None);
                    }
                }
                Inst::Repeat { set, min, max, greedy } => {
                    let limit = s.len().min(pos.saturating_add(*max as usize));
                    let avail = s[pos..limit].iter().take_while(|b| set.contains(**b)).count();
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
                Inst::Alt(lits) => {
                    for l in lits.iter() {
                        if starts(&s[pos..], l) {
                            if let Some(e) = self.run(i + 1, pos + l.len(), s, slots, steps)? {
                                return Ok(Some(e));
                            }
                        }
                    }
                    return Ok(None);
                }
                Inst::Split { branches, groups } => {
                    let saved = *groups;
                    let before = *slots;
                    for &b in branches.iter() {
                        if let Some(e) = self.run(b, pos, s, slots, steps)? {
                            return Ok(Some(e));
                        }
                        if saved {
                            *slots = before;
                        }
                    }
                    return Ok(None);
                }
            }
            i += 1;
        }
    }
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
    fn alternations_of_sequences_restore_their_groups() {
        assert_eq!(caps(r"^(?:12|3\d)$", "35").unwrap()[0], Some("35".into()));
        assert!(caps(r"^(?:12|3\d)$", "13").is_none());
        let p = r"^\+1(?:[02-35-9]\d{9}|4[013-9]\d{8}|42[0-46-9]\d{7})$";
        assert!(caps(p, "+14305550100").is_some() && caps(p, "+14255550100").is_none());
        // The first branch opens group 1 and fails later: group 1 is unset.
        assert_eq!(caps(r"^(?:(1)2|1(3))$", "13").unwrap()[1..], [None, Some("3".into())]);
        assert_eq!(caps(r"^(1[2-9]\d{2}|44\d{2,3})$", "44123").unwrap()[1], Some("44123".into()));
    }

    #[test]
    fn patterns_without_choice_points_are_byte_templates() {
        for p in [r"^\+1(\d{10})$", r"^([2-9]\d{6})$", r"^011", r"^(\d{4})$", r"^$", r"^\+1425(\d{7})$"] {
            assert!(FastMatch::new(p).unwrap().fixed.is_some(), "{p}");
        }
        for p in [r"^\d{7,15}$", r"^9?1", r"^(12|3)$", r"^\+(?!1)\d{7}$", r"^\d*$"] {
            assert!(FastMatch::new(p).unwrap().fixed.is_none(), "{p}");
        }
        assert_eq!(
            caps(r"^\+1425(\d{3})(\d{4})$", "+14255550100").unwrap()[1..],
            [Some("555".into()), Some("0100".into())]
        );
        assert!(caps(r"^\+1425(\d{7})$", "+1425555010").is_none());
        assert_eq!(caps(r"^011", "01144").unwrap()[0], Some("011".into()));
        // Non-ASCII input is left to the engine whenever it could matter.
        let f = FastMatch::new(r"^(\d{2})$").unwrap();
        assert!(f.is_match("٣٣").is_err() && f.is_match("1٣").is_err() && f.is_match("1x") == Ok(false));
        assert_eq!(FastMatch::new(r"^1").unwrap().is_match("1٣"), Ok(true));
    }

    #[test]
    fn literal_look_aheads() {
        assert!(caps(r"^\+(?!1)\d{7,15}$", "+12065550100").is_none());
        assert!(caps(r"^\+(?!1)\d{7,15}$", "+442071234567").is_some());
        assert!(caps(r"^\+(?!44|33)\d{7,15}$", "+33140208000").is_none());
        assert!(caps(r"^\+(?=44|33)\d{7,15}$", "+33140208000").is_some());
        // Groups after a look-ahead keep their numbers.
        assert_eq!(caps(r"^\+(?!1)(\d{2})(\d+)$", "+4420").unwrap()[1..], [Some("44".into()), Some("20".into())]);
        // A parenthesis in a class is not a look-ahead.
        assert!(caps(r"^[(?!]1$", "!1").is_some());
    }

    #[test]
    fn other_shapes_are_left_to_the_regex_engine() {
        for p in [
            r"\d{4}",
            r"^(\d{3})+$",
            r"^a|b$",
            r"^\b1$",
            r"^(?<!1)2",
            r"^(?!1\d)2",
            r"^(?!(1))2",
            r"^\d(?=1",
            r"(?i)^(?!a)\w",
        ] {
            assert!(FastMatch::new(p).is_none(), "{p}");
        }
        assert!(FastMatch::new(r"^\d$").unwrap().is_match("٣").is_err(), "non-ASCII input falls back");
    }
}
