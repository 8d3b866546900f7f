//! PNG copies of the SVG charts, rasterized with resvg so both formats are
//! the same drawing. The text is set in DejaVu Sans, bundled
//! (`assets/fonts/`, its licence beside it) so that a PNG looks the same
//! on any machine, with or without fonts installed.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// Rasterizes one SVG chart at its own size.
pub fn from_svg(svg: &str) -> Result<Vec<u8>, String> {
    let opt = usvg::Options { font_family: "DejaVu Sans".into(), fontdb: fonts(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("SVG: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| "an empty chart".to_owned())?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| format!("PNG: {e}"))
}
