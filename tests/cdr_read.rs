//! Reading CDR files (docs/cdr.md): the fixtures in the VoIPDetails and
//! SBC layouts with their malformed rows counted exactly as written, the
//! files that cannot be read, the native layout's round trip, and memory
//! flat in the number of rows.
//!
//! The heap is measured by this binary's allocator per thread, so the
//! other tests running beside the memory test do not disturb it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use voicetwin::model::Model;
use voicetwin::traffic::cdr::write::write_time;
use voicetwin::traffic::cdr::{
    parse_time_zone, CdrDirection, CdrFiles, CdrOutcome, CdrReader, CdrRecord, CdrSource, CdrWriter, ColumnMap,
    ProblemKind, ReadOptions, Resolver, RowTally, StartOrder,
};
use voicetwin::traffic::Origin;

struct PerThread;

thread_local! {
    static IN_USE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(bytes: isize) {
    let _ = IN_USE.try_with(|u| {
        let now = u.get() + bytes;
        u.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

// SAFETY: every call is passed on to `System` unchanged; only this
// thread's counters (const-initialized, no destructor) change beside it.
unsafe impl GlobalAlloc for PerThread {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        grew(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            grew(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: PerThread = PerThread;

/// The peak heap of this thread while `f` runs, above what it held before.
fn peak_of(f: impl FnOnce()) -> isize {
    let before = IN_USE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    f();
    PEAK.with(Cell::get) - before
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdr").join(name)
}

fn utc(s: &str) -> i64 {
    s.parse::<jiff::Timestamp>().unwrap().as_microsecond()
}

/// Reads a source to its end, resolving each record; returns the
/// resolved records with the calls they became.
fn read_and_resolve(
    src: &mut impl CdrSource,
    model: &Model,
) -> Vec<(CdrRecord, voicetwin::traffic::cdr::ResolvedCall)> {
    let resolver = Resolver::new(model);
    let mut rec = CdrRecord::default();
    let mut out = Vec::new();
    while src.next_record(&mut rec).unwrap() {
        match resolver.resolve(&rec) {
            Ok(call) => out.push((rec.clone(), call)),
            Err(p) => src.count(&rec, &p),
        }
    }
    out
}

fn counts(t: &RowTally) -> Vec<(ProblemKind, u64)> {
    t.seen().map(|(k, p)| (k, p.count)).collect()
}

#[test]
fn voip_details_fixture_is_counted_as_written() {
    let m = Model::contoso();
    let mut r = CdrReader::open(&fixture("voipdetails.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(r.layout(), "lync-voipdetails");
    let used = read_and_resolve(&mut r, &m);
    let t = r.tally();
    assert_eq!(t.rows_read, 13);
    assert_eq!(
        counts(&t),
        [
            (ProblemKind::MissingEnd, 1),
            (ProblemKind::BadTimestamp, 1),
            (ProblemKind::NegativeDuration, 1),
            (ProblemKind::BadResponseCode, 1),
            // Row 8 has an offset (Z) where earlier rows had none; row 9
            // another offset (+01:00) again.
            (ProblemKind::MixedTimeZone, 2),
            (ProblemKind::UnknownGateway, 2),
            (ProblemKind::UnknownCaller, 1),
        ]
    );
    assert_eq!(t.rows_used(), 6);
    assert_eq!(used.len(), 6);
    let ex = |k: ProblemKind| {
        let e = &t.problem(k).examples;
        e.iter().map(|e| (e.row, e.column.clone())).collect::<Vec<_>>()
    };
    assert_eq!(ex(ProblemKind::MissingEnd), [(4, "EndTime".to_string())]);
    assert_eq!(ex(ProblemKind::NegativeDuration), [(5, "EndTime".to_string())]);
    assert_eq!(ex(ProblemKind::BadTimestamp), [(10, "InviteTime".to_string())]);
    assert_eq!(ex(ProblemKind::BadResponseCode), [(11, "ResponseCode".to_string())]);
    assert_eq!(ex(ProblemKind::MixedTimeZone), [(8, "InviteTime".to_string()), (9, "InviteTime".to_string())]);
    assert_eq!(ex(ProblemKind::UnknownGateway), [(6, "ToGateway".to_string()), (7, "FromGateway".to_string())]);
    assert_eq!(ex(ProblemKind::UnknownCaller), [(12, "FromPhone".to_string())]);
    assert!(t.problem(ProblemKind::UnknownGateway).examples[0].detail.contains("gw9.fabrikam.com"));
    assert!(t.to_string().contains("voipdetails.csv: row 10, column \"InviteTime\""), "{t}");

    // Row 1: en-US times read as UTC, the answer from the 200's ResponseTime.
    let (r1, c1) = &used[0];
    assert_eq!(r1.row, 1);
    assert_eq!(r1.start_us, utc("2026-11-24T09:00:00Z"));
    assert_eq!(r1.answer_us, Some(utc("2026-11-24T09:00:06Z")));
    assert_eq!(r1.end_us, Some(utc("2026-11-24T09:04:00Z")));
    assert_eq!((r1.caller.as_str(), r1.called.as_str()), ("+14255550001", "+12065550100"));
    assert_eq!(r1.outcome, CdrOutcome::Answered);
    assert_eq!(c1.direction, CdrDirection::Outbound);
    assert_eq!(c1.origin, Origin::Users(m.user_group_by_name("redmond-staff").unwrap()));
    assert_eq!(c1.user, 1);
    assert_eq!(c1.to_trunk, m.trunk_by_name("gw-red-1"));
    // Row 2: inbound on gw-red-2's first trunk.
    let (_, c2) = &used[1];
    assert_eq!(c2.direction, CdrDirection::Inbound);
    assert_eq!(c2.origin, Origin::Trunk(m.trunk_by_name("gw-red-2").unwrap()));
    assert_eq!(c2.from_peer, m.peer_by_name("gw-red-2"));
    // Row 3: a 487 ends at its response.
    let (r3, _) = &used[2];
    assert_eq!((r3.outcome, r3.answer_us, r3.end_us), (CdrOutcome::NoAnswer, None, Some(utc("2026-11-24T09:02:30Z"))));
    // Rows 8 and 9: one instant apart by an hour, written with two offsets.
    assert_eq!(used[3].0.start_us, utc("2026-11-24T17:20:00Z"));
    assert_eq!(used[4].0.start_us, utc("2026-11-24T17:21:00Z"));
    // Row 13: 1 PM, a London user out through gw-lon-1.
    let (r13, c13) = &used[5];
    assert_eq!(r13.start_us, utc("2026-11-24T13:00:00Z"));
    assert_eq!(c13.site, m.site_by_name("London").unwrap());
    assert_eq!(c13.to_trunk, m.trunk_by_name("gw-lon-1"));
}

#[test]
fn naive_times_take_the_time_zone_offsets_do_not() {
    let opts = ReadOptions { time_zone: parse_time_zone("America/Los_Angeles").unwrap(), ..Default::default() };
    let mut r = CdrReader::open(&fixture("voipdetails.csv"), &opts).unwrap();
    let mut rec = CdrRecord::default();
    let mut starts = Vec::new();
    while r.next_record(&mut rec).unwrap() {
        starts.push(rec.start_us);
    }
    assert_eq!(starts[0], utc("2026-11-24T17:00:00Z"), "09:00 PST");
    assert!(starts.contains(&utc("2026-11-24T17:20:00Z")), "written with Z: unchanged");
}

#[test]
fn sbc_fixture_is_counted_and_released_in_start_order() {
    let m = Model::contoso();
    let r = CdrReader::open(&fixture("sbc.csv"), &ReadOptions::default()).unwrap();
    assert_eq!(r.layout(), "sbc");
    let mut o = StartOrder::with_default_window(r);
    let used = read_and_resolve(&mut o, &m);
    let t = o.tally();
    assert_eq!(t.rows_read, 10);
    assert_eq!(
        counts(&t),
        [
            (ProblemKind::MissingEnd, 1),
            (ProblemKind::BadTimestamp, 1),
            (ProblemKind::NegativeDuration, 1),
            (ProblemKind::MixedTimeZone, 1),
            (ProblemKind::UnknownGateway, 2),
        ]
    );
    assert_eq!(t.rows_used(), 5);
    let starts: Vec<i64> = used.iter().map(|(r, _)| r.start_us).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "start order");
    let rows: Vec<u64> = used.iter().map(|(r, _)| r.row).collect();
    // 1001 (row 3), 1002 (row 2), 1006 (row 6, 09:25 local), 1009 (row 9), 1008 (row 8).
    assert_eq!(rows, [3, 2, 6, 9, 8]);
    let (r1001, c1001) = &used[0];
    assert_eq!(r1001.start_us, utc("2026-11-24T17:00:00Z"));
    assert_eq!(r1001.answer_us, Some(utc("2026-11-24T17:00:05Z")));
    assert_eq!(c1001.direction, CdrDirection::Outbound);
    assert_eq!(c1001.to_peer, m.peer_by_name("itsp"));
    let (_, c1002) = &used[1];
    assert_eq!(c1002.direction, CdrDirection::Inbound, "the Mediation pool with a port is the Lync side");
    let (r1008, c1008) = &used[4];
    assert_eq!((r1008.outcome, r1008.response_code), (CdrOutcome::Failed, Some(486)));
    assert_eq!(c1008.to_trunk, m.trunk_by_name("gw-lon-1"));

    // With --day-first the day-first row reads.
    let opts = ReadOptions { day_first: true, ..Default::default() };
    let mut r = CdrReader::open(&fixture("sbc.csv"), &opts).unwrap();
    let mut rec = CdrRecord::default();
    while r.next_record(&mut rec).unwrap() {}
    assert_eq!(r.tally().count_of(ProblemKind::BadTimestamp), 0);
}

#[test]
fn a_folder_reads_its_csv_files_in_name_order() {
    let m = Model::contoso();
    let mut f = CdrFiles::open(&fixture(""), &ReadOptions::default()).unwrap();
    assert_eq!(f.files().len(), 2);
    assert!(f.files()[0].ends_with("sbc.csv") && f.files()[1].ends_with("voipdetails.csv"));
    assert_eq!(f.layout(), "sbc");
    let used = read_and_resolve(&mut f, &m);
    assert_eq!(used.len(), 11);
    assert_eq!(used.iter().filter(|(r, _)| r.file == 1).count(), 6);
    let t = f.tally();
    assert_eq!((t.rows_read, t.rows_used()), (23, 11));
    assert_eq!(t.count_of(ProblemKind::UnknownGateway), 4);
    let per_file = f.file_tallies();
    assert_eq!(per_file[0].1.count_of(ProblemKind::UnknownGateway), 2);
    assert_eq!(per_file[1].1.count_of(ProblemKind::UnknownCaller), 1);
    assert!(per_file[1].1.problem(ProblemKind::UnknownCaller).examples[0].file.ends_with("voipdetails.csv"));
    assert_eq!(f.file_name(1), f.files()[1]);
}

#[test]
fn files_that_cannot_be_read_name_file_row_and_column() {
    let mut r = CdrReader::open(&fixture("unreadable/ragged.csv"), &ReadOptions::default()).unwrap();
    let mut rec = CdrRecord::default();
    assert!(r.next_record(&mut rec).unwrap());
    assert!(r.next_record(&mut rec).unwrap());
    let e = r.next_record(&mut rec).unwrap_err();
    assert!(e.file.ends_with("ragged.csv"));
    assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("ToPhone")));
    let shown = e.to_string();
    assert!(shown.contains("ragged.csv: row 3, column \"ToPhone\": 9 fields where the header has 14"), "{shown}");

    let e = CdrReader::open(&fixture("unreadable/binary.csv"), &ReadOptions::default()).err().unwrap();
    assert!(e.to_string().contains("binary.csv: header row: not text"), "{e}");
    let e = CdrFiles::open(&fixture("unreadable"), &ReadOptions::default()).err().unwrap();
    assert!(e.file.ends_with("binary.csv"), "checked before any work: {e}");
    let e = CdrFiles::open(&fixture("no-such.csv"), &ReadOptions::default()).err().unwrap();
    assert!(e.to_string().contains("no-such.csv: cannot open"), "{e}");

    // A column map naming a column the header lacks.
    let opts = ReadOptions {
        columns: Some(ColumnMap::parse("start=InviteTime,end=Finish,caller=FromUri").unwrap()),
        ..Default::default()
    };
    let e = CdrReader::open(&fixture("voipdetails.csv"), &opts).err().unwrap();
    assert_eq!((e.row, e.column.as_deref()), (Some(0), Some("Finish")));
}

#[test]
fn a_column_map_reads_another_layout() {
    let text = "Begin|x;Stop;From;To;Out\n\
                2026-11-24 10:00:00;2026-11-24 10:05:00;+14255550100;+12065550100;gw-red-1\n";
    let opts = ReadOptions {
        columns: Some(ColumnMap::parse("start=begin|x,end=STOP,caller=From,called=To,to_gateway=Out").unwrap()),
        ..Default::default()
    };
    let mut r = CdrReader::from_reader("m.csv", Box::new(Cursor::new(text.as_bytes().to_vec())), &opts).unwrap();
    assert_eq!(r.layout(), "columns");
    let mut rec = CdrRecord::default();
    assert!(r.next_record(&mut rec).unwrap());
    assert_eq!(rec.end_us, Some(utc("2026-11-24T10:05:00Z")));
    assert_eq!(rec.inferred_direction(), CdrDirection::Outbound);
}

fn sample(i: u64) -> CdrRecord {
    let dir = CdrDirection::ALL[(i % 4) as usize];
    let start = utc("2026-11-24T08:00:00Z") + i as i64 * 1_234_567;
    let answered = i % 3 != 0;
    let mut r = CdrRecord {
        start_us: start,
        ringback_us: Some(start + 1_500_000),
        answer_us: answered.then_some(start + 4_000_001),
        end_us: Some(start + 4_000_001 + (i as i64 % 900) * 1_000_000),
        response_code: Some(if answered { 200 } else { 486 }),
        outcome: if answered { CdrOutcome::Answered } else { CdrOutcome::Failed },
        direction: Some(dir),
        caller: format!("+1425555{:04}", i % 4000),
        dialed: "9 1 (206) 555-0100, \"quoted\"".into(),
        called: "+12065550100".into(),
        site: "Redmond".into(),
        attempt: Some((i % 2) as u32),
        ..Default::default()
    };
    match dir {
        CdrDirection::Outbound => {
            r.to_gateway = "gw-red-1".into();
            r.to_trunk = "gw-red-1".into();
            r.to_mediation = "med-red.contoso.com".into();
        }
        CdrDirection::Inbound => {
            r.from_gateway = "gw-red-2".into();
            r.from_trunk = "gw-red-2-ld".into();
            r.from_mediation = "med-red.contoso.com".into();
        }
        CdrDirection::InterTrunk => {
            r.from_gateway = "pbx-red".into();
            r.to_gateway = "itsp".into();
            r.to_mediation = "med-red.contoso.com".into();
        }
        CdrDirection::Internal => {
            r.ringback_us = None;
        }
    }
    r
}

#[test]
fn the_native_layout_round_trips() {
    let mut w = CdrWriter::new(Vec::new()).unwrap();
    let written: Vec<CdrRecord> = (0..40).map(sample).collect();
    for (i, r) in written.iter().enumerate() {
        w.write(r, i as u64 + 1).unwrap();
    }
    let bytes = w.into_inner().unwrap();
    let header = String::from_utf8_lossy(&bytes[..bytes.iter().position(|b| *b == b'\n').unwrap()]).to_string();
    assert_eq!(header, voicetwin::traffic::cdr::NATIVE_COLUMNS.join(","));
    let mut r = CdrReader::from_reader("cdr.csv", Box::new(Cursor::new(bytes)), &ReadOptions::default()).unwrap();
    assert_eq!(r.layout(), "voicetwin");
    let mut rec = CdrRecord::default();
    let mut read = Vec::new();
    while r.next_record(&mut rec).unwrap() {
        let mut got = rec.clone();
        got.row = 0;
        read.push(got);
    }
    assert_eq!(read, written);
    assert_eq!(r.tally().rows_used(), 40);

    // And every one resolves against contoso.
    let m = Model::contoso();
    let res = Resolver::new(&m);
    for rec in &read {
        let call = res.resolve(rec).unwrap();
        assert_eq!(call.direction, rec.direction.unwrap());
        if call.direction == CdrDirection::Inbound {
            assert_eq!(call.origin, Origin::Trunk(m.trunk_by_name("gw-red-2-ld").unwrap()), "the named trunk wins");
        }
    }
}

/// A native-layout CDR stream of `rows` calls, generated as it is read,
/// in blocks of 1000 rows written in reverse start order (as files
/// written at call end are): StartOrder has to reorder them.
struct Generated {
    rows: u64,
    next: u64,
    buf: Vec<u8>,
    pos: usize,
    times: [String; 3],
}

impl Generated {
    fn new(rows: u64) -> Self {
        let mut buf = voicetwin::traffic::cdr::NATIVE_COLUMNS.join(",").into_bytes();
        buf.push(b'\n');
        Self { rows, next: 0, buf, pos: 0, times: Default::default() }
    }

    fn row(&mut self, i: u64) {
        use std::io::Write;
        let base = utc("2026-11-24T00:00:00Z");
        let block = i / 1000;
        let k = 999 - i % 1000;
        let start = base + ((block * 1000 + k) as i64) * 250_000;
        let [s, a, e] = &mut self.times;
        write_time(s, Some(start));
        write_time(a, Some(start + 3_000_000));
        write_time(e, Some(start + 3_000_000 + (i as i64 % 600) * 1_000_000));
        let _ = writeln!(
            self.buf,
            "{i},0,{s},,{a},{e},answered,200,outbound,Redmond,+1425555{:04},912065550100,+12065550100,,,gw-red-1,gw-red-1,med-red.contoso.com",
            i % 4000
        );
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            while self.buf.len() < 32 * 1024 && self.next < self.rows {
                self.row(self.next);
                self.next += 1;
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Reads `rows` generated rows through the reader and StartOrder; the
/// peak heap while doing it.
fn peak_reading(rows: u64) -> isize {
    peak_of(|| {
        let r = CdrReader::from_reader("gen.csv", Box::new(Generated::new(rows)), &ReadOptions::default()).unwrap();
        let mut o = StartOrder::with_default_window(r);
        let mut rec = CdrRecord::default();
        let mut n = 0u64;
        let mut last = i64::MIN;
        while o.next_record(&mut rec).unwrap() {
            assert!(rec.start_us >= last);
            last = rec.start_us;
            n += 1;
        }
        assert_eq!(n, rows);
        assert_eq!(o.tally().rows_used(), rows);
    })
}

#[test]
fn memory_is_flat_in_the_number_of_rows() {
    // An hour's window at four calls a second holds 14,400 records either way.
    let small = peak_reading(100_000);
    let large = peak_reading(1_000_000);
    assert!(small > 0);
    assert!(
        (large as f64) < 1.25 * small as f64 + 256.0 * 1024.0,
        "a million rows peaked at {large} bytes, a hundred thousand at {small}"
    );
}

/// Calibrates from `rows` generated rows (read, ordered, tied to contoso,
/// folded into the observer); the peak heap while doing it.
fn peak_calibrating(rows: u64) -> isize {
    let model = voicetwin::model::Model::contoso();
    peak_of(|| {
        let r = CdrReader::from_reader("gen.csv", Box::new(Generated::new(rows)), &ReadOptions::default()).unwrap();
        let mut o = StartOrder::with_default_window(r);
        let obs = voicetwin::analysis::calibrate::drive::observe(&mut o, &model, 600_000_000, |_, _| 0).unwrap();
        let c = voicetwin::analysis::calibrate::estimate(&obs, &model).unwrap();
        assert_eq!(c.calls, rows);
    })
}

#[test]
fn calibration_memory_is_flat_in_the_number_of_rows() {
    // The observer keeps counters per stream and hour, a bounded sample
    // per stream and the templates (one here): a million rows over three
    // days need what a hundred thousand over seven hours need, plus the
    // hours' counters.
    let small = peak_calibrating(100_000);
    let large = peak_calibrating(1_000_000);
    assert!(small > 0);
    assert!(
        (large as f64) < 1.25 * small as f64 + 256.0 * 1024.0,
        "a million rows peaked at {large} bytes, a hundred thousand at {small}"
    );
}
