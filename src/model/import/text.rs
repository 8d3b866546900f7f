//! Bytes of an exported file to text, whatever PowerShell wrote: UTF-8
//! with or without a byte-order mark, UTF-16 (Windows PowerShell's `>` and
//! `Out-File` write UTF-16LE with a mark), or the ANSI code page
//! (Windows-1252) that `Set-Content` writes by default.

/// The text of `bytes`; the error says which encoding was taken.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => {
            String::from_utf8(rest.to_vec()).map_err(|e| format!("not UTF-8 after its UTF-8 byte-order mark: {e}"))
        }
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes, "UTF-16LE"),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes, "UTF-16BE"),
        // No mark: ASCII text in UTF-16 has a zero byte in every pair.
        [a, 0, ..] if *a != 0 => utf16(bytes, u16::from_le_bytes, "UTF-16LE"),
        [0, b, ..] if *b != 0 => utf16(bytes, u16::from_be_bytes, "UTF-16BE"),
        _ => Ok(match String::from_utf8(bytes.to_vec()) {
            Ok(s) => s,
            Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
        }),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &str) -> Result<String, String> {
    if bytes.len() % 2 != 0 {
        return Err(format!("read as {name}, but its length is an odd number of bytes"));
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| format!("read as {name}, but it holds an unpaired surrogate: {e}"))
}

/// Windows-1252: Latin-1 but for 0x80-0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        v
    }

    #[test]
    fn reads_every_form_powershell_writes() {
        let text = "[{\"Identity\":\"Global\"}]";
        assert_eq!(decode(text.as_bytes()).unwrap(), text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
        assert_eq!(decode(&utf16le(text, true)).unwrap(), text);
        assert_eq!(decode(&utf16le(text, false)).unwrap(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), text);
        assert_eq!(decode(b"Z\xfcrich \x80").unwrap(), "Zürich €");
    }

    #[test]
    fn names_the_encoding_it_could_not_read() {
        let e = decode(&[0xFF, 0xFE, b'a']).unwrap_err();
        assert!(e.contains("UTF-16LE"), "{e}");
    }
}
