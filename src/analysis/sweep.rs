//! Parameter sweeps: any numeric field of the model or the scenario over a
//! list of values (several fields: their grid), each point run with the
//! scenario's replications and seed and tabulated.
//!
//! A field is named by a path into its file: `model:peer[gw-red-1].t1_spans`,
//! `scenario:source[redmond-out].bhca_per_user`, `scenario:duration`. A
//! `[selector]` picks the entry of an array of tables whose `name`, `fqdn`
//! or `scope` equals it. Each point is the file with the field edited, loaded
//! and validated as any file is.

use crate::analysis::AnalysisError;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::shard::Shard;

use crate::model::edit::{edit_text, Edit, FieldPath, FieldValue};
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
    path: FieldPath,
    pub values: Vec<f64>,
    #[serde(skip)]
    integer: bool,
}

impl Param {
    /// Parses `model:peer[gw].t1_spans=1,2,3`.
    pub fn parse(text: &str) -> Result<Self, AnalysisError> {
        let (name, values) =
            text.split_once('=').ok_or_else(|| AnalysisError::Input(format!("{text}: write PATH=V1,V2,...")))?;
        let (file, path) = match name.split_once(':') {
            Some(("model", p)) => (File::Model, p),
            Some(("scenario", p)) => (File::Scenario, p),
            _ => return Err(AnalysisError::Input(format!("{name}: start the path with model: or scenario:"))),
        };
        let path = FieldPath::parse(path).map_err(|e| AnalysisError::Input(format!("{name}: {e}")))?;
        let integer = values.split(',').all(|v| v.trim().parse::<i64>().is_ok());
        let values = values
            .split(',')
            .map(|v| {
                v.trim().parse::<f64>().map_err(|_| AnalysisError::Input(format!("{name}: `{v}` is not a number")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if values.is_empty() {
            return Err(AnalysisError::Input(format!("{name}: give at least one value")));
        }
        Ok(Self { name: name.to_owned(), file, path, values, integer })
    }

    /// The field set to `v`.
    fn edit(&self, v: f64) -> Edit {
        Edit::set(self.path.clone(), if self.integer { FieldValue::Integer(v as i64) } else { FieldValue::Float(v) })
    }
}

/// The most points a sweep runs: each is a whole simulation, and a grid
/// beyond this is a typo more often than a plan.
pub const MAX_POINTS: usize = 10_000;

/// The number of points of the grid, refused beyond [`MAX_POINTS`] or
/// when a path is given twice (the second would silently win).
pub fn grid_size(params: &[Param]) -> Result<usize, AnalysisError> {
    for (i, p) in params.iter().enumerate() {
        if params[..i].iter().any(|q| q.file == p.file && q.path == p.path) {
            return Err(AnalysisError::Input(format!(
                "{}: the path is given twice; give all its values in one --param",
                p.name
            )));
        }
        if let Some(v) = p.values.iter().enumerate().find_map(|(k, v)| p.values[..k].contains(v).then_some(v)) {
            return Err(AnalysisError::Input(format!("{}: the value {v} is given twice", p.name)));
        }
    }
    let n = params.iter().try_fold(1usize, |n, p| n.checked_mul(p.values.len()));
    match n {
        Some(n) if n <= MAX_POINTS => Ok(n),
        _ => Err(AnalysisError::Input(format!(
            "the grid has {} points, more than the {MAX_POINTS} a sweep runs; give fewer values",
            params.iter().map(|p| p.values.len().to_string()).collect::<Vec<_>>().join(" x ")
        ))),
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

/// The model and scenario of one point: each file with its parameters'
/// fields edited, loaded and checked as any file is.
pub fn point(
    model: &Model,
    scenario: &Scenario,
    params: &[Param],
    values: &[f64],
) -> Result<(Model, Scenario), AnalysisError> {
    let edits = |file: File| -> Vec<(usize, Edit)> {
        params
            .iter()
            .zip(values)
            .enumerate()
            .filter(|(_, (p, _))| p.file == file)
            .map(|(i, (p, v))| (i, p.edit(*v)))
            .collect()
    };
    // The scenario as it runs, the command line's overrides in their
    // fields: they hold at every point unless the sweep varies them.
    let recorded = scenario.recorded_text("model.toml");
    let mut texts = Vec::with_capacity(2);
    for (file, text) in [(File::Model, model.text.as_str()), (File::Scenario, recorded.as_str())] {
        let (which, edits): (Vec<usize>, Vec<Edit>) = edits(file).into_iter().unzip();
        if edits.is_empty() {
            texts.push(text.to_owned());
            continue;
        }
        let (edited, places) = edit_text(text, &edits)
            .map_err(|e| AnalysisError::Input(format!("{}: {e}", params[which[e.edit]].name)))?;
        for (k, place) in places.iter().enumerate() {
            if let Some(first) = places[..k].iter().position(|p| p == place) {
                return Err(AnalysisError::Input(format!(
                    "{}: names the same field as {}; give all its values in one --param",
                    params[which[k]].name, params[which[first]].name
                )));
            }
        }
        texts.push(edited);
    }
    let point = params.iter().zip(values).map(|(p, v)| format!("{}={v}", p.name)).collect::<Vec<_>>().join(", ");
    let label = |src: &str| format!("{src} with {point}");
    let model2 = load_str(&texts[0], &label(&model.source)).map_err(|e| AnalysisError::Input(e.to_string()))?;
    let sc = load_for_model(&texts[1], &label(&scenario.source), &model2)
        .map_err(|e| AnalysisError::Input(e.to_string()))?;
    Ok((model2, sc))
}

/// One point's results, in this thread (points run in parallel): the
/// scenario's replications, or as many as its precision target needs.
fn point_results(m: &Model, sc: &Scenario) -> Result<crate::analysis::results::Results, AnalysisError> {
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
    pub fn prepare(model: &Model, scenario: &Scenario, params: Vec<Param>) -> Result<Self, AnalysisError> {
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
    ) -> Result<SweepResults, AnalysisError> {
        let part = self.run_part(model, scenario, threads, Shard::WHOLE, progress, finished)?;
        assemble_sweep(model, scenario, &self.params, vec![part])
    }

    /// The points of the grid `shard` owns ([`Shard::owns`] over the grid
    /// order), run as [`run`](Self::run) runs them: the same figures at
    /// each point whatever the shard count. `finished` is told the points
    /// of this shard done so far, in grid order.
    pub fn run_part(
        &self,
        model: &Model,
        scenario: &Scenario,
        threads: usize,
        shard: Shard,
        progress: &(dyn Fn() + Sync),
        finished: &mut dyn FnMut(&[Point]),
    ) -> Result<SweepPart, AnalysisError> {
        run_grid_part(model, scenario, &self.params, threads, shard, progress, finished)
    }

    /// The points `shard` owns.
    pub fn points_of(&self, shard: Shard) -> usize {
        (0..self.points()).filter(|&i| shard.owns(i)).count()
    }

    pub fn params(&self) -> &[Param] {
        &self.params
    }
}

/// One grid point of a shard, by its place in the grid.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IndexedPoint {
    /// Its index in the grid order (the first parameter varying slowest).
    pub index: usize,
    pub point: Point,
}

/// A shard's share of a sweep: the points it owns, in grid order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepPart {
    /// Points of the whole grid.
    pub grid_points: usize,
    pub points: Vec<IndexedPoint>,
}

/// A whole sweep, prepared and run, for callers that need neither step
/// alone.
pub fn run_sweep(
    model: &Model,
    scenario: &Scenario,
    params: Vec<Param>,
    threads: usize,
) -> Result<SweepResults, AnalysisError> {
    Grid::prepare(model, scenario, params)?.run(model, scenario, threads, &|| (), &mut |_| ())
}

fn run_grid_part(
    model: &Model,
    scenario: &Scenario,
    params: &[Param],
    threads: usize,
    shard: Shard,
    progress: &(dyn Fn() + Sync),
    finished: &mut dyn FnMut(&[Point]),
) -> Result<SweepPart, AnalysisError> {
    let n = grid_size(params)?;
    let owned: Vec<usize> = (0..n).filter(|&i| shard.owns(i)).collect();
    let pool = super::workers::pool(threads)?;
    let batch = pool.current_num_threads().max(1) * POINTS_PER_THREAD;
    let mut points: Vec<IndexedPoint> = Vec::with_capacity(owned.len());
    let mut done_points: Vec<Point> = Vec::new();
    for chunk in owned.chunks(batch) {
        let done: Vec<IndexedPoint> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&i| {
                    let values = grid_point(params, i);
                    let (m, sc) = point(model, scenario, params, &values)?;
                    let (m, sc) = (&m, &sc);
                    let results = point_results(m, sc)?;
                    let s = summarize(m, sc, &results);
                    progress();
                    let point = Point {
                        values,
                        offered: s.pstn_calls.offered,
                        blocked: s.pstn_calls.blocked,
                        grade_of_service: s.grade_of_service,
                        replications: results.replications(),
                        completed: s.calls.completed,
                        pdd_mean_ms: s.pdd_ms.mean,
                        mos_mean: s.mos.mean,
                        pattern_limit_hits: results.pattern_limit_hits.count,
                    };
                    Ok(IndexedPoint { index: i, point })
                })
                .collect::<Result<Vec<_>, AnalysisError>>()
        })?;
        done_points.extend(done.iter().map(|p| p.point.clone()));
        points.extend(done);
        finished(&done_points);
    }
    Ok(SweepPart { grid_points: n, points })
}

/// The sweep's results from its parts: every point of the grid present
/// in exactly one part, put back in grid order.
pub fn assemble_sweep(
    model: &Model,
    scenario: &Scenario,
    params: &[Param],
    parts: Vec<SweepPart>,
) -> Result<SweepResults, AnalysisError> {
    let n = grid_size(params)?;
    let mut slots: Vec<Option<Point>> = vec![None; n];
    for part in parts {
        if part.grid_points != n {
            return Err(AnalysisError::Input(format!(
                "a part of a sweep of {} points, not of this sweep's {n}",
                part.grid_points
            )));
        }
        for p in part.points {
            match slots.get_mut(p.index) {
                None => return Err(AnalysisError::Input(format!("point {} is outside the grid of {n}", p.index))),
                Some(Some(_)) => return Err(AnalysisError::Input(format!("point {} is in two parts", p.index))),
                Some(slot) => *slot = Some(p.point),
            }
        }
    }
    if let Some(missing) = slots.iter().position(Option::is_none) {
        return Err(AnalysisError::Input(format!("point {missing} of the grid is in no part")));
    }
    Ok(SweepResults {
        schema_version: super::schema::sweep::SCHEMA_VERSION,
        scenario: scenario.name.clone(),
        model: model.source.clone(),
        network: model.name.clone(),
        replications: scenario.replications,
        seed: scenario.seed,
        params: params
            .iter()
            .map(|p| SweptParam { name: p.name.clone(), file: p.file, values: p.values.clone() })
            .collect(),
        points: slots.into_iter().flatten().collect(),
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
        assert_eq!(grid_size(&params).unwrap(), 6);
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
        let e = grid_size(&[a, b]).unwrap_err().to_string();
        assert!(e.contains("1000 x 1000"), "{e}");
    }
}
