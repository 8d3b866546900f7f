//! The report page in a real browser: headless Chromium loads
//! `report.html` from disk (no network) and every chart must be laid out,
//! visible and drawn with its text.

use std::path::{Path, PathBuf};
use std::process::Command;

fn browser() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].iter().find_map(|name| {
        let out = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().ok()?;
        let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        (out.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
    })
}

/// Measures every chart in the page as laid out by the browser.
const PROBE: &str = r#"
<script>
const out = [];
for (const f of document.querySelectorAll('figure.chart')) {
  const svg = f.querySelector('svg');
  const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const cs = svg ? getComputedStyle(svg) : null;
  const shown = !!svg && r.width > 300 && r.height > 150 && cs.display !== 'none' && cs.visibility === 'visible';
  const texts = svg ? svg.querySelectorAll('text').length : 0;
  const drawn = svg ? svg.querySelectorAll('polyline, path, rect, circle, polygon, line').length : 0;
  out.push(f.id + ' ' + (shown ? 'visible' : 'hidden') + ' ' + texts + ' ' + drawn);
}
const p = document.createElement('pre');
p.id = 'probe';
p.textContent = out.join('\n');
document.body.appendChild(p);
</script>
"#;

fn laid_out(browser: &Path, html: &Path) -> Vec<(String, bool, usize, usize)> {
    let page = std::fs::read_to_string(html).unwrap();
    let probe = html.with_file_name("report-probe.html");
    std::fs::write(&probe, page.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--dump-dom"])
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("the browser starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end]
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_owned(), f[1] == "visible", f[2].parse().unwrap(), f[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn every_chart_of_the_report_is_visible_in_a_browser() {
    let Some(browser) = browser() else {
        eprintln!("skipped: no Chromium or Chrome found (.ci/run installs Debian's chromium where apt-get can)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("voicetwin-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_voicetwin"))
        .args(["run", "busy-hour", "--replications", "2", "--report", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut files: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".svg"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    let mut seen = laid_out(&browser, &dir.join("report.html"));
    seen.sort();
    assert_eq!(seen.iter().map(|s| s.0.clone()).collect::<Vec<_>>(), files, "every chart file is on the page");
    for (name, visible, texts, drawn) in &seen {
        assert!(visible, "{name} is not visible");
        assert!(*texts >= 5, "{name}: title, axis labels and ticks ({texts} text elements)");
        assert!(*drawn >= 5, "{name}: nothing drawn ({drawn} shapes)");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
