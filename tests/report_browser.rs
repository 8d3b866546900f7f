//! The report page of each kind of results in a real browser: headless
//! Chromium loads `report.html` from disk (no network) at a projector's
//! 1400 px, and every chart must be laid out, visible and drawn, no text
//! may run out of its chart or over another text, and the page must not
//! scroll sideways.

use std::path::{Path, PathBuf};
use std::process::Command;

fn browser() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].iter().find_map(|name| {
        let out = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().ok()?;
        let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        (out.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
    })
}

/// Measures the page as laid out by the browser: one line for the page
/// (its scroll width against the window's), then one per chart: its id,
/// visible or hidden, its texts, its shapes, its texts that leave the
/// chart's box, and its pairs of texts that overlap.
const PROBE: &str = r#"
<script>
const out = ['page ' + document.documentElement.scrollWidth + ' ' + window.innerWidth];
const overlap = (a, b) => {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
  return w > 2 && h > 2;
};
for (const f of document.querySelectorAll('figure.chart')) {
  const svg = f.querySelector('svg');
  const r = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
  const cs = svg ? getComputedStyle(svg) : null;
  const shown = !!svg && r.width > 300 && r.height > 150 && cs.display !== 'none' && cs.visibility === 'visible';
  const texts = svg ? [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() !== '') : [];
  const drawn = svg ? svg.querySelectorAll('polyline, path, rect, circle, polygon, line').length : 0;
  const boxes = texts.map(t => t.getBoundingClientRect());
  const outside = boxes.filter(b => b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1).length;
  let clashes = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (overlap(boxes[i], boxes[j])) clashes.push(texts[i].textContent.trim() + '|' + texts[j].textContent.trim());
  out.push([f.id, shown ? 'visible' : 'hidden', texts.length, drawn, outside, clashes.length, clashes.slice(0, 3).join(';').replace(/ /g, '_')].join(' '));
}
const p = document.createElement('pre');
p.id = 'probe';
p.textContent = out.join('\n');
document.body.appendChild(p);
</script>
"#;

struct Laid {
    name: String,
    visible: bool,
    texts: usize,
    drawn: usize,
    outside: usize,
    clashes: usize,
    example: String,
}

/// The page's scroll width and window width, and each chart as laid out.
fn laid_out(browser: &Path, html: &Path) -> ((u32, u32), Vec<Laid>) {
    let page = std::fs::read_to_string(html).unwrap();
    let probe = html.with_file_name("report-probe.html");
    std::fs::write(&probe, page.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--window-size=1400,900",
            "--dump-dom",
        ])
        .arg(format!("file://{}", probe.display()))
        .output()
        .expect("the browser starts");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = std::fs::remove_file(&probe);
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let mut lines = dom[start..end].lines();
    let page: Vec<u32> = lines.next().unwrap().split(' ').skip(1).map(|v| v.parse().unwrap()).collect();
    let charts = lines
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            Laid {
                name: f[0].to_owned(),
                visible: f[1] == "visible",
                texts: f[2].parse().unwrap(),
                drawn: f[3].parse().unwrap(),
                outside: f[4].parse().unwrap(),
                clashes: f[5].parse().unwrap(),
                example: f.get(6).unwrap_or(&"").replace("&amp;", "&"),
            }
        })
        .collect();
    ((page[0], page[1]), charts)
}

fn voicetwin(args: &[&str], dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_voicetwin")).args(args).arg("--out").arg(dir).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Every chart file of the folder is on the page, visible, drawn, its
/// texts inside it and clear of each other; the page fits 1400 px.
fn check_page(browser: &Path, dir: &Path) {
    let mut files: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".svg"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no chart", dir.display());
    let ((scroll, window), mut seen) = laid_out(browser, &dir.join("report.html"));
    assert!(scroll <= window, "{}: the page scrolls sideways ({scroll} px wide in {window} px)", dir.display());
    seen.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(seen.iter().map(|s| s.name.clone()).collect::<Vec<_>>(), files, "every chart file is on the page");
    for c in &seen {
        let name = &c.name;
        assert!(c.visible, "{name} is not visible");
        assert!(c.texts >= 5, "{name}: title, axis labels and ticks ({} text elements)", c.texts);
        assert!(c.drawn >= 5, "{name}: nothing drawn ({} shapes)", c.drawn);
        assert_eq!(c.outside, 0, "{name}: {} texts run out of the chart", c.outside);
        assert_eq!(c.clashes, 0, "{name}: {} pairs of texts overlap, e.g. {}", c.clashes, c.example);
    }
}

#[test]
fn every_kind_of_report_reads_in_a_browser_at_1400_px() {
    let Some(browser) = browser() else {
        eprintln!("skipped: no Chromium or Chrome found (.ci/run installs Debian's chromium where apt-get can)");
        return;
    };
    let root = std::env::temp_dir().join(format!("voicetwin-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let kinds: [(&str, Vec<&str>); 5] = [
        ("run", vec!["run", "busy-hour", "--replications", "2", "--report"]),
        ("failover", vec!["run", "gateway-failover", "--replications", "2", "--report"]),
        ("whatif", vec!["whatif", "--replications", "2", "--report"]),
        (
            "plan",
            vec!["plan", "single-trunk-group", "--growth", "1,1.5", "--replications", "2", "--n-minus-1", "--report"],
        ),
        (
            "sweep",
            vec![
                "sweep",
                "single-trunk-group",
                "--param",
                "scenario:source[users].erlangs=15,25",
                "--replications",
                "2",
                "--report",
            ],
        ),
    ];
    for (name, args) in &kinds {
        let dir = root.join(name);
        voicetwin(args, &dir);
        check_page(&browser, &dir);
    }
    let _ = std::fs::remove_dir_all(&root);
}
