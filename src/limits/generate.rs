//! Ranges of `voicetwin generate`'s numbers (docs/commands.md, "generate").

use super::Whole;

/// `--sites`: sites in the generated network.
///
/// The upper bound keeps the generated scenario inside the scenario's own
/// bounds (at most 10,000 sources: one per site and one per central
/// site's carrier) and its validation and what-if runs within minutes.
pub const SITES: Whole = Whole::new(
    1,
    5_000,
    "a network of up to 5,000 sites: its scenario keeps one source per site and per central site within the \
     10,000 sources a scenario may have",
);

/// `--seed`: the generator's seed, in the scenario file's `seed` range
/// (the generated scenario is seeded with it too).
pub const SEED: Whole = Whole::new(0, i64::MAX, "any TOML integer of zero or more, as a scenario's `seed`");
