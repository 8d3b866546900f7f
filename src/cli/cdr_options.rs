//! The flags every command reading CDRs takes, turned into the reader's
//! options in one place.

use clap::Args;

use voicetwin::traffic::cdr::{parse_time_zone, ColumnMap, ReadOptions};

use super::Failure;

#[derive(Args, Clone, Default)]
pub struct CdrArgs {
    /// A column map for a layout no preset knows: FIELD=COLUMN,... (docs/cdr.md).
    #[arg(long, value_name = "MAP")]
    pub columns: Option<String>,
    /// The zone of times written without an offset: UTC (default), +01:00, or an IANA name (Europe/Paris).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Dates like 24/11/2026 are day first.
    #[arg(long)]
    pub day_first: bool,
}

/// The reader's options from the flags; a bad value names its flag.
pub fn read_options(a: &CdrArgs) -> Result<ReadOptions, Failure> {
    let mut o = ReadOptions { day_first: a.day_first, ..ReadOptions::default() };
    if let Some(c) = &a.columns {
        o.columns = Some(ColumnMap::parse(c).map_err(|e| Failure::Input(format!("--columns {c}: {e}")))?);
    }
    if let Some(z) = &a.time_zone {
        o.time_zone = parse_time_zone(z).map_err(|e| Failure::Input(format!("--time-zone {z}: {e}")))?;
    }
    Ok(o)
}

/// Says so when most rows were skipped: a wrong `--time-zone`,
/// `--day-first` or `--columns` shows as rows skipped, not as an error.
pub fn warn_if_mostly_skipped(tally: &voicetwin::traffic::cdr::RowTally) {
    if tally.rows_read > 0 && 2 * tally.rows_skipped() > tally.rows_read {
        eprintln!(
            "warning: {} of {} rows skipped (below): check --columns, --time-zone and --day-first against the file",
            tally.rows_skipped(),
            tally.rows_read
        );
    }
}
