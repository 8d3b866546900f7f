//! Opening a CDR file as text: the byte-order mark tells the encoding
//! (UTF-8 with or without BOM; UTF-16 as sqlcmd -u and Windows
//! PowerShell's `Out-File` write it, turned into UTF-8 as it streams),
//! and the header line tells the delimiter.

use std::io::{self, BufRead, BufReader, Read};

/// The longest header line read: longer is not a CDR header.
pub const MAX_HEADER_BYTES: u64 = 64 * 1024;

/// A stream of UTF-16 code units (little or big endian) turned into
/// UTF-8. A lone surrogate becomes U+FFFD; memory is a few bytes.
pub struct Utf16ToUtf8<R> {
    inner: R,
    big_endian: bool,
    out: [u8; 8],
    out_len: usize,
    out_pos: usize,
    pending: Option<u16>,
}

impl<R: Read> Utf16ToUtf8<R> {
    pub fn new(inner: R, big_endian: bool) -> Self {
        Self { inner, big_endian, out: [0; 8], out_len: 0, out_pos: 0, pending: None }
    }

    fn unit(&mut self) -> io::Result<Option<u16>> {
        if let Some(u) = self.pending.take() {
            return Ok(Some(u));
        }
        let mut b = [0u8; 2];
        let mut got = 0;
        while got < 2 {
            match self.inner.read(&mut b[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        match got {
            0 => Ok(None),
            1 => Err(io::Error::new(io::ErrorKind::InvalidData, "UTF-16 text ends in half a character")),
            _ => Ok(Some(if self.big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })),
        }
    }

    /// Decodes the next character into `out`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        let Some(u) = self.unit()? else { return Ok(false) };
        let c = if (0xD800..0xDC00).contains(&u) {
            match self.unit()? {
                Some(l) if (0xDC00..0xE000).contains(&l) => {
                    char::from_u32(0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(l) - 0xDC00))
                }
                Some(other) => {
                    self.pending = Some(other);
                    None
                }
                None => None,
            }
        } else {
            char::from_u32(u32::from(u))
        };
        let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
        self.out_len = c.encode_utf8(&mut self.out).len();
        self.out_pos = 0;
        Ok(true)
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while n < buf.len() {
            if self.out_pos == self.out_len && !self.refill()? {
                break;
            }
            let take = (self.out_len - self.out_pos).min(buf.len() - n);
            buf[n..n + take].copy_from_slice(&self.out[self.out_pos..self.out_pos + take]);
            self.out_pos += take;
            n += take;
        }
        Ok(n)
    }
}

/// Wraps a byte stream so it reads as UTF-8: a UTF-8 BOM is dropped, a
/// UTF-16 one switches to transcoding.
pub fn decoded(inner: Box<dyn Read + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    let mut r = BufReader::with_capacity(64 * 1024, inner);
    let head = r.fill_buf()?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        r.consume(3);
        Ok(Box::new(r))
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let big = head[0] == 0xFE;
        r.consume(2);
        Ok(Box::new(BufReader::with_capacity(64 * 1024, Utf16ToUtf8::new(r, big))))
    } else {
        Ok(Box::new(r))
    }
}

/// The delimiter a header line uses: the most frequent of `,` `;` and
/// tab outside quotes (a comma when there is none: a one-column file).
pub fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let delims = [b',', b';', b'\t'];
    let mut best = 0;
    for (i, c) in counts.iter().enumerate() {
        if *c > counts[best] {
            best = i;
        }
    }
    delims[best]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_read_as_utf8() {
        let text = "a,b\n\u{e9},\u{1F600}\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        for bytes in [le, be] {
            let mut s = String::new();
            decoded(Box::new(io::Cursor::new(bytes))).unwrap().read_to_string(&mut s).unwrap();
            assert_eq!(s, text);
        }
        let mut s = String::new();
        decoded(Box::new(io::Cursor::new(b"\xEF\xBB\xBFx,y".to_vec()))).unwrap().read_to_string(&mut s).unwrap();
        assert_eq!(s, "x,y");
    }

    #[test]
    fn delimiters_are_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter(b"a,b,c"), b',');
        assert_eq!(sniff_delimiter(b"\"a,x\";b;c"), b';');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"a"), b',');
    }
}
