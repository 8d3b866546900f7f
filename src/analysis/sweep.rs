//! Parameter sweeps: any numeric field of the model or the scenario over a
//! list of values (several fields: their grid), each point run with the
//! scenario's replications and seed and tabulated.
//!
//! A field is named by a path into its file: `model:peer[gw-red-1].t1_spans`,
//! `scenario:source[redmond-out].bhca_per_user`, `scenario:duration`. A
//! `[selector]` picks the entry of an array of tables whose `name`, `fqdn`
//! or `scope` equals it. Each point is the file with the field edited, loaded
//! and validated as any file is.

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{load_str, Model};
use crate::scenario::{load_for_model, Scenario};

pub use super::schema::sweep::{File, Point, SweepResults, SweptParam};
use super::summary::summarize;

/// One swept field and its values.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    pub file: File,
    #[serde(skip)]
    path: Vec<(String, Option<String>)>,
    pub values: Vec<f64>,
    #[serde(skip)]
    integer: bool,
}

impl Param {
    /// Parses `model:peer[gw].t1_spans=1,2,3`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (name, values) = text.split_once('=').ok_or_else(|| format!("{text}: write PATH=V1,V2,..."))?;
        let (file, path) = match name.split_once(':') {
            Some(("model", p)) => (File::Model, p),
            Some(("scenario", p)) => (File::Scenario, p),
            _ => return Err(format!("{name}: start the path with model: or scenario:")),
        };
        // Split on the dots outside brackets: selectors are often FQDNs.
        let mut steps = Vec::new();
        let (mut depth, mut start) = (0usize, 0usize);
        for (i, c) in path.char_indices() {
            match c {
                '[' => depth += 1,
                ']' => depth = depth.saturating_sub(1),
                '.' if depth == 0 => {
                    steps.push(&path[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        steps.push(&path[start..]);
        let path: Vec<(String, Option<String>)> = steps
            .into_iter()
            .map(|seg| match seg.split_once('[') {
                Some((key, sel)) => (key.to_owned(), Some(sel.trim_end_matches(']').to_owned())),
                None => (seg.to_owned(), None),
            })
            .collect();
        if path.iter().any(|(k, _)| k.is_empty()) {
            return Err(format!("{name}: an empty step in the path"));
        }
        let integer = values.split(',').all(|v| v.trim().parse::<i64>().is_ok());
        let values = values
            .split(',')
            .map(|v| v.trim().parse::<f64>().map_err(|_| format!("{name}: `{v}` is not a number")))
            .collect::<Result<Vec<_>, _>>()?;
        if values.is_empty() {
            return Err(format!("{name}: give at least one value"));
        }
        Ok(Self { name: name.to_owned(), file, path, values, integer })
    }

    /// Sets the field to `v`; returns where it is, as `peer#2.e1_spans`
    /// (entries by position), so that two paths naming one field (by
    /// `name` and by `fqdn`) are told apart from two fields.
    fn set(&self, doc: &mut toml::Table, v: f64) -> Result<String, String> {
        let mut table = doc;
        let mut at = String::new();
        let (last, steps) = self.path.split_last().expect("parse keeps at least one step");
        for (key, sel) in steps {
            let value = table.get_mut(key).ok_or_else(|| format!("{}: no `{key}` in the file", self.name))?;
            at.push_str(key);
            table = match (value, sel) {
                (toml::Value::Table(t), None) => t,
                // Lync's identities and names are case-insensitive.
                (toml::Value::Array(items), Some(sel)) => items
                    .iter_mut()
                    .filter_map(|i| i.as_table_mut())
                    .enumerate()
                    .find(|(_, t)| {
                        ["name", "fqdn", "scope"]
                            .iter()
                            .any(|k| t.get(*k).and_then(|v| v.as_str()).is_some_and(|n| n.eq_ignore_ascii_case(sel)))
                    })
                    .map(|(i, t)| {
                        at.push_str(&format!("#{i}"));
                        t
                    })
                    .ok_or_else(|| format!("{}: no `{key}` entry named `{sel}`", self.name))?,
                (toml::Value::Array(_), None) => {
                    return Err(format!("{}: `{key}` is a list of entries; pick one, as in `{key}[NAME]`", self.name))
                }
                (toml::Value::Table(_), Some(_)) => {
                    return Err(format!("{}: `{key}` is a single table; write it without `[...]`", self.name))
                }
                _ => return Err(format!("{}: `{key}` is a value, not a table the path can go into", self.name)),
            };
            at.push('.');
        }
        if last.1.is_some() {
            return Err(format!("{}: the path ends in a selector", self.name));
        }
        match table.get(&last.0) {
            Some(toml::Value::Integer(_) | toml::Value::Float(_)) | None => {}
            Some(other) => {
                return Err(format!(
                    "{}: `{}` holds {} ({other}), not a number; a sweep edits numeric fields",
                    self.name,
                    last.0,
                    other.type_str()
                ))
            }
        }
        let value = if self.integer { toml::Value::Integer(v as i64) } else { toml::Value::Float(v) };
        table.insert(last.0.clone(), value);
        at.push('.');
        at.push_str(&last.0);
        Ok(at)
    }
}

/// The most points a sweep runs: each is a whole simulation, and a grid
/// beyond this is a typo more often than a plan.
pub const MAX_POINTS: usize = 10_000;

/// The number of points of the grid, refused beyond [`MAX_POINTS`] or
/// when a path is given twice (the second would silently win).
pub fn grid_size(params: &[Param]) -> Result<usize, String> {
    for (i, p) in params.iter().enumerate() {
        if params[..i].iter().any(|q| q.file == p.file && q.path == p.path) {
            return Err(format!("{}: the path is given twice; give all its values in one --param", p.name));
        }
        if let Some(v) = p.values.iter().enumerate().find_map(|(k, v)| p.values[..k].contains(v).then_some(v)) {
            return Err(format!("{}: the value {v} is given twice", p.name));
        }
    }
    let n = params.iter().try_fold(1usize, |n, p| n.checked_mul(p.values.len()));
    match n {
        Some(n) if n <= MAX_POINTS => Ok(n),
        _ => Err(format!(
            "the grid has {} points, more than the {MAX_POINTS} a sweep runs; give fewer values",
            params.iter().map(|p| p.values.len().to_string()).collect::<Vec<_>>().join(" x ")
        )),
    }
}

/// The values of the grid's `index`-th point, made when needed (the grid
/// is never held whole): the first parameter varies slowest.
fn grid_point(params: &[Param], mut index: usize) -> Vec<f64> {
    let mut values = vec![0.0; params.len()];
    for (slot, p) in values.iter_mut().zip(params).rev() {
        *slot = p.values[index % p.values.len()];
        index /= p.values.len();
    }
    values
}

pub fn point(
    model: &Model,
    scenario: &Scenario,
    params: &[Param],
    values: &[f64],
) -> Result<(Model, Scenario), String> {
    let mut m: toml::Table = model.text.parse().map_err(|e| format!("{}: {e}", model.source))?;
    // The scenario as it runs, the command line's overrides in their
    // fields: they hold at every point unless the sweep varies them.
    let mut s: toml::Table =
        scenario.recorded_text("model.toml").parse().map_err(|e| format!("{}: {e}", scenario.source))?;
    let mut targets: Vec<(File, String)> = Vec::with_capacity(params.len());
    for (p, v) in params.iter().zip(values) {
        let at = match p.file {
            File::Model => p.set(&mut m, *v)?,
            File::Scenario => p.set(&mut s, *v)?,
        };
        if let Some(k) = targets.iter().position(|t| *t == (p.file, at.clone())) {
            return Err(format!(
                "{}: names the same field as {}; give all its values in one --param",
                p.name, params[k].name
            ));
        }
        targets.push((p.file, at));
    }
    let point = params.iter().zip(values).map(|(p, v)| format!("{}={v}", p.name)).collect::<Vec<_>>().join(", ");
    let label = |src: &str| format!("{src} with {point}");
    let model2 =
        load_str(&toml::to_string(&m).map_err(|e| e.to_string())?, &label(&model.source)).map_err(|e| e.to_string())?;
    let sc = load_for_model(&toml::to_string(&s).map_err(|e| e.to_string())?, &label(&scenario.source), &model2)
        .map_err(|e| e.to_string())?;
    Ok((model2, sc))
}

/// One point's results, in this thread (points run in parallel): the
/// scenario's replications, or as many as its precision target needs.
fn point_results(m: &Model, sc: &Scenario) -> Result<crate::analysis::results::Results, String> {
    Ok(crate::analysis::run::run_precise(m, sc, 1)?.0)
}

/// Points run at once per thread before the finished ones are handed on:
/// enough to keep every thread busy while points differ in length.
const POINTS_PER_THREAD: usize = 8;

/// A grid whose every point has been built and checked, ready to run.
pub struct Grid {
    params: Vec<Param>,
    /// Calls one replication of every point is expected to simulate,
    /// summed: what the command announces.
    pub calls_per_replication: f64,
}

impl Grid {
    /// Builds every point of the grid, keeping none: a bad value is
    /// reported before any run, and memory does not grow with the grid.
    pub fn prepare(model: &Model, scenario: &Scenario, params: Vec<Param>) -> Result<Self, String> {
        let n = grid_size(&params)?;
        let mut calls = 0.0;
        for i in 0..n {
            calls += point(model, scenario, &params, &grid_point(&params, i))?.1.work().calls;
        }
        Ok(Self { params, calls_per_replication: calls })
    }

    /// Points of the grid.
    pub fn points(&self) -> usize {
        self.params.iter().map(|p| p.values.len()).product()
    }

    /// Runs the grid in parallel (rayon), calling `progress` after each
    /// point and `finished` with every point done so far, in grid order,
    /// after each batch of them: a long sweep's results reach its folder
    /// as they finish.
    pub fn run(
        self,
        model: &Model,
        scenario: &Scenario,
        threads: usize,
        progress: &(dyn Fn() + Sync),
        finished: &mut dyn FnMut(&[Point]),
    ) -> Result<SweepResults, String> {
        run_grid(model, scenario, self.params, threads, progress, finished)
    }
}

/// A whole sweep, prepared and run, for callers that need neither step
/// alone.
pub fn run_sweep(
    model: &Model,
    scenario: &Scenario,
    params: Vec<Param>,
    threads: usize,
) -> Result<SweepResults, String> {
    Grid::prepare(model, scenario, params)?.run(model, scenario, threads, &|| (), &mut |_| ())
}

fn run_grid(
    model: &Model,
    scenario: &Scenario,
    params: Vec<Param>,
    threads: usize,
    progress: &(dyn Fn() + Sync),
    finished: &mut dyn FnMut(&[Point]),
) -> Result<SweepResults, String> {
    let n = grid_size(&params)?;
    let pool = super::workers::pool(threads)?;
    let batch = pool.current_num_threads().max(1) * POINTS_PER_THREAD;
    let mut points: Vec<Point> = Vec::with_capacity(n);
    for start in (0..n).step_by(batch) {
        let done: Vec<Point> = pool.install(|| {
            (start..(start + batch).min(n))
                .into_par_iter()
                .map(|i| {
                    let values = grid_point(&params, i);
                    let (m, sc) = point(model, scenario, &params, &values)?;
                    let (m, sc) = (&m, &sc);
                    let results = point_results(m, sc)?;
                    let s = summarize(m, sc, &results);
                    progress();
                    Ok(Point {
                        values,
                        offered: s.pstn_calls.offered,
                        blocked: s.pstn_calls.blocked,
                        grade_of_service: s.grade_of_service,
                        replications: results.replications(),
                        completed: s.calls.completed,
                        pdd_mean_ms: s.pdd_ms.mean,
                        mos_mean: s.mos.mean,
                        pattern_limit_hits: results.pattern_limit_hits.count,
                    })
                })
                .collect::<Result<Vec<_>, String>>()
        })?;
        points.extend(done);
        finished(&points);
    }
    Ok(SweepResults {
        schema_version: super::schema::sweep::SCHEMA_VERSION,
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        replications: scenario.replications,
        seed: scenario.seed,
        params: params
            .iter()
            .map(|p| SweptParam { name: p.name.clone(), file: p.file, values: p.values.clone() })
            .collect(),
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_made_point_by_point_first_parameter_slowest() {
        let a = Param::parse("model:peer[gw].channels=1,2").unwrap();
        let b = Param::parse("scenario:source[s].erlangs=10,20,30").unwrap();
        let params = [a, b];
        assert_eq!(grid_size(&params), Ok(6));
        let points: Vec<Vec<f64>> = (0..6).map(|i| grid_point(&params, i)).collect();
        assert_eq!(
            points,
            [[1.0, 10.0], [1.0, 20.0], [1.0, 30.0], [2.0, 10.0], [2.0, 20.0], [2.0, 30.0]].map(|p| p.to_vec())
        );
    }

    #[test]
    fn a_grid_beyond_the_bound_is_refused_without_being_made() {
        let values = (0..1000).map(|v| v.to_string()).collect::<Vec<_>>().join(",");
        let a = Param::parse(&format!("model:peer[gw].channels={values}")).unwrap();
        let b = Param::parse(&format!("scenario:source[s].erlangs={values}")).unwrap();
        let e = grid_size(&[a, b]).unwrap_err();
        assert!(e.contains("1000 x 1000"), "{e}");
    }
}
