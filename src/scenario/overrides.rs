//! Values given on the command line in place of a scenario file's.
//!
//! They are applied while the scenario loads, after the file's own fields
//! were checked, against the same ranges as those fields (an error names
//! the flag), and they end up in the scenario's fields like any file
//! value. [`Scenario::recorded_text`] writes them back into the text, so a
//! run folder's `scenario.toml` reproduces the run.

use std::path::PathBuf;

use crate::limits::{self, scenario::LOAD_FACTOR, scenario::REPLICATIONS};

use super::{Precision, Scenario, ScenarioError};

/// The command line's overrides; `None` keeps the file's value.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// A model file in place of the one the scenario names (`--model`).
    pub model: Option<PathBuf>,
    /// `--seed`, as given (a negative one is refused here, naming it).
    pub seed: Option<i128>,
    /// `--replications` (with a precision target, the first batch).
    pub replications: Option<u32>,
    /// `--load-factor`: multiplies the file's `load_factor`.
    pub load_factor: Option<f64>,
    /// `--precision`: replaces `[precision] relative`.
    pub precision: Option<f64>,
    /// `--precision-floor`: replaces `[precision] absolute`.
    pub precision_floor: Option<f64>,
    /// `--max-replications`: replaces `[precision] max_replications`.
    pub max_replications: Option<u32>,
}

fn flag(flag: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Override { flag: flag.into(), message: message.into() }
}

impl Overrides {
    /// Applies the overrides to a scenario whose file fields are valid.
    pub(super) fn apply(&self, sc: &mut Scenario) -> Result<(), ScenarioError> {
        if let Some(seed) = self.seed {
            // A TOML integer, as the file's: the run folder records it.
            let range = format!("it must be between 0 and {} (the file's `seed` range)", i64::MAX);
            let why = if seed < 0 { "is negative" } else { "is too large" };
            let seed = u64::try_from(seed)
                .ok()
                .filter(|s| i64::try_from(*s).is_ok())
                .ok_or_else(|| flag(format!("--seed {seed}"), format!("{seed} {why}; {range}")))?;
            sc.seed = seed;
        }
        if let Some(n) = self.replications {
            REPLICATIONS.check(i64::from(n)).map_err(|e| flag(format!("--replications {n}"), e))?;
            sc.replications = n;
        }
        self.apply_precision(sc)?;
        if let Some(factor) = self.load_factor.filter(|f| *f != 1.0) {
            let name = format!("--load-factor {}", limits::number(factor));
            LOAD_FACTOR.check(factor).map_err(|e| flag(name.clone(), e))?;
            sc.scale_load(factor).map_err(|e| flag(name, e))?;
        }
        Ok(())
    }

    /// The command line's precision replaces the scenario's field by
    /// field; the whole is checked again for the (maybe overridden) first
    /// batch of replications.
    fn apply_precision(&self, sc: &mut Scenario) -> Result<(), ScenarioError> {
        let relative = self.precision.or(sc.precision.map(|p| p.relative));
        let Some(rel) = relative else {
            let given: Vec<&str> = [
                self.precision_floor.map(|_| "--precision-floor"),
                self.max_replications.map(|_| "--max-replications"),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !given.is_empty() {
                return Err(flag(
                    given.join(" and "),
                    "needs a precision target: --precision REL or the scenario's [precision]",
                ));
            }
            return Ok(());
        };
        let max = self.max_replications.or(sc.precision.map(|p| p.max_replications)).map(i64::from);
        let floor = self.precision_floor.or(sc.precision.map(|p| p.absolute));
        let p = Precision::new(rel, floor, max, sc.replications).map_err(|(field, message)| {
            let name = match field.as_str() {
                "relative" => "--precision",
                "absolute" => "--precision-floor",
                _ => "--max-replications",
            };
            flag(name, message)
        })?;
        sc.precision = Some(p);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{builtin, load_for_model, load_str};

    fn load(o: &Overrides) -> Result<(Scenario, crate::model::Model), ScenarioError> {
        load_str(builtin("single-trunk-group").unwrap(), "stg.toml", None, o)
    }

    #[test]
    fn overrides_land_in_the_scenario_and_its_recorded_text() {
        let o = Overrides { seed: Some(42), replications: Some(3), load_factor: Some(1.5), ..Default::default() };
        let (sc, m) = load(&o).unwrap();
        let (plain, _) = load(&Overrides::default()).unwrap();
        assert_eq!((sc.seed, sc.replications, sc.load_factor), (42, 3, 1.5));
        assert!((sc.sources[0].rate_per_s - 1.5 * plain.sources[0].rate_per_s).abs() < 1e-12);
        let again = load_for_model(&sc.recorded_text("model.toml"), "again.toml", &m).unwrap();
        assert_eq!((again.seed, again.replications, again.load_factor), (42, 3, 1.5));
        assert_eq!(again.sources[0].rate_per_s.to_bits(), sc.sources[0].rate_per_s.to_bits());
    }

    #[test]
    fn an_override_out_of_its_range_names_the_flag() {
        let e = load(&Overrides { replications: Some(0), ..Default::default() }).unwrap_err().to_string();
        assert!(e.starts_with("--replications 0: "), "{e}");
        let e = load(&Overrides { seed: Some(-1), ..Default::default() }).unwrap_err().to_string();
        assert!(e.starts_with("--seed -1: -1 is negative"), "{e}");
        let e = load(&Overrides { seed: Some(1 << 63), ..Default::default() }).unwrap_err().to_string();
        assert!(e.contains("is too large; it must be between 0 and 9223372036854775807"), "{e}");
        let e = load(&Overrides { max_replications: Some(5), ..Default::default() }).unwrap_err().to_string();
        assert!(e.starts_with("--max-replications: needs a precision target"), "{e}");
        let o =
            Overrides { precision: Some(0.1), max_replications: Some(2), replications: Some(4), ..Default::default() };
        let e = load(&o).unwrap_err().to_string();
        assert!(e.starts_with("--max-replications: "), "{e}");
    }
}
