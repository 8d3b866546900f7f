//! A study split over machines: shard `index` of `count` takes every
//! case whose position in the study's case list is `index` modulo
//! `count`. Round robin, not blocks, so that cases of similar cost (a
//! study lists them by element class, then by site) spread evenly over
//! the shards; the slice depends on nothing but the case list, so every
//! machine computes the same one.

use std::fmt;
use std::str::FromStr;

/// Shard `index` of `count` (`index < count`, `count` from 1 to
/// [`Shard::MAX_COUNT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// The whole study in one piece.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };
    /// Most shards a study is split into: more than any cluster array
    /// job would run at once, few enough to list in one folder.
    pub const MAX_COUNT: u32 = 10_000;

    /// Whether case `case` (its position in the study's case list) is
    /// this shard's.
    pub fn owns(&self, case: usize) -> bool {
        case % self.count as usize == self.index as usize
    }

    /// Whether this shard is the whole study.
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// The shards of a study split `count` ways, in order.
    pub fn all(count: u32) -> impl Iterator<Item = Shard> {
        (0..count).map(move |index| Shard { index, count })
    }
}

impl fmt::Display for Shard {
    /// `I/N`, as `--shard` takes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N` with `0 <= I < N <= 10000` (the index counts from 0, as
    /// Slurm's `SLURM_ARRAY_TASK_ID` and Kubernetes' `JOB_COMPLETION_INDEX`
    /// do).
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}`: write the shard as I/N, I from 0 to N-1 and N from 1 to {}", Shard::MAX_COUNT);
        let (i, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || count > Shard::MAX_COUNT || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_case_once() {
        for count in [1, 2, 3, 7] {
            for case in 0..50 {
                let owners = Shard::all(count).filter(|s| s.owns(case)).count();
                assert_eq!(owners, 1, "case {case} of {count} shards");
            }
        }
        assert!(Shard::WHOLE.owns(12345) && Shard::WHOLE.is_whole());
    }

    #[test]
    fn shards_are_written_as_index_over_count() {
        assert_eq!("3/8".parse::<Shard>(), Ok(Shard { index: 3, count: 8 }));
        assert_eq!(Shard { index: 0, count: 1 }.to_string(), "0/1");
        for bad in ["8/8", "1/0", "-1/4", "a/b", "3", "0/10001", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
