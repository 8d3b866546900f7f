//! Which column holds what: a layout is recognized from a file's header
//! row, so the common exports need no flag (docs/cdr.md, "Layouts").
//!
//! Three presets are known: voicetwin's own columns, the columns of the
//! documented query over Lync's `LcsCDR.dbo.VoIPDetails` view, and a
//! generic SBC CDR. Anything else is read through a column map
//! (`--columns start=InviteTime,end=EndTime,...`).

use super::NATIVE_COLUMNS;

/// A CDR field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    CallId,
    Attempt,
    Start,
    Ringback,
    Answer,
    End,
    /// voicetwin's `result` column ([`super::CdrOutcome::as_str`]).
    Outcome,
    ResponseCode,
    Direction,
    Site,
    /// The caller's phone number (Lync's `FromPhone`).
    Caller,
    /// The caller's URI, used when the phone is blank (Lync's `FromUri`).
    CallerUri,
    Dialed,
    Called,
    /// The callee's URI, used when the phone is blank (Lync's `ToUri`).
    CalledUri,
    FromGateway,
    FromTrunk,
    ToGateway,
    ToTrunk,
    FromMediation,
    ToMediation,
    /// voicetwin's `mediation_pool`: the Mediation pool on the gateway's side.
    MediationPool,
    /// The time of the final response to the INVITE (Lync's
    /// `ResponseTime`): the answer when the code is 200.
    ResponseTime,
    /// An ISDN Q.850 release cause (SBC and gateway CDRs).
    Q850Cause,
}

const FIELD_COUNT: usize = 24;

impl Field {
    pub const ALL: [Field; FIELD_COUNT] = [
        Field::CallId,
        Field::Attempt,
        Field::Start,
        Field::Ringback,
        Field::Answer,
        Field::End,
        Field::Outcome,
        Field::ResponseCode,
        Field::Direction,
        Field::Site,
        Field::Caller,
        Field::CallerUri,
        Field::Dialed,
        Field::Called,
        Field::CalledUri,
        Field::FromGateway,
        Field::FromTrunk,
        Field::ToGateway,
        Field::ToTrunk,
        Field::FromMediation,
        Field::ToMediation,
        Field::MediationPool,
        Field::ResponseTime,
        Field::Q850Cause,
    ];

    /// Its name in a column map (`--columns start=...`): the
    /// [`super::CdrRecord`] field it fills.
    pub fn name(self) -> &'static str {
        match self {
            Field::CallId => "call_id",
            Field::Attempt => "attempt",
            Field::Start => "start",
            Field::Ringback => "ringback",
            Field::Answer => "answer",
            Field::End => "end",
            Field::Outcome => "outcome",
            Field::ResponseCode => "response_code",
            Field::Direction => "direction",
            Field::Site => "site",
            Field::Caller => "caller",
            Field::CallerUri => "caller_uri",
            Field::Dialed => "dialed",
            Field::Called => "called",
            Field::CalledUri => "called_uri",
            Field::FromGateway => "from_gateway",
            Field::FromTrunk => "from_trunk",
            Field::ToGateway => "to_gateway",
            Field::ToTrunk => "to_trunk",
            Field::FromMediation => "from_mediation",
            Field::ToMediation => "to_mediation",
            Field::MediationPool => "mediation_pool",
            Field::ResponseTime => "response_time",
            Field::Q850Cause => "q850_cause",
        }
    }

    /// A field by its map name; `start_us`, `answer_us`, ... and
    /// `result` are accepted too.
    pub fn from_name(name: &str) -> Option<Field> {
        let n = name.trim().to_ascii_lowercase();
        let n = n.strip_suffix("_us").unwrap_or(&n);
        if n == "result" {
            return Some(Field::Outcome);
        }
        Field::ALL.iter().copied().find(|f| f.name() == n)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `--columns`: which column of the file fills which field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    pub pairs: Vec<(Field, String)>,
}

impl ColumnMap {
    /// Parses `start=InviteTime,end=EndTime,...`; the error names the
    /// pair that is wrong and lists the field names.
    pub fn parse(text: &str) -> Result<ColumnMap, String> {
        let mut pairs: Vec<(Field, String)> = Vec::new();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, column)) = pair.split_once('=') else {
                return Err(format!("--columns: {pair:?} is not field=Column"));
            };
            let f = Field::from_name(field).ok_or_else(|| {
                let names: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
                format!("--columns: {:?} is no CDR field; the fields are {}", field.trim(), names.join(", "))
            })?;
            let column = column.trim().trim_matches('"').to_string();
            if column.is_empty() {
                return Err(format!("--columns: {pair:?} names no column"));
            }
            if pairs.iter().any(|(g, _)| *g == f) {
                return Err(format!("--columns: {} is mapped twice", f.name()));
            }
            pairs.push((f, column));
        }
        for (need, example) in [(Field::Start, "InviteTime"), (Field::End, "EndTime")] {
            if !pairs.iter().any(|(f, _)| *f == need) {
                return Err(format!("--columns must map {0} (e.g. {0}={example})", need.name()));
            }
        }
        Ok(ColumnMap { pairs })
    }
}

/// A recognized layout: its name and the column index of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub name: String,
    slots: [Option<usize>; FIELD_COUNT],
    /// The header's column names as written (BOM and spaces trimmed).
    pub header: Vec<String>,
}

impl Layout {
    /// The column holding `field`, if the layout has one.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.slots[field.index()]
    }

    /// The header name of a field's column (for messages).
    pub fn column_name(&self, field: Field) -> &str {
        self.column(field).and_then(|i| self.header.get(i)).map_or(field.name(), String::as_str)
    }

    pub fn has(&self, field: Field) -> bool {
        self.column(field).is_some()
    }
}

/// A preset: the columns it needs (any of several names each) and those
/// it reads when present.
struct Preset {
    name: &'static str,
    required: &'static [(Field, &'static [&'static str])],
    optional: &'static [(Field, &'static [&'static str])],
}

/// The preset name of voicetwin's own layout.
pub const NATIVE: &str = "voicetwin";
/// The preset name of the VoIPDetails query (docs/cdr.md).
pub const VOIP_DETAILS: &str = "lync-voipdetails";
/// The preset name of the generic SBC CDR (docs/cdr.md).
pub const SBC: &str = "sbc";

const PRESETS: [Preset; 3] = [
    Preset {
        name: NATIVE,
        required: &[
            (Field::Start, &["start"]),
            (Field::End, &["end"]),
            (Field::Caller, &["caller"]),
            (Field::Called, &["called"]),
            (Field::FromGateway, &["from_gateway"]),
            (Field::ToGateway, &["to_gateway"]),
        ],
        optional: &[
            (Field::CallId, &["call_id"]),
            (Field::Attempt, &["attempt"]),
            (Field::Ringback, &["ringback"]),
            (Field::Answer, &["answer"]),
            (Field::Outcome, &["result"]),
            (Field::ResponseCode, &["response_code"]),
            (Field::Direction, &["direction"]),
            (Field::Site, &["site"]),
            (Field::Dialed, &["dialed"]),
            (Field::FromTrunk, &["from_trunk"]),
            (Field::ToTrunk, &["to_trunk"]),
            (Field::MediationPool, &["mediation_pool"]),
        ],
    },
    Preset {
        name: VOIP_DETAILS,
        required: &[
            (Field::Start, &["InviteTime"]),
            // The view says EndTime; its SessionDetails table SessionEndTime.
            (Field::End, &["EndTime", "SessionEndTime"]),
            (Field::CallerUri, &["FromUri"]),
            (Field::CalledUri, &["ToUri"]),
        ],
        optional: &[
            (Field::ResponseTime, &["ResponseTime"]),
            (Field::ResponseCode, &["ResponseCode"]),
            (Field::Caller, &["FromPhone"]),
            (Field::Called, &["ToPhone"]),
            (Field::FromGateway, &["FromGateway"]),
            (Field::ToGateway, &["ToGateway"]),
            (Field::FromMediation, &["FromMediationServer"]),
            (Field::ToMediation, &["ToMediationServer"]),
        ],
    },
    Preset {
        name: SBC,
        required: &[
            (Field::Start, &["start_time", "setup_time"]),
            (Field::End, &["disconnect_time", "release_time", "end_time"]),
            (Field::Caller, &["calling_number", "calling"]),
            (Field::Called, &["called_number", "called"]),
        ],
        optional: &[
            (Field::CallId, &["call_id"]),
            (Field::Ringback, &["alert_time", "ringing_time"]),
            (Field::Answer, &["connect_time", "answer_time"]),
            (Field::FromGateway, &["ingress_peer", "ingress_trunk"]),
            (Field::ToGateway, &["egress_peer", "egress_trunk"]),
            (Field::ResponseCode, &["sip_response", "sip_response_code"]),
            (Field::Q850Cause, &["q850_cause", "release_cause"]),
        ],
    },
];

fn find(header: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| header.iter().position(|h| h.eq_ignore_ascii_case(n)))
}

/// Recognizes a header. With a column map, the map decides (and every
/// column it names must be in the header); else the first preset whose
/// required columns are all present.
pub fn recognize(header: &[String], map: Option<&ColumnMap>) -> Result<Layout, LayoutError> {
    let mut slots = [None; FIELD_COUNT];
    if let Some(map) = map {
        for (field, column) in &map.pairs {
            let i = find(header, &[column.as_str()]).ok_or_else(|| LayoutError {
                column: Some(column.clone()),
                message: format!(
                    "--columns maps {}={column} but the header has no column {column:?}; it has: {}",
                    field.name(),
                    header.join(", ")
                ),
            })?;
            slots[field.index()] = Some(i);
        }
        return Ok(Layout { name: "columns".into(), slots, header: header.to_vec() });
    }
    for p in &PRESETS {
        let found: Option<Vec<_>> = p.required.iter().map(|(f, names)| find(header, names).map(|i| (*f, i))).collect();
        let Some(found) = found else { continue };
        for (f, i) in found {
            slots[f.index()] = Some(i);
        }
        for (f, names) in p.optional {
            slots[f.index()] = find(header, names);
        }
        return Ok(Layout { name: p.name.into(), slots, header: header.to_vec() });
    }
    let mut message = String::from("the header matches no CDR layout voicetwin knows. Each needs these columns:\n");
    for p in &PRESETS {
        let need: Vec<String> = p.required.iter().map(|(_, names)| names.join("|")).collect();
        message.push_str(&format!("  {}: {}\n", p.name, need.join(", ")));
    }
    message.push_str(&format!(
        "The header has: {}\nFor another layout say which column is which: \
         --columns start=<column>,end=<column>,caller=<column>,called=<column>,... (docs/cdr.md)",
        header.join(", ")
    ));
    Err(LayoutError { column: None, message })
}

/// Why a header was not recognized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutError {
    pub column: Option<String>,
    pub message: String,
}

/// The native header, for the writer and for tests.
pub fn native_header() -> Vec<String> {
    NATIVE_COLUMNS.iter().map(|s| s.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &str) -> Vec<String> {
        cols.split(',').map(String::from).collect()
    }

    #[test]
    fn presets_are_recognized_case_insensitively() {
        assert_eq!(recognize(&native_header(), None).unwrap().name, NATIVE);
        let v =
            recognize(&h("SessionIdTime,invitetime,ResponseTime,EndTime,ResponseCode,FromUri,ToUri,FromPhone"), None)
                .unwrap();
        assert_eq!(v.name, VOIP_DETAILS);
        assert_eq!(v.column(Field::Start), Some(1));
        assert_eq!(v.column(Field::Caller), Some(7));
        assert!(!v.has(Field::ToGateway));
        let s = recognize(&h("call_id,start_time,connect_time,disconnect_time,calling_number,called_number"), None)
            .unwrap();
        assert_eq!(s.name, SBC);
        let e = recognize(&h("when,who"), None).unwrap_err();
        assert!(e.message.contains("InviteTime") && e.message.contains("--columns"), "{}", e.message);
    }

    #[test]
    fn a_map_names_its_columns() {
        let m = ColumnMap::parse("start=Begin, end_us=Stop,caller=A,result=Res").unwrap();
        let l = recognize(&h("Begin,Stop,A,Res"), Some(&m)).unwrap();
        assert_eq!(l.column(Field::Outcome), Some(3));
        let e = recognize(&h("Begin,Stop"), Some(&m)).unwrap_err();
        assert_eq!(e.column.as_deref(), Some("A"));
        assert!(ColumnMap::parse("start=a,end=b,colour=c").unwrap_err().contains("colour"));
        assert!(ColumnMap::parse("start=a").unwrap_err().contains("end"));
        assert!(ColumnMap::parse("start=a,end=b,start=c").is_err());
    }
}
