//! The report written: `charts/*.svg` and their PNGs, `report.html` (the
//! charts inlined) and `report.md` (the charts linked), every text from
//! the results escaped for the page or the Markdown it goes into.

use std::fmt::Write as _;

use super::super::folder::ResultsFolder;
use super::{ReportError, Review};

/// Text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Text for one cell of a Markdown table, shown as written: a `|` (as in
/// a number pattern's alternation, `^\+(110|112)$`) would end the cell, a
/// line break the row, a `\` escape the character after it (`\+` shows as
/// `+`), and `*`, `_`, `~`, `` ` ``, `<` and `&` start markup.
fn md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '~' | '`' | '<' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A line of Markdown prose (a finding, the title) kept on one line; its
/// code spans (`` `voicetwin plan` ``) stay code.
fn md_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// The page's style: the full width of a projector's screen, charts as
/// wide as the page, the header as a strip of labelled values; long cells
/// wrap rather than widen the page.
const STYLE: &str = "body{font-family:'DejaVu Sans',sans-serif;max-width:1400px;margin:0 auto;padding:16px 24px;color:#222;box-sizing:border-box}\
h1{margin:.3em 0}\
dl.header{display:flex;flex-wrap:wrap;gap:8px 28px;margin:0 0 1em;padding:10px 14px;background:#f3f5f8;border-left:4px solid #1f77b4}\
dl.header div{min-width:0}dl.header dt{font-size:.8em;color:#555}dl.header dd{margin:0;font-weight:bold;overflow-wrap:anywhere}\
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;overflow-wrap:anywhere}\
div.wide{max-width:100%;overflow-x:auto}\
ul.findings li{margin:.3em 0}\
figure{margin:2em 0}figure svg{display:block;width:100%;height:auto}figcaption{color:#555;font-size:.9em}";

/// A finding and the chart it names: the text less its trailing
/// "(chart: NAME.svg)", and the chart's file when the report drew it.
fn split_chart<'a>(finding: &'a str, r: &'a Review) -> (&'a str, Option<&'a str>) {
    let Some(start) = finding.rfind(" (chart: ") else { return (finding, None) };
    let Some(name) = finding[start + 9..].strip_suffix(')') else { return (finding, None) };
    match r.charts.iter().find(|c| c.file == name) {
        Some(c) => (&finding[..start], Some(c.file.as_str())),
        None => (&finding[..start], None),
    }
}

/// Writes `charts/*.svg` (and `.png`), `report.html` and `report.md` into
/// the folder; the charts of an earlier report that this one does not
/// draw go when the folder is committed, and only those.
pub fn write(folder: &mut ResultsFolder, r: &Review) -> Result<(), ReportError> {
    for c in &r.charts {
        folder.write(&format!("charts/{}", c.file), &c.svg)?;
        let png = super::super::png::from_svg(&c.svg).map_err(|e| ReportError::Io(format!("{}: {e}", c.file)))?;
        folder.write(&format!("charts/{}", c.file.replace(".svg", ".png")), png)?;
    }
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{t}</title>\n<style>{STYLE}</style></head><body>\n<h1>{t}</h1>\n",
        t = esc(&r.title)
    );
    if !r.header.is_empty() {
        h.push_str("<dl class=\"header\">");
        for (k, v) in &r.header {
            let _ = write!(h, "<div><dt>{}</dt><dd>{}</dd></div>", esc(k), esc(v));
        }
        h.push_str("</dl>\n");
    }
    if !r.figures.is_empty() {
        h.push_str("<h2>Key figures</h2>\n<table>\n");
        for (k, v) in &r.figures {
            let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(v));
        }
        h.push_str("</table>\n<p>Intervals are 95% confidence intervals over the replications.</p>\n");
    }
    if !r.findings.is_empty() {
        h.push_str("<h2>Findings</h2>\n<ul class=\"findings\">\n");
        for f in &r.findings {
            let (text, chart) = split_chart(f, r);
            let link = chart.map(|c| format!(" <a href=\"#{0}\">(chart)</a>", esc(c))).unwrap_or_default();
            let _ = writeln!(h, "<li>{}{link}</li>", esc(text));
        }
        h.push_str("</ul>\n");
    }
    if !r.charts.is_empty() {
        h.push_str("<h2>Charts</h2>\n");
    }
    for c in &r.charts {
        let svg = c.svg.find("<svg").map(|i| &c.svg[i..]).unwrap_or(&c.svg);
        let _ = writeln!(
            h,
            "<figure class=\"chart\" id=\"{}\">{}<figcaption>{}</figcaption></figure>",
            esc(&c.file),
            svg,
            esc(&c.title)
        );
    }
    for (title, head, rows) in &r.tables {
        let _ = writeln!(
            h,
            "<h2>{}</h2>\n<div class=\"wide\"><table><tr>{}</tr>",
            esc(title),
            head.iter().map(|c| format!("<th>{}</th>", esc(c))).collect::<String>()
        );
        for row in rows {
            let _ = writeln!(h, "<tr>{}</tr>", row.iter().map(|c| format!("<td>{}</td>", esc(c))).collect::<String>());
        }
        h.push_str("</table></div>\n");
    }
    h.push_str("</body></html>\n");
    folder.write("report.html", h)?;

    let mut m = format!("# {}\n\n", md_line(&r.title));
    if !r.header.is_empty() {
        let parts: Vec<String> = r.header.iter().map(|(k, v)| format!("**{}:** {}", md_cell(k), md_cell(v))).collect();
        let _ = writeln!(m, "{}\n", parts.join(" · "));
    }
    if !r.figures.is_empty() {
        m.push_str("| Figure | Value (95% CI) |\n|---|---|\n");
        for (k, v) in &r.figures {
            let _ = writeln!(m, "| {} | {} |", md_cell(k), md_cell(v));
        }
        m.push('\n');
    }
    if !r.findings.is_empty() {
        m.push_str("## Findings\n\n");
        for f in &r.findings {
            let (text, chart) = split_chart(f, r);
            let link = chart.map(|c| format!(" ([chart](charts/{c}))")).unwrap_or_default();
            let _ = writeln!(m, "- {}{link}", md_line(text));
        }
        m.push('\n');
    }
    for c in &r.charts {
        let alt = md_line(&c.title).replace('[', "\\[").replace(']', "\\]");
        let _ = writeln!(m, "![{alt}](charts/{})\n", c.file);
    }
    for (title, head, rows) in &r.tables {
        let cells = |row: &[String]| row.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ");
        let _ = writeln!(m, "## {title}\n\n| {} |\n|{}|", cells(head), vec!["---"; head.len()].join("|"));
        for row in rows {
            let _ = writeln!(m, "| {} |", cells(row));
        }
        m.push('\n');
    }
    folder.write("report.md", m)?;
    Ok(())
}
