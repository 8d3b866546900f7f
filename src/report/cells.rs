//! Text fields of the CSV files voicetwin writes. Names come from the
//! user's model (a peer may be called `gw, east`), so a field holding a
//! comma, a quote or a line break is quoted as RFC 4180 says (inner
//! quotes doubled); the report reads the files back with the `csv` crate,
//! which undoes it.

use std::borrow::Cow;

/// `text` as one CSV field.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_the_csv_crate_reads_back_as_written() {
        let names = ["gw-east", "gw, east", "the \"new\" gw", "two\nlines", "café | 東京", ""];
        let line: Vec<Cow<str>> = names.iter().map(|n| csv_text(n)).collect();
        let text = format!("{}\n", line.join(","));
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(record.iter().collect::<Vec<_>>(), names);
        assert!(matches!(csv_text("plain"), Cow::Borrowed("plain")));
    }
}
