//! How many elements of one kind the report draws or lists, in one place,
//! and the one rule that picks them: the worst by the chart's own
//! measure, ties by name.
//!
//! A report is read in a design review: a chart of 200 sites is a wall,
//! not a chart. Above its limit a chart or list keeps the worst elements
//! and says so, naming the results file that holds every one of them
//! (the results files themselves are never cut).

/// The largest a chart is shown, width and height in pixels: a page or
/// a slide, whatever the network's size.
pub const CHART_MAX: (f64, f64) = (1400.0, 2000.0);
/// Sites drawn one by one on the topology; above it, one node per CAC
/// network region.
pub const TOPOLOGY_SITES: usize = 40;
/// Region nodes on the topology of a large network.
pub const TOPOLOGY_REGIONS: usize = 24;
/// Sites named as the worst of their region on a region node.
pub const WORST_PER_REGION: usize = 2;
/// Bars of a per-site bar chart (`mos-poor-share.svg`).
pub const SITE_BARS: usize = 25;
/// Rows of `mos-distribution.svg` besides the all-calls row.
pub const SPREAD_ROWS: usize = 25;
/// Lines of a utilization chart over time: more do not read.
pub const LINES: usize = 8;
/// Panels of `cac.svg`.
pub const CAC_PANELS: usize = 10;
/// Peers on `gos-vs-load.svg`, each a point and an Erlang B curve.
pub const LOAD_POINTS: usize = 10;
/// Findings of one kind named one by one; the rest in one sentence.
pub const FINDINGS: usize = 5;
/// Elements of a plan chart (`plan*.svg`), those the plan changes first.
pub const PLAN_ELEMENTS: usize = 24;
/// Rows of a table listing every element of a kind.
pub const TABLE_ROWS: usize = 30;
/// Bars of the what-if ranking chart.
pub const WHATIF_BARS: usize = 15;
/// Failures (or emergency numbers) named in one what-if finding.
pub const WHATIF_NAMED: usize = 8;

/// The elements a chart or list keeps, and how many there were.
#[derive(Debug, Clone)]
pub struct Cut<T> {
    pub kept: Vec<T>,
    pub total: usize,
}

impl<T> Cut<T> {
    /// Whether some were left out.
    pub fn cut(&self) -> bool {
        self.kept.len() < self.total
    }
}

/// At most `limit` of `items`: all of them in their own order when they
/// fit (a small network's chart is unchanged), else the `limit` worst,
/// worst first, by `badness` (higher is worse; NaN counts as the least
/// bad), ties by `name`.
pub fn worst<T>(items: Vec<T>, limit: usize, badness: impl Fn(&T) -> f64, name: impl Fn(&T) -> &str) -> Cut<T> {
    let total = items.len();
    if total <= limit {
        return Cut { kept: items, total };
    }
    let key = |t: &T| {
        let b = badness(t);
        if b.is_nan() {
            f64::NEG_INFINITY
        } else {
            b
        }
    };
    let mut items = items;
    items.sort_by(|a, b| key(b).total_cmp(&key(a)).then_with(|| name(a).cmp(name(b))));
    items.truncate(limit);
    Cut { kept: items, total }
}

/// The first `limit` of `items` in their own order (a list with no
/// measure of its own, as the model gives it).
pub fn first<T>(mut items: Vec<T>, limit: usize) -> Cut<T> {
    let total = items.len();
    items.truncate(limit);
    Cut { kept: items, total }
}

/// "the 20 worst of 200 sites by poor-MOS share; every site in
/// summary.json (mos.sites)", or `None` when nothing was cut. `worst`
/// names the ranking ("worst", "busiest"), `one` and `many` the kind.
pub fn note<T>(cut: &Cut<T>, worst: &str, one: &str, many: &str, measure: &str, file: &str) -> Option<String> {
    cut.cut()
        .then(|| format!("the {} {worst} of {} {many} by {measure}; every {one} in {file}", cut.kept.len(), cut.total))
}

/// A table's title with, when rows were cut, which ones it keeps and
/// where every row is.
pub fn table_title(title: &str, kept: usize, total: usize, which: &str, file: &str) -> String {
    if kept < total {
        format!("{title} ({which} {kept} of {total}; all in {file})")
    } else {
        title.to_owned()
    }
}

/// Findings of one kind, each `(name, badness, sentence)`: all of them in
/// their own order up to [`FINDINGS`], else the worst [`FINDINGS`] and
/// `rest(how many more)`, one sentence for the others.
pub fn findings(items: Vec<(String, f64, String)>, rest: impl Fn(usize) -> String) -> Vec<String> {
    let cut = worst(items, FINDINGS, |f| f.1, |f| f.0.as_str());
    let more = cut.total - cut.kept.len();
    let mut out: Vec<String> = cut.kept.into_iter().map(|f| f.2).collect();
    if more > 0 {
        out.push(rest(more));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_by_measure_ties_by_name_and_small_lists_unchanged() {
        let items = vec![("c", 1.0), ("a", 3.0), ("b", 3.0), ("d", f64::NAN), ("e", 0.5)];
        let cut = worst(items.clone(), 3, |t| t.1, |t| t.0);
        assert_eq!(cut.kept.iter().map(|t| t.0).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert!(cut.cut());
        assert_eq!(
            note(&cut, "worst", "site", "sites", "grade of service", "summary.json (sites)").unwrap(),
            "the 3 worst of 5 sites by grade of service; every site in summary.json (sites)"
        );
        let all = worst(items, 5, |t| t.1, |t| t.0);
        assert_eq!(all.kept.iter().map(|t| t.0).collect::<Vec<_>>(), ["c", "a", "b", "d", "e"]);
        assert!(note(&all, "worst", "site", "sites", "x", "y").is_none());
    }

    #[test]
    fn findings_above_the_limit_name_the_worst_and_count_the_rest() {
        let items: Vec<(String, f64, String)> =
            (0..8).map(|k| (format!("p{k}"), f64::from(k), format!("p{k} is full."))).collect();
        let out = findings(items.clone(), |n| format!("And {n} more."));
        assert_eq!(out, ["p7 is full.", "p6 is full.", "p5 is full.", "p4 is full.", "p3 is full.", "And 3 more."]);
        let few = findings(items[..3].to_vec(), |n| format!("And {n} more."));
        assert_eq!(few, ["p0 is full.", "p1 is full.", "p2 is full."]);
    }
}
