//! CSV files as rows of one type, written and read by the `csv` crate:
//! the header is the row type's field names, a text field holding a
//! comma, a quote or a line break is quoted as RFC 4180 says, an absent
//! value (`None`) is an empty cell.

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use super::SchemaError;

/// One row of a CSV results file.
pub trait CsvRow: Serialize + DeserializeOwned {
    /// The file's name in a results folder.
    const FILE: &'static str;
}

/// A number in a CSV cell: written with a fixed number of decimals
/// (`12.3287`), or as the shortest text that reads back as it (`60`,
/// `1.5`); read back as its value.
#[derive(Debug, Clone, Copy)]
pub struct Number {
    pub value: f64,
    /// Decimals written; `None`: the shortest form.
    decimals: Option<u8>,
}

impl Number {
    /// Written with `decimals` decimals.
    pub fn fixed(value: f64, decimals: u8) -> Self {
        Self { value, decimals: Some(decimals) }
    }

    /// Written in the shortest form that reads back as `value`.
    pub fn plain(value: f64) -> Self {
        Self { value, decimals: None }
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // A value that rounds to zero is written as zero, never `-0.0`.
        let text = match self.decimals {
            Some(d) => format!("{:.*}", usize::from(d), self.value),
            None => (self.value + 0.0).to_string(),
        };
        match text.strip_prefix('-') {
            Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => s.collect_str(rest),
            _ => s.collect_str(&text),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl Visitor<'_> for Text {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                v.trim().parse().map(Number::plain).map_err(|_| E::custom(format!("`{v}` is not a number")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number::plain(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number::plain(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::plain(v as f64))
            }
        }
        d.deserialize_str(Text)
    }
}

/// An estimate's three cells (mean, low, high), each with `decimals`
/// decimals (`None`: the shortest form), or three empty cells.
pub fn estimate_cells(e: Option<crate::analysis::stats::Estimate>, decimals: Option<u8>) -> [Option<Number>; 3] {
    match e {
        Some(e) => [e.mean, e.ci95_low, e.ci95_high].map(|value| Some(Number { value, decimals })),
        None => [None; 3],
    }
}

/// The names of a struct's fields as serde sees them (renames applied),
/// without a value: the header of its CSV file.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    struct Names(&'static [&'static str]);
    impl<'de> Deserializer<'de> for &mut Names {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("names taken"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
    let mut names = Names(&[]);
    let _ = T::deserialize(&mut names);
    names.0
}

/// The text of a CSV file: the header, then one line per row.
pub fn write_csv<R: CsvRow>(rows: impl IntoIterator<Item = R>) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    w.write_record(field_names::<R>())?;
    for row in rows {
        w.serialize(row)?;
    }
    finish(w)
}

/// The writer's text.
pub(super) fn finish(w: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    // Every field written was UTF-8 text.
    Ok(String::from_utf8(bytes).expect("CSV fields are UTF-8"))
}

/// Reads a CSV file written as rows of `R`; `file` names it in errors
/// (with the line of a row that does not read).
pub fn read_csv<R: CsvRow>(text: &str, file: &str) -> Result<Vec<R>, SchemaError> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| SchemaError::new(file, e.to_string()))?.clone();
    for name in field_names::<R>() {
        if !header.iter().any(|h| h == *name) {
            return Err(SchemaError::new(file, format!("no `{name}` column")));
        }
    }
    reader.deserialize().collect::<Result<Vec<R>, _>>().map_err(|e| SchemaError::new(file, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Serialize, Deserialize)]
    struct Row {
        name: String,
        #[serde(rename = "value_x")]
        value: Number,
        maybe: Option<Number>,
        count: u32,
    }
    impl CsvRow for Row {
        const FILE: &'static str = "rows.csv";
    }

    #[test]
    fn a_value_that_rounds_to_zero_is_written_without_a_sign() {
        let cell = |n: Number| serde_json::to_string(&n).unwrap();
        assert_eq!(cell(Number::fixed(-0.04, 1)), "\"0.0\"");
        assert_eq!(cell(Number::plain(-0.0)), "\"0\"");
        assert_eq!(cell(Number::fixed(-0.06, 1)), "\"-0.1\"");
        assert_eq!(cell(Number::plain(-2.5)), "\"-2.5\"");
    }

    #[test]
    fn rows_are_read_back_as_written() {
        let names = ["gw-east", "gw, east", "the \"new\" gw", "two\nlines", "café | 東京", ""];
        let rows = names.iter().enumerate().map(|(i, n)| Row {
            name: n.to_string(),
            value: if i % 2 == 0 { Number::fixed(i as f64 / 3.0, 4) } else { Number::plain(i as f64 * 60.0) },
            maybe: (i % 3 != 0).then(|| Number::fixed(-0.0, 1)),
            count: i as u32,
        });
        let text = write_csv(rows).unwrap();
        assert!(text.starts_with("name,value_x,maybe,count\ngw-east,0.0000,,0\n\"gw, east\",60,0.0,1\n"), "{text}");
        let back: Vec<Row> = read_csv(&text, "rows.csv").unwrap();
        assert_eq!(back.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), names);
        assert_eq!(back[2].value.value, 0.6667);
        assert!(back[0].maybe.is_none() && back[1].maybe.is_some());
        let e = read_csv::<Row>("name,count\nx,1\n", "rows.csv").unwrap_err();
        assert_eq!(e.to_string(), "rows.csv: no `value_x` column");
        let e = read_csv::<Row>("name,value_x,maybe,count\nx,y,,1\n", "rows.csv").unwrap_err();
        assert!(e.to_string().contains("`y` is not a number"), "{e}");
    }
}
