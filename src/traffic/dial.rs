//! Dialed strings as users dial them, from templates: `X` is any digit,
//! `Z` 1-9, `N` 2-9, `[1-7]` or `[1358]` one of a set (the dial-pattern
//! letters PBX engineers use); every other character is itself. `"9 1 NXX NXX XXXX"` dials long distance
//! through an external access prefix, spaces and all, so normalization
//! really runs on every call.

use rand::{Rng, RngExt};

use crate::rng::Stream;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(u8),
    Any,
    NonZero,
    TwoToNine,
    OneOf(Vec<u8>),
}

/// A compiled template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialTemplate {
    text: String,
    parts: Vec<Part>,
}

impl DialTemplate {
    /// Compiles `text`; it must be ASCII and not empty.
    pub fn new(text: &str) -> Result<Self, String> {
        if text.is_empty() || !text.is_ascii() {
            return Err(format!("\"{text}\" is not a dial template: ASCII digits, +, *, # and X/Z/N placeholders"));
        }
        let bytes = text.as_bytes();
        let mut parts = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let part = match bytes[i] {
                b'X' | b'x' => Part::Any,
                b'Z' | b'z' => Part::NonZero,
                b'N' | b'n' => Part::TwoToNine,
                b'[' => {
                    let close =
                        text[i..].find(']').map(|c| i + c).ok_or_else(|| format!("\"{text}\": `[` without `]`"))?;
                    let set = parse_set(&bytes[i + 1..close]).ok_or_else(|| {
                        format!("\"{text}\": `{}` is not a set like [1-7] or [1358]", &text[i..=close])
                    })?;
                    i = close;
                    Part::OneOf(set)
                }
                other => Part::Literal(other),
            };
            parts.push(part);
            i += 1;
        }
        Ok(Self { text: text.to_owned(), parts })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The characters each position can take, in order: what a question
    /// about every string the template dials (which users can it reach?)
    /// is asked of.
    pub fn positions(&self) -> Vec<Vec<u8>> {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Literal(b) => vec![*b],
                Part::Any => b"0123456789".to_vec(),
                Part::NonZero => b"123456789".to_vec(),
                Part::TwoToNine => b"23456789".to_vec(),
                Part::OneOf(set) => set.clone(),
            })
            .collect()
    }

    /// Writes one dialed string into `out` (cleared first).
    pub fn generate(&self, rng: &mut Stream, out: &mut String) {
        out.clear();
        // Built on the stack and appended once (the template is ASCII).
        let mut buf = [0u8; 64];
        let mut len = 0;
        // Free digits come 18 at a time from one 64-bit draw, exactly
        // uniform (draws at or above 18·10^18 are rejected).
        let mut pool = 0u64;
        let mut left = 0;
        for p in &self.parts {
            let b = match p {
                Part::Literal(b) => *b,
                Part::OneOf(set) => set[rng.random_range(0..set.len())],
                Part::Any => {
                    if left == 0 {
                        pool = loop {
                            let x = rng.next_u64();
                            if x < 18_000_000_000_000_000_000 {
                                break x;
                            }
                        };
                        left = 18;
                    }
                    let d = (pool % 10) as u8;
                    pool /= 10;
                    left -= 1;
                    b'0' + d
                }
                Part::NonZero => b'1' + rng.random_range(0..9u8),
                Part::TwoToNine => b'2' + rng.random_range(0..8u8),
            };
            if len == buf.len() {
                out.push_str(std::str::from_utf8(&buf).expect("templates are ASCII"));
                len = 0;
            }
            buf[len] = b;
            len += 1;
        }
        out.push_str(std::str::from_utf8(&buf[..len]).expect("templates are ASCII"));
    }
}

/// `1-7` or `1358` (digits, `+`, `*`, `#`) into the bytes it allows.
fn parse_set(inner: &[u8]) -> Option<Vec<u8>> {
    let ok = |b: u8| b.is_ascii_digit() || b"+*#".contains(&b);
    let mut set = Vec::new();
    let mut i = 0;
    while i < inner.len() {
        if i + 2 < inner.len() && inner[i + 1] == b'-' {
            let (lo, hi) = (inner[i], inner[i + 2]);
            if !(lo.is_ascii_digit() && hi.is_ascii_digit() && lo <= hi) {
                return None;
            }
            set.extend(lo..=hi);
            i += 3;
        } else {
            if !ok(inner[i]) {
                return None;
            }
            set.push(inner[i]);
            i += 1;
        }
    }
    set.sort_unstable();
    set.dedup();
    (!set.is_empty()).then_some(set)
}

/// Weighted templates.
#[derive(Debug, Clone)]
pub struct DialMix {
    templates: Vec<DialTemplate>,
    cumulative: Vec<f64>,
}

impl DialMix {
    /// From (weight, template) pairs; weights need not add to 1.
    pub fn new(items: Vec<(f64, DialTemplate)>) -> Result<Self, String> {
        if items.is_empty() {
            return Err("needs at least one destination".into());
        }
        if items.iter().any(|(w, _)| !(w.is_finite() && *w >= 0.0)) {
            return Err("weights must be zero or positive".into());
        }
        let total: f64 = items.iter().map(|i| i.0).sum();
        if total <= 0.0 {
            return Err("the weights add up to zero".into());
        }
        let mut acc = 0.0;
        let mut cumulative = Vec::with_capacity(items.len());
        let mut templates = Vec::with_capacity(items.len());
        for (w, t) in items {
            acc += w / total;
            cumulative.push(acc);
            templates.push(t);
        }
        Ok(Self { templates, cumulative })
    }

    /// Each template with its share of the calls (the shares add up to 1).
    pub fn shares(&self) -> impl Iterator<Item = (f64, &DialTemplate)> + '_ {
        let previous = std::iter::once(0.0).chain(self.cumulative.iter().copied());
        self.cumulative.iter().zip(previous).map(|(c, p)| c - p).zip(&self.templates)
    }

    /// Draws a template and writes a dialed string from it.
    pub fn generate(&self, rng: &mut Stream, out: &mut String) {
        let i = if self.templates.len() == 1 {
            0
        } else {
            let u: f64 = rng.random();
            self.cumulative.partition_point(|c| *c < u).min(self.templates.len() - 1)
        };
        self.templates[i].generate(rng, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn templates_fill_placeholders_and_keep_literals() {
        let t = DialTemplate::new("9 1 NXX ZXXX").unwrap();
        let mut r = stream(3, 0, "dial");
        let mut s = String::new();
        for _ in 0..200 {
            t.generate(&mut r, &mut s);
            let b = s.as_bytes();
            assert_eq!(s.len(), 12);
            assert!(s.starts_with("9 1 "));
            assert!((b'2'..=b'9').contains(&b[4]));
            assert!((b'1'..=b'9').contains(&b[8]));
            assert!(b[5].is_ascii_digit() && b[11].is_ascii_digit());
        }
    }

    #[test]
    fn free_digits_are_uniform_in_every_position() {
        let t = DialTemplate::new("XXXXXXXXXXXXXXXXXXXXXXXX").unwrap(); // 24: crosses a pool refill
        let mut r = stream(5, 0, "uniform");
        let mut s = String::new();
        let mut counts = [[0u32; 10]; 24];
        for _ in 0..20_000 {
            t.generate(&mut r, &mut s);
            for (i, b) in s.bytes().enumerate() {
                counts[i][(b - b'0') as usize] += 1;
            }
        }
        for pos in counts {
            for n in pos {
                assert!((1_800..=2_200).contains(&n), "{pos:?}");
            }
        }
    }

    #[test]
    fn sets_pick_from_their_members() {
        let t = DialTemplate::new("[1-3][79]").unwrap();
        let mut r = stream(3, 0, "set");
        let mut s = String::new();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..500 {
            t.generate(&mut r, &mut s);
            seen.insert(s.clone());
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["17", "19", "27", "29", "37", "39"]);
        assert!(DialTemplate::new("[1-").is_err());
        assert!(DialTemplate::new("[a]").is_err());
        assert!(DialTemplate::new("[]").is_err());
    }

    #[test]
    fn weights_are_respected() {
        let mix =
            DialMix::new(vec![(3.0, DialTemplate::new("1").unwrap()), (1.0, DialTemplate::new("2").unwrap())]).unwrap();
        let mut r = stream(3, 0, "mix");
        let mut s = String::new();
        let ones = (0..40_000)
            .filter(|_| {
                mix.generate(&mut r, &mut s);
                s == "1"
            })
            .count();
        assert!((ones as f64 / 40_000.0 - 0.75).abs() < 0.01, "{ones}");
        let shares: Vec<(f64, &str)> = mix.shares().map(|(w, t)| (w, t.as_str())).collect();
        assert_eq!(shares, [(0.75, "1"), (0.25, "2")]);
        assert!(DialMix::new(vec![]).is_err());
        assert!(DialTemplate::new("").is_err());
    }
}
