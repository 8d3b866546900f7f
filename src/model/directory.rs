//! The number index for reverse number lookup (RNL): which E.164 numbers
//! are Line URIs of Enterprise Voice users.

use super::ids::UserGroupId;
use super::objects::UserGroup;

/// Sorted, non-overlapping Line URI ranges; lookups are a binary search.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// (first, last, group), sorted by `first`. E.164 numbers never start
    /// with 0, so the value alone fixes the digit count.
    ranges: Vec<(u64, u64, UserGroupId)>,
}

/// A user found by reverse number lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub group: UserGroupId,
    /// Index of the user within the group.
    pub index: u32,
}

impl Directory {
    /// Indexes the groups; returns the pairs of groups whose ranges overlap.
    pub fn new(groups: &[UserGroup]) -> (Self, Vec<(UserGroupId, UserGroupId)>) {
        let mut ranges: Vec<_> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let last = g.first_number + u64::from(g.users.max(1)) - 1;
                (g.first_number, last, UserGroupId::from_index(i))
            })
            .collect();
        ranges.sort_by_key(|r| (r.0, r.2));
        let mut overlaps = Vec::new();
        for w in ranges.windows(2) {
            if w[1].0 <= w[0].1 {
                overlaps.push((w[0].2, w[1].2));
            }
        }
        (Self { ranges }, overlaps)
    }

    /// The user whose Line URI is exactly `e164` (`+` and digits), if any.
    pub fn lookup(&self, e164: &str) -> Option<DirectoryEntry> {
        let digits = e164.strip_prefix('+')?.as_bytes();
        if digits.is_empty() || digits.len() > 19 || digits[0] == b'0' {
            return None;
        }
        let mut n: u64 = 0;
        for &b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u64::from(b - b'0');
        }
        let upto = self.ranges.partition_point(|r| r.0 <= n);
        let r = self.ranges[..upto].last()?;
        (n <= r.1).then(|| DirectoryEntry { group: r.2, index: (n - r.0) as u32 })
    }
}
