//! Byte sets and short literal comparisons, the matcher's inner tests.

/// A set of ASCII bytes as two words: the digits and `+*#` all fall in
/// the low word, so a test is one shift (a `u128` shift is several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteSet {
    lo: u64,
    hi: u64,
}

impl ByteSet {
    #[inline]
    pub fn contains(self, b: u8) -> bool {
        match b {
            0..=63 => self.lo >> b & 1 != 0,
            64..=127 => self.hi >> (b - 64) & 1 != 0,
            _ => false,
        }
    }

    pub(super) fn insert(&mut self, b: u8) {
        match b {
            0..=63 => self.lo |= 1 << b,
            64..=127 => self.hi |= 1 << (b - 64),
            _ => {}
        }
    }
}

/// Whether `s` starts with `p`: inline, as the literals compared are a few
/// bytes long, where a call to `memcmp` costs more than the comparison.
#[inline]
pub fn starts(s: &[u8], p: &[u8]) -> bool {
    s.len() >= p.len() && s.iter().zip(p).all(|(a, b)| a == b)
}
