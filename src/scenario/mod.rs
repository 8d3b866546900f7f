//! Scenarios: an experiment on a model (traffic, duration, warm-up,
//! replications, seed), validated into a [`Scenario`].

pub mod date;
mod error;
mod failures;
pub mod file;
mod load;
mod overrides;
mod responses;
mod targets;
mod tariffs;
mod work;

pub use error::ScenarioError;
pub use failures::default_whatif_start;
pub use load::{builtin, load_file, load_for_model, load_str, BUILTIN_SCENARIOS};
pub use overrides::Overrides;
pub use responses::{Answer, ResponseMix};
pub use targets::{Stream, StreamTarget};
pub use tariffs::{Price, Tariff, TariffFile, Tariffs};
pub use work::Work;

use crate::model::{LinkId, MediationPoolId, Micros, Model, PeerId, RegistrarPoolId, SiteId, TrunkId};
use crate::traffic::Source;

/// Per-hop SIP latency and far-end setup time, for post-dial delay.
#[derive(Debug, Clone, Copy)]
pub struct Signalling {
    /// One SIP hop (client -> Front End, Front End -> Mediation, Mediation -> peer).
    pub hop_latency: Micros,
    /// From the INVITE reaching the peer to ringback from the far end.
    pub pstn_setup: Micros,
}

/// How a failed peer is noticed: OPTIONS keep-alives every
/// `options_interval`; after `missed_options` unanswered in a row the peer
/// is marked down; while down it is probed every `down_probe_interval`
/// and marked up by the first answered probe.
#[derive(Debug, Clone, Copy)]
pub struct Detection {
    pub options_interval: Micros,
    pub missed_options: u32,
    pub down_probe_interval: Micros,
    /// Failover-class failures in a row after which an element still
    /// answering OPTIONS is made less preferred (tried last in its stage).
    pub less_preferred_after: u32,
}

/// What fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureTarget {
    /// A gateway, IP-PBX or ITSP: every trunk to it.
    Peer(PeerId),
    /// One trunk.
    Trunk(TrunkId),
    /// A whole Mediation pool: every trunk it owns.
    MediationPool(MediationPoolId),
    /// A whole site: its Registrar pools (their users go to their backup
    /// Registrar), its Mediation pools and peers (every trunk whose peer or
    /// Mediation pool is there) and its WAN links.
    Site(SiteId),
    /// One server of a Mediation pool (0-based): no trunk goes down; with
    /// DNS load balancing the peers retry its siblings.
    MediationServer(MediationPoolId, u32),
    /// A WAN link: no trunk goes down, but signalling and media that
    /// need it lose their path.
    WanLink(LinkId),
    /// A Registrar pool (Front End, SBA, SBS): its users register at their
    /// backup Registrar, and a Mediation pool collocated on it fails too.
    RegistrarPool(RegistrarPoolId),
}

impl FailureTarget {
    /// Every element of `class`, in model order.
    pub fn all_of(class: ElementClass, m: &Model) -> Vec<Self> {
        match class {
            ElementClass::Peer => (0..m.peers.len()).map(|i| FailureTarget::Peer(PeerId::from_index(i))).collect(),
            ElementClass::Trunk => (0..m.trunks.len()).map(|i| FailureTarget::Trunk(TrunkId::from_index(i))).collect(),
            ElementClass::MediationPool => (0..m.mediation_pools.len())
                .map(|i| FailureTarget::MediationPool(MediationPoolId::from_index(i)))
                .collect(),
            ElementClass::MediationServer => m
                .mediation_pools
                .iter()
                .enumerate()
                .flat_map(|(i, p)| {
                    (0..p.servers).map(move |n| FailureTarget::MediationServer(MediationPoolId::from_index(i), n))
                })
                .collect(),
            ElementClass::RegistrarPool => (0..m.registrar_pools.len())
                .map(|i| FailureTarget::RegistrarPool(RegistrarPoolId::from_index(i)))
                .collect(),
            ElementClass::WanLink => {
                (0..m.links.len()).map(|i| FailureTarget::WanLink(LinkId::from_index(i))).collect()
            }
            ElementClass::Site => (0..m.sites.len()).map(|i| FailureTarget::Site(SiteId::from_index(i))).collect(),
        }
    }

    /// The trunks this element takes down with it.
    pub fn trunks(&self, m: &Model) -> Vec<TrunkId> {
        (0..m.trunks.len())
            .map(TrunkId::from_index)
            .filter(|t| {
                let trunk = m.trunk(*t);
                let pool = m.mediation_pool(trunk.mediation_pool);
                match *self {
                    FailureTarget::Peer(p) => trunk.peer == p,
                    FailureTarget::Trunk(x) => *t == x,
                    FailureTarget::MediationPool(q) => trunk.mediation_pool == q,
                    FailureTarget::Site(s) => {
                        m.peer(trunk.peer).site == s
                            || pool.site == s
                            || pool.collocated_with.is_some_and(|r| m.registrar_pools[r.index()].site == s)
                    }
                    FailureTarget::MediationServer(..) | FailureTarget::WanLink(_) => false,
                    FailureTarget::RegistrarPool(r) => pool.collocated_with == Some(r),
                }
            })
            .collect()
    }

    /// The WAN links this element takes down: a link, or every link of a
    /// site.
    pub fn links(&self, m: &Model) -> Vec<LinkId> {
        match *self {
            FailureTarget::WanLink(l) => vec![l],
            FailureTarget::Site(s) => (0..m.links.len())
                .map(LinkId::from_index)
                .filter(|l| {
                    let (a, b) = m.links[l.index()].sites;
                    a == s || b == s
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The Registrar pools this element takes down: a pool, or every pool
    /// of a site.
    pub fn registrar_pools(&self, m: &Model) -> Vec<RegistrarPoolId> {
        match *self {
            FailureTarget::RegistrarPool(r) => vec![r],
            FailureTarget::Site(s) => (0..m.registrar_pools.len())
                .map(RegistrarPoolId::from_index)
                .filter(|r| m.registrar_pools[r.index()].site == s)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Everything this element is made of, itself included: a peer and its
    /// trunks; a Mediation pool, its trunks and its servers; a Registrar
    /// pool and the Mediation pools collocated on it; a site and
    /// everything at it (its Registrar and Mediation pools, its peers,
    /// the trunks whose peer or pool is there, its WAN links).
    pub fn parts(&self, m: &Model) -> std::collections::BTreeSet<Part> {
        let mut out = std::collections::BTreeSet::new();
        self.add_parts(m, &mut out);
        out
    }

    fn add_parts(&self, m: &Model, out: &mut std::collections::BTreeSet<Part>) {
        out.insert(Part(*self));
        let pools_of = |r: RegistrarPoolId| {
            (0..m.mediation_pools.len())
                .map(MediationPoolId::from_index)
                .filter(move |q| m.mediation_pool(*q).collocated_with == Some(r))
        };
        match *self {
            FailureTarget::Peer(_) => out.extend(self.trunks(m).into_iter().map(|t| Part(FailureTarget::Trunk(t)))),
            FailureTarget::MediationPool(q) => {
                out.extend(self.trunks(m).into_iter().map(|t| Part(FailureTarget::Trunk(t))));
                out.extend((0..m.mediation_pool(q).servers).map(|n| Part(FailureTarget::MediationServer(q, n))));
            }
            FailureTarget::RegistrarPool(r) => {
                pools_of(r).for_each(|q| FailureTarget::MediationPool(q).add_parts(m, out))
            }
            FailureTarget::Site(s) => {
                for r in self.registrar_pools(m) {
                    FailureTarget::RegistrarPool(r).add_parts(m, out);
                }
                for q in (0..m.mediation_pools.len()).map(MediationPoolId::from_index) {
                    if m.mediation_pool(q).site == s {
                        FailureTarget::MediationPool(q).add_parts(m, out);
                    }
                }
                for p in (0..m.peers.len()).map(PeerId::from_index) {
                    if m.peer(p).site == s {
                        FailureTarget::Peer(p).add_parts(m, out);
                    }
                }
                out.extend(self.trunks(m).into_iter().map(|t| Part(FailureTarget::Trunk(t))));
                out.extend(self.links(m).into_iter().map(|l| Part(FailureTarget::WanLink(l))));
            }
            FailureTarget::Trunk(_) | FailureTarget::MediationServer(..) | FailureTarget::WanLink(_) => {}
        }
    }

    /// `class:name`, as scenario files and reports write it.
    pub fn label(&self, m: &Model) -> String {
        match *self {
            FailureTarget::Peer(p) => format!("peer:{}", m.peer(p).name),
            FailureTarget::Trunk(t) => format!("trunk:{}", m.trunk(t).name),
            FailureTarget::MediationPool(p) => format!("mediation-pool:{}", m.mediation_pool(p).fqdn),
            FailureTarget::Site(s) => format!("site:{}", m.site(s).name),
            FailureTarget::MediationServer(p, n) => format!("mediation-server:{}#{}", m.mediation_pool(p).fqdn, n + 1),
            FailureTarget::WanLink(l) => format!("wan-link:{}", m.links[l.index()].name),
            FailureTarget::RegistrarPool(r) => format!("registrar-pool:{}", m.registrar_pools[r.index()].fqdn),
        }
    }

    /// Parses `peer:<name>`, `trunk:<name>`, `mediation-pool:<fqdn>` or
    /// `site:<name>`.
    pub fn parse(text: &str, m: &Model) -> Result<Self, String> {
        let (class, name) = text.split_once(':').ok_or_else(|| {
            format!(
                "\"{text}\" is not an element; write peer:<name>, trunk:<name>, mediation-pool:<fqdn> or site:<name>"
            )
        })?;
        let known = |names: Vec<&str>| names.join(", ");
        match class {
            "peer" => m.peer_by_name(name).map(FailureTarget::Peer).ok_or_else(|| {
                format!(
                    "no peer \"{name}\" in the model (known: {})",
                    known(m.peers.iter().map(|p| p.name.as_str()).collect())
                )
            }),
            "trunk" => m.trunk_by_name(name).map(FailureTarget::Trunk).ok_or_else(|| {
                format!(
                    "no trunk \"{name}\" in the model (known: {})",
                    known(m.trunks.iter().map(|t| t.name.as_str()).collect())
                )
            }),
            "mediation-pool" => m
                .mediation_pools
                .iter()
                .position(|p| crate::model::same_name(&p.fqdn, name))
                .map(|i| FailureTarget::MediationPool(MediationPoolId::from_index(i)))
                .ok_or_else(|| {
                    format!(
                        "no Mediation pool \"{name}\" in the model (known: {})",
                        known(m.mediation_pools.iter().map(|p| p.fqdn.as_str()).collect())
                    )
                }),
            "mediation-server" => {
                let (pool, n) = name
                    .rsplit_once('#')
                    .and_then(|(p, n)| n.parse::<u32>().ok().map(|n| (p, n)))
                    .ok_or_else(|| format!("\"{name}\": write mediation-server:<pool fqdn>#<server number from 1>"))?;
                let i = m.mediation_pools.iter().position(|p| crate::model::same_name(&p.fqdn, pool)).ok_or_else(|| {
                    format!(
                        "no Mediation pool \"{pool}\" in the model (known: {})",
                        known(m.mediation_pools.iter().map(|p| p.fqdn.as_str()).collect())
                    )
                })?;
                let servers = m.mediation_pools[i].servers;
                if n == 0 || n > servers {
                    return Err(format!("pool \"{pool}\" has servers 1 to {servers}, not {n}"));
                }
                Ok(FailureTarget::MediationServer(MediationPoolId::from_index(i), n - 1))
            }
            "registrar-pool" => m
                .registrar_pools
                .iter()
                .position(|p| crate::model::same_name(&p.fqdn, name))
                .map(|i| FailureTarget::RegistrarPool(RegistrarPoolId::from_index(i)))
                .ok_or_else(|| {
                    format!(
                        "no Registrar pool \"{name}\" in the model (known: {})",
                        known(m.registrar_pools.iter().map(|p| p.fqdn.as_str()).collect())
                    )
                }),
            "wan-link" => m
                .links
                .iter()
                .position(|l| crate::model::same_name(&l.name, name))
                .map(|i| FailureTarget::WanLink(LinkId::from_index(i)))
                .ok_or_else(|| {
                    format!(
                        "no WAN link \"{name}\" in the model (known: {})",
                        known(m.links.iter().map(|l| l.name.as_str()).collect())
                    )
                }),
            "site" => m.site_by_name(name).map(FailureTarget::Site).ok_or_else(|| {
                format!(
                    "no site \"{name}\" in the model (known: {})",
                    known(m.sites.iter().map(|s| s.name.as_str()).collect())
                )
            }),
            other => Err(format!(
                "\"{other}\" is not an element class; use peer, trunk, mediation-pool, mediation-server, registrar-pool, wan-link or site"
            )),
        }
    }
}

/// One element among the parts of another ([`FailureTarget::parts`]),
/// ordered so that sets of them compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part(pub FailureTarget);

impl Part {
    fn key(&self) -> (u8, usize, u32) {
        match self.0 {
            FailureTarget::Peer(p) => (0, p.index(), 0),
            FailureTarget::Trunk(t) => (1, t.index(), 0),
            FailureTarget::MediationPool(q) => (2, q.index(), 0),
            FailureTarget::Site(s) => (3, s.index(), 0),
            FailureTarget::MediationServer(q, n) => (4, q.index(), n),
            FailureTarget::WanLink(l) => (5, l.index(), 0),
            FailureTarget::RegistrarPool(r) => (6, r.index(), 0),
        }
    }
}

impl PartialOrd for Part {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Part {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// How a failed element behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureMode {
    /// Stops answering: INVITEs time out (fast-failover timer), OPTIONS go
    /// unanswered until the element is marked down.
    Silent,
    /// Answers every INVITE with 503: calls fail over at once; OPTIONS are
    /// still answered, so it is never marked down.
    Reject,
    /// Answers every INVITE with this final response (and ISUP cause):
    /// the element is up (OPTIONS answered, calls in progress kept); the
    /// trunk configuration's response-code rules and `[routing]` decide
    /// whether the call fails over.
    Respond { code: u16, isup_cause: Option<u8> },
}

/// When a failure happens.
#[derive(Debug, Clone)]
pub enum FailureTiming {
    /// Down at `at` for `duration` (µs).
    Scheduled { at: u64, duration: u64 },
    /// Exponential times between failures and to repair (means in µs).
    Random { mtbf: u64, mttr: u64 },
}

/// One failure of a scenario.
#[derive(Debug, Clone)]
pub struct Failure {
    pub name: String,
    pub target: FailureTarget,
    /// The trunks it takes down (from `target`).
    pub trunks: Vec<TrunkId>,
    pub timing: FailureTiming,
    /// `None` for a degraded element (still up, answers some calls badly).
    pub mode: Option<FailureMode>,
    /// Degraded: share of calls answered 503.
    pub reject_fraction: f64,
    /// Degraded: share of calls answered too slowly (fast-failover timer).
    pub slow_fraction: f64,
    /// The name its random streams (detection phase, degraded answers)
    /// are named after, when not its own: the what-if names a failure of
    /// exactly what an earlier element fails after that one, so the two
    /// give the same calls.
    pub stream: Option<String>,
}

impl Failure {
    /// What its random streams are named after.
    pub fn stream_name(&self) -> &str {
        self.stream.as_deref().unwrap_or(&self.name)
    }
}

/// Element classes `voicetwin whatif` can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ElementClass {
    Peer,
    Trunk,
    MediationPool,
    MediationServer,
    RegistrarPool,
    WanLink,
    Site,
}

impl ElementClass {
    /// Every class, in the order the docs list them.
    pub const ALL: [ElementClass; 7] = [
        ElementClass::Peer,
        ElementClass::Trunk,
        ElementClass::MediationPool,
        ElementClass::MediationServer,
        ElementClass::RegistrarPool,
        ElementClass::WanLink,
        ElementClass::Site,
    ];

    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "peer" | "peers" => Ok(ElementClass::Peer),
            "trunk" | "trunks" => Ok(ElementClass::Trunk),
            "mediation-pool" | "mediation-pools" => Ok(ElementClass::MediationPool),
            "mediation-server" | "mediation-servers" => Ok(ElementClass::MediationServer),
            "wan-link" | "wan-links" => Ok(ElementClass::WanLink),
            "registrar-pool" | "registrar-pools" => Ok(ElementClass::RegistrarPool),
            "site" | "sites" => Ok(ElementClass::Site),
            other => Err(format!(
                "\"{other}\" is not an element class; use peer, trunk, mediation-pool, mediation-server, registrar-pool, wan-link or site"
            )),
        }
    }
}

/// The what-if analysis of a scenario: every element of `classes` (or
/// every pair, with `k` = 2) fails for the window, one case at a time.
#[derive(Debug, Clone)]
pub struct WhatIf {
    pub classes: Vec<ElementClass>,
    pub k: u8,
    pub at: u64,
    pub duration: u64,
    pub mode: FailureMode,
    /// With k = 2, also run the pairs with an element that alone cuts a
    /// site off from the PSTN (`pairs = "all"`, `--all-pairs`); else
    /// they are left out as dominated.
    pub all_pairs: bool,
}

/// A validated scenario; its sources refer to the model by id.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Where it came from (a path, or `name (built in)`).
    pub source: String,
    pub name: String,
    pub description: String,
    /// The model reference as written.
    pub model: String,
    pub duration: Micros,
    pub warm_up: Micros,
    pub replications: u32,
    pub seed: u64,
    pub bucket: Micros,
    pub start_hour: u8,
    /// The day time 0 falls on (`start_date`), in days since 1970-01-01.
    pub start_date: i64,
    pub out: String,
    pub signalling: Signalling,
    pub sources: Vec<Source>,
    pub detection: Detection,
    pub failures: Vec<Failure>,
    pub whatif: WhatIf,
    /// Every source's load is this multiple of the sources' own rates
    /// (the file's `load_factor`, times `run --load-factor` or a plan's
    /// growth step).
    pub load_factor: f64,
    /// Replications are added until the headline figures are this
    /// precise (`[precision]`, `--precision`); `None`: exactly
    /// `replications`.
    pub precision: Option<Precision>,
    /// Grades of service for single streams (`[[target]]`), where a plan
    /// holds them to other than its overall target.
    pub targets: Vec<StreamTarget>,
    /// How peers answer the calls they take (`[[response]]`): each peer's
    /// mix, resolved (a peer's own, else the `"*"` one); empty when no
    /// peer has one.
    pub responses: Vec<Option<ResponseMix>>,
    /// What calls cost per carrier and destination (`[[tariff]]`).
    pub tariffs: Tariffs,
    /// The scenario text as read, written into each run folder.
    pub text: String,
}

impl Scenario {
    /// The scenario as it ran, for a results folder: its text with the
    /// command line's overrides written into their fields (`seed`,
    /// `replications`, `load_factor`, `[precision]`) and `model` naming
    /// `model_file`, the copy of the model beside it, so that running the
    /// folder's `scenario.toml` reproduces the run. Comments and layout
    /// are kept.
    pub fn recorded_text(&self, model_file: &str) -> String {
        use crate::model::edit::set_value;
        use toml_edit::{DocumentMut, Item, Table, Value};
        let Ok(mut doc) = self.text.parse::<DocumentMut>() else { return self.text.clone() };
        let top = doc.as_table_mut();
        set_value(top, "model", Value::from(model_file));
        set_value(top, "seed", Value::from(self.seed as i64));
        set_value(top, "replications", Value::from(i64::from(self.replications)));
        if self.load_factor == 1.0 {
            top.remove("load_factor");
        } else {
            set_value(top, "load_factor", Value::from(self.load_factor));
        }
        match self.precision {
            None => {
                top.remove("precision");
            }
            Some(p) => {
                if !top.get("precision").is_some_and(Item::is_table_like) {
                    top.insert("precision", Item::Table(Table::new()));
                }
                let t = top.get_mut("precision").and_then(Item::as_table_like_mut).expect("made a table above");
                set_value(t, "relative", Value::from(p.relative));
                set_value(t, "absolute", Value::from(p.absolute));
                set_value(t, "max_replications", Value::from(i64::from(p.max_replications)));
            }
        }
        doc.to_string()
    }
}

/// How precise a run's headline figures must be: replications are added
/// (replication i always draws the same streams) until the half-width of
/// each one's 95% interval is at most `relative` of its value or at most
/// `absolute`, or `max_replications` have run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Precision {
    pub relative: f64,
    pub absolute: f64,
    pub max_replications: u32,
}

impl Precision {
    /// The absolute floor when none is given: a tenth of a percentage
    /// point of grade of service.
    pub const DEFAULT_ABSOLUTE: f64 = 0.001;
    /// The most replications when no bound is given.
    pub const DEFAULT_MAX_REPLICATIONS: u32 = 1000;
    /// The most replications any run may ask for.
    pub const MAX_REPLICATIONS: u32 = crate::limits::scenario::MAX_REPLICATIONS.max as u32;

    /// Checks a precision as given on the command line or in a file, for
    /// a run whose first batch is `replications`: without a bound, it may
    /// run the default number or that batch, whichever is more; a bound
    /// below the batch is an error. The error names the field.
    pub fn new(
        relative: f64,
        absolute: Option<f64>,
        max_replications: Option<i64>,
        replications: u32,
    ) -> Result<Self, (String, String)> {
        if !(relative > 0.0 && relative <= 1.0) {
            return Err(("relative".into(), format!("{relative} is not a share above 0 and at most 1, e.g. 0.1")));
        }
        let absolute = absolute.unwrap_or(Self::DEFAULT_ABSOLUTE);
        if !(absolute > 0.0 && absolute < 1.0) {
            return Err(("absolute".into(), format!("{absolute} is not above 0 and below 1, e.g. 0.001")));
        }
        let first = i64::from(replications);
        let max = max_replications.unwrap_or(i64::from(Self::DEFAULT_MAX_REPLICATIONS).max(first));
        crate::limits::scenario::MAX_REPLICATIONS.check(max).map_err(|e| ("max_replications".to_owned(), e))?;
        if max < first {
            return Err((
                "max_replications".into(),
                format!("{max} is fewer than the {first} replications the run starts with"),
            ));
        }
        Ok(Self { relative, absolute, max_replications: max as u32 })
    }
}

impl Scenario {
    /// When the what-if's failures start inside the warm-up, a note
    /// saying what that loses: the calls they drop then were placed in the
    /// warm-up, and are not counted.
    pub fn whatif_window_note(&self) -> Option<String> {
        (self.whatif.at < self.warm_up.0).then(|| {
            let s = |us: u64| us as f64 / 1e6;
            format!(
                "the what-if's failures start {} s into the run, inside the {} s warm-up: the calls they drop before \
                 the warm-up ends are not counted, so the figures understate what each failure costs; set [whatif] \
                 `at` after the warm-up, or leave it out for a quarter of the measured period after it \
                 (docs/scenario.md)",
                s(self.whatif.at),
                s(self.warm_up.0)
            )
        })
    }

    /// Multiplies every source's load by `factor` (a growth step). Fails,
    /// saying which source, when a finite source's users could not offer
    /// the load ([`Source::overloaded_users`]), or when the scaled load
    /// breaks a bound on a replication's work ([`Scenario::work_problems`]):
    /// a factor checked on its own could still make arrivals faster than
    /// the clock resolves or a replication too long to run.
    ///
    /// [`Source::overloaded_users`]: crate::traffic::Source::overloaded_users
    pub fn scale_load(&mut self, factor: f64) -> Result<(), String> {
        if !(factor.is_finite() && factor > 0.0) {
            return Err(format!("{}: {factor} is not a load factor above 0", self.source));
        }
        for src in &mut self.sources {
            src.rate_per_s *= factor;
        }
        self.load_factor *= factor;
        for src in &self.sources {
            if let Some(problem) = src.overloaded_users() {
                return Err(format!(
                    "{}: source \"{}\" at load x{}: {problem}",
                    self.source, src.name, self.load_factor
                ));
            }
        }
        let problems = self.work_problems();
        if problems.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = problems.iter().map(|p| format!("{}: {p}", self.source)).collect();
        Err(format!("at load x{}: {}", self.load_factor, lines.join("; ")))
    }
}
