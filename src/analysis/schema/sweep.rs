//! `sweep.json` and `sweep.csv`: a parameter sweep's grid, one point per
//! combination of the swept values (`analysis::sweep` runs them).

use serde::{Deserialize, Serialize};

use crate::analysis::stats::Estimate;

use super::table::{self, estimate_cells, Number};
use super::{ResultFile, SchemaError};

/// Version of the `sweep.json` schema.
pub const SCHEMA_VERSION: u32 = 1;

/// Which file a parameter edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum File {
    Model,
    Scenario,
}

/// One swept field: its path (`model:peer[gw].t1_spans`) and values.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweptParam {
    pub name: String,
    pub file: File,
    pub values: Vec<f64>,
}

/// One grid point's figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Point {
    /// The value of each parameter, in order.
    pub values: Vec<f64>,
    pub offered: Estimate,
    pub blocked: Estimate,
    pub grade_of_service: Option<Estimate>,
    pub completed: Estimate,
    pub pdd_mean_ms: Option<Estimate>,
    pub mos_mean: Option<Estimate>,
    /// Replications run at this point (a precision target may add some).
    pub replications: u32,
    /// Pattern evaluations that reached the matching limit at this point,
    /// over its replications (docs/model.md, "The matching limit").
    pub pattern_limit_hits: u64,
}

/// `sweep.json`: the parameters and every point, the first parameter
/// varying slowest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepResults {
    pub schema_version: u32,
    pub scenario: String,
    /// Where the model came from: its path, or `... (built in)`.
    pub model: String,
    /// The model's `[network] name` (empty in files written before it
    /// was added).
    #[serde(default)]
    pub network: String,
    pub replications: u32,
    pub seed: u64,
    pub params: Vec<SweptParam>,
    pub points: Vec<Point>,
}

impl ResultFile for SweepResults {
    const FILE: &'static str = "sweep.json";
    const SCHEMA_VERSION: u32 = SCHEMA_VERSION;
}

/// The name of `sweep.csv`.
pub const CSV: &str = "sweep.csv";

/// The figures of a line of `sweep.csv`, after one column per parameter
/// (named by its path): each figure with its interval, then the
/// replications run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SweepFigures {
    pub offered: Option<Number>,
    pub offered_ci95_low: Option<Number>,
    pub offered_ci95_high: Option<Number>,
    pub blocked: Option<Number>,
    pub blocked_ci95_low: Option<Number>,
    pub blocked_ci95_high: Option<Number>,
    pub grade_of_service: Option<Number>,
    pub grade_of_service_ci95_low: Option<Number>,
    pub grade_of_service_ci95_high: Option<Number>,
    pub completed: Option<Number>,
    pub completed_ci95_low: Option<Number>,
    pub completed_ci95_high: Option<Number>,
    pub pdd_mean_ms: Option<Number>,
    pub pdd_mean_ms_ci95_low: Option<Number>,
    pub pdd_mean_ms_ci95_high: Option<Number>,
    pub mos_mean: Option<Number>,
    pub mos_mean_ci95_low: Option<Number>,
    pub mos_mean_ci95_high: Option<Number>,
    pub replications: u32,
}

/// A line of `sweep.csv`.
#[derive(Debug, Clone)]
pub struct SweepRow {
    /// The value of each parameter, in order.
    pub values: Vec<f64>,
    pub figures: SweepFigures,
}

impl Point {
    /// Its line of `sweep.csv`.
    pub fn row(&self) -> SweepRow {
        let cells = |e| estimate_cells(e, None);
        let [offered, offered_ci95_low, offered_ci95_high] = cells(Some(self.offered));
        let [blocked, blocked_ci95_low, blocked_ci95_high] = cells(Some(self.blocked));
        let [grade_of_service, grade_of_service_ci95_low, grade_of_service_ci95_high] = cells(self.grade_of_service);
        let [completed, completed_ci95_low, completed_ci95_high] = cells(Some(self.completed));
        let [pdd_mean_ms, pdd_mean_ms_ci95_low, pdd_mean_ms_ci95_high] = cells(self.pdd_mean_ms);
        let [mos_mean, mos_mean_ci95_low, mos_mean_ci95_high] = cells(self.mos_mean);
        SweepRow {
            values: self.values.clone(),
            figures: SweepFigures {
                offered,
                offered_ci95_low,
                offered_ci95_high,
                blocked,
                blocked_ci95_low,
                blocked_ci95_high,
                grade_of_service,
                grade_of_service_ci95_low,
                grade_of_service_ci95_high,
                completed,
                completed_ci95_low,
                completed_ci95_high,
                pdd_mean_ms,
                pdd_mean_ms_ci95_low,
                pdd_mean_ms_ci95_high,
                mos_mean,
                mos_mean_ci95_low,
                mos_mean_ci95_high,
                replications: self.replications,
            },
        }
    }
}

/// The text of `sweep.csv`: a column per parameter (`names`), then the
/// figures, one line per point.
pub fn write_csv<'a>(names: &[&str], points: impl IntoIterator<Item = &'a Point>) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    w.write_record(names.iter().chain(table::field_names::<SweepFigures>()))?;
    for p in points {
        let row = p.row();
        let values: Vec<Number> = row.values.into_iter().map(Number::plain).collect();
        w.serialize((values, row.figures))?;
    }
    table::finish(w)
}

/// Reads `sweep.csv`: the parameters' names, and each line.
pub fn read_csv(text: &str, file: &str) -> Result<(Vec<String>, Vec<SweepRow>), SchemaError> {
    let bad = |e: csv::Error| SchemaError::new(file, e.to_string());
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().map_err(bad)?.clone();
    let figures = table::field_names::<SweepFigures>();
    let params = header.len().checked_sub(figures.len()).filter(|k| header.iter().skip(*k).eq(figures.iter().copied()));
    let Some(params) = params else {
        return Err(SchemaError::new(file, format!("the columns after the parameters are not {}", figures.join(","))));
    };
    let tail = csv::StringRecord::from(figures.to_vec());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let values = record
            .iter()
            .take(params)
            .map(|v| v.parse::<f64>().map_err(|_| SchemaError::new(file, format!("`{v}` is not a number"))))
            .collect::<Result<Vec<f64>, _>>()?;
        let rest = csv::StringRecord::from(record.iter().skip(params).collect::<Vec<_>>());
        let figures = rest.deserialize(Some(&tail)).map_err(bad)?;
        rows.push(SweepRow { values, figures });
    }
    Ok((header.iter().take(params).map(str::to_owned).collect(), rows))
}
