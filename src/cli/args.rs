//! The command line's arguments (clap): what each command takes.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(name = "voicetwin", version, about = "Digital twin of a Lync Server 2013 Enterprise Voice network")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Simulate a scenario: replications in parallel, summary, run folder.
    Run(RunArgs),
    /// Replay the calls a CDR file recorded through the model, with or without failures; observed vs simulated per gateway.
    Replay(ReplayArgs),
    /// Fail each element (N-1) or each pair (N-2) in turn and rank them by impact.
    Whatif(WhatifArgs),
    /// Find the fewest channels per gateway (sessions per ITSP or PBX) meeting a grade of service.
    Plan(PlanArgs),
    /// Run a scenario over a grid of model or scenario values, same seeds at every point.
    Sweep(SweepArgs),
    /// Explain where a dialed number goes, step by step, as Lync would route it.
    Route(RouteArgs),
    /// Test a normalization or translation rule on numbers (like Test-CsVoiceNormalizationRule).
    Rule(RuleArgs),
    /// Validate a model and list what an administrator would want to fix.
    Check(CheckArgs),
    /// Write the design-review report (report.html, report.md, charts/) of a results folder.
    Report(ReportArgs),
    /// Score one media path with the ITU-T G.107 E-model (R and MOS).
    Qos(QosArgs),
    /// Write a model from a folder of Get-Cs* exports (Lync, Skype for Business or Teams Direct Routing).
    Import(ImportArgs),
    /// Write a model's configuration as the Get-Cs* exports import reads (cmdlet-shaped JSON, topology XML, users CSV).
    Export(ExportArgs),
    /// Estimate a scenario's traffic from call detail records (busy hour, holding time, destinations) and report it.
    Calibrate(CalibrateArgs),
    /// Put the parts of a study run in shards (--shard I/N) together into its results folder.
    Merge(MergeArgs),
    /// Write an enterprise-shaped model and its busy-hour scenario of any size (countries, central sites, branches).
    Generate(GenerateArgs),
}

#[derive(Args)]
pub struct MergeArgs {
    /// The shards' folders (each the --out of a `whatif`, `plan` or `sweep` run with --shard), or their part.json files.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The results folder to write, as the study run in one piece writes it.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write the design-review report (report.html, report.md, charts/) into the results folder.
    #[arg(long)]
    pub report: bool,
    /// Worker threads for what the merge computes (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// `--shard I/N`: this machine's share of a study split N ways.
#[derive(Args)]
pub struct ShardArg {
    /// Compute only shard I of N (I from 0) and write it as a part into --out; `voicetwin merge` puts the N parts
    /// together (docs/cluster.md).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<voicetwin::analysis::shard::Shard>,
}

#[derive(Args)]
pub struct GenerateArgs {
    /// Sites in the network (1-5,000), grouped into countries of about 20-30.
    #[arg(long, allow_negative_numbers = true)]
    pub sites: i64,
    /// Seed of every draw (0 to 2^63-1); the scenario is seeded with it too.
    #[arg(long, default_value_t = 2013, allow_negative_numbers = true)]
    pub seed: i128,
    /// The folder to write model.toml and scenario.toml into (new, or one generate wrote before).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Platform {
    /// Lync Server 2013 or Skype for Business Server.
    Lync,
    /// Teams Direct Routing.
    Teams,
}

#[derive(Args)]
pub struct ImportArgs {
    /// The folder of exports: one file per cmdlet (Get-CsVoiceRoute.json, Get-CsTopology.xml, ...).
    pub dir: PathBuf,
    /// The model file to write (a new file: an existing one is never replaced).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Which product wrote the exports; guessed from the files' names when absent.
    #[arg(long, value_enum)]
    pub format: Option<Platform>,
    /// Users as `Get-CsUser | Export-Csv` writes them (SipAddress, LineURI, RegistrarPool, ...).
    #[arg(long, value_name = "FILE")]
    pub users_csv: Option<PathBuf>,
}

#[derive(Args)]
pub struct CalibrateArgs {
    /// CDRs: a CSV file, or a folder of them (docs/cdr.md says which layouts are read).
    pub cdrs: PathBuf,
    #[command(flatten)]
    pub model: ModelArg,
    /// The scenario file to write (a new file: an existing one is never replaced).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Simulate the whole day (24 h, each source with its hourly profile) instead of the busy hour.
    #[arg(long)]
    pub day: bool,
    /// The folder of the calibration report (default: beside the scenario, NAME-calibration).
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// A call to the same number by the same caller this soon after a blocked one is its redial (1s-24h).
    #[arg(long, value_name = "DURATION", default_value = "10m")]
    pub redial_window: String,
    #[command(flatten)]
    pub cdr: super::cdr_options::CdrArgs,
}

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// The folder to write (new, or one export wrote before).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Args)]
pub struct ModelArg {
    /// Model file (TOML); the built-in contoso example when omitted.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("caller").required(true).args(["user", "site", "from_trunk"])))]
pub struct RouteArgs {
    #[command(flatten)]
    pub model: ModelArg,
    /// Caller: a user group (its first user), GROUP#INDEX, or a Line URI (+14255550100).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Caller: a user at this site with only site or global dial plan and policy.
    #[arg(long, value_name = "NAME")]
    pub site: Option<String>,
    /// Caller: a call arriving from the peer of this trunk (inbound or inter-trunk).
    #[arg(long, value_name = "NAME")]
    pub from_trunk: Option<String>,
    /// The string dialed (as the user typed it, or as the peer sent it).
    #[arg(long, value_name = "STRING", allow_hyphen_values = true)]
    pub dial: String,
    /// The calling number (defaults to the user's Line URI).
    #[arg(long, value_name = "NUMBER")]
    pub calling: Option<String>,
    /// Trunks (or peers: all their trunks) to treat as down; repeat the
    /// flag or separate names with commas (a name with a comma in it is
    /// taken whole).
    #[arg(long, value_name = "TRUNK,...")]
    pub down: Vec<String>,
    /// Show what this answer from the first trunk's peer (or --on-trunk's)
    /// does: CODE or CODE:ISUP_CAUSE (e.g. 486:34), or no-answer.
    #[arg(long, value_name = "CODE[:CAUSE]")]
    pub response: Option<String>,
    /// With --response: the trunk whose peer answers (one the call tries).
    #[arg(long, value_name = "TRUNK", requires = "response")]
    pub on_trunk: Option<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args)]
pub struct ReportArgs {
    /// A results folder written by run, whatif, sweep or plan.
    pub dir: PathBuf,
}

/// Options shared by the commands that simulate.
#[derive(Args)]
pub struct SimArgs {
    /// Model file replacing the scenario's model.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Seed replacing the scenario's.
    #[arg(long, allow_negative_numbers = true)]
    pub seed: Option<i128>,
    /// Replications replacing the scenario's (with --precision, the first batch).
    #[arg(long, allow_negative_numbers = true)]
    pub replications: Option<u32>,
    /// Add replications until every headline grade of service has a 95%
    /// half-width under this share of its value (or under --precision-floor).
    #[arg(long, value_name = "REL", allow_negative_numbers = true)]
    pub precision: Option<f64>,
    /// With a precision target: a half-width this small is precise enough
    /// whatever the value (a share: 0.001 is a tenth of a percentage point).
    #[arg(long, value_name = "SHARE", allow_negative_numbers = true)]
    pub precision_floor: Option<f64>,
    /// With a precision target: the most replications to run.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_replications: Option<u32>,
    /// Worker threads (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub threads: usize,
    /// Output folder (default: the scenario's `out` folder / the scenario's name).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Also write the design-review report (report.html, report.md, charts/) into the results folder.
    #[arg(long)]
    pub report: bool,
}

#[derive(Args)]
pub struct RunArgs {
    /// Scenario file, or a built-in scenario (busy-hour, single-trunk-group, gateway-failover, n-minus-1).
    #[arg(default_value = "busy-hour")]
    pub scenario: String,
    /// Multiply every source's load, e.g. 1.5 to confirm a plan's growth step with its planned model.
    #[arg(long, value_name = "FACTOR", allow_negative_numbers = true)]
    pub load_factor: Option<f64>,
    /// Also write cdr.csv: every call attempt of replication 1, in voicetwin's CDR layout.
    #[arg(long)]
    pub cdr: bool,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args)]
pub struct WhatifArgs {
    /// Scenario file, or a built-in scenario; its [whatif] section sets the defaults.
    #[arg(default_value = "n-minus-1")]
    pub scenario: String,
    /// Element classes to fail: peer, trunk, mediation-pool, mediation-server, registrar-pool, wan-link, site.
    #[arg(long, value_name = "CLASS,...", value_delimiter = ',')]
    pub elements: Vec<String>,
    /// 1: each element alone (N-1); 2: each pair (N-2).
    #[arg(long, allow_negative_numbers = true)]
    pub k: Option<u8>,
    /// With --k 2, run every pair: also those with an element that alone cuts a site off from the PSTN, and those with an element failing exactly what an earlier one fails.
    #[arg(long)]
    pub all_pairs: bool,
    #[command(flatten)]
    pub shard: ShardArg,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args)]
pub struct SweepArgs {
    /// Scenario file, or a built-in scenario.
    #[arg(default_value = "single-trunk-group")]
    pub scenario: String,
    /// A field and its values, e.g. `model:peer[gw].e1_spans=1,2,3` or
    /// `scenario:source[redmond-out].bhca_per_user=1.5,2`; repeat for a grid.
    #[arg(long = "param", value_name = "PATH=V1,V2,...", required = true)]
    pub params: Vec<String>,
    #[command(flatten)]
    pub shard: ShardArg,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args)]
pub struct PlanArgs {
    /// Scenario file, or a built-in scenario.
    #[arg(default_value = "busy-hour")]
    pub scenario: String,
    /// Target grade of service (blocked share of calls needing a trunk).
    #[arg(long, default_value_t = 0.01, allow_negative_numbers = true)]
    pub target_gos: f64,
    /// Growth factors of the scenario's load.
    #[arg(long, value_delimiter = ',', default_value = "1.0", allow_negative_numbers = true)]
    pub growth: Vec<f64>,
    /// Also size for N-1: the target met with any one peer, Mediation pool or Mediation Server failed for the whole run.
    #[arg(long)]
    pub n_minus_1: bool,
    /// Size WAN links so the calls crossing each have a 5th-percentile MOS of at least this.
    #[arg(long, value_name = "MOS", allow_negative_numbers = true)]
    pub min_mos: Option<f64>,
    /// Largest share of a WAN link voice may take (e.g. 0.33 for a priority queue of a third).
    #[arg(long, default_value_t = 1.0, value_name = "SHARE", allow_negative_numbers = true)]
    pub voice_share: f64,
    /// Let sizes fall below today's, and list what could be released (without it, no size goes below today's).
    #[arg(long)]
    pub allow_shrink: bool,
    #[command(flatten)]
    pub shard: ShardArg,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args)]
pub struct RuleArgs {
    /// The rule's pattern (.NET regular expression).
    #[arg(long, allow_hyphen_values = true)]
    pub pattern: String,
    /// The rule's translation ($1, ${1}, $$, $& ...).
    #[arg(long, allow_hyphen_values = true)]
    pub translation: String,
    /// Numbers to test.
    #[arg(required = true)]
    pub numbers: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args)]
pub struct QosArgs {
    /// Codec, from the documented table (G.711, G.711-PLC, G.729A, G.723.1).
    #[arg(long)]
    pub codec: String,
    /// One-way mouth-to-ear delay Ta in ms (T = Ta, Tr = 2 Ta).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub delay_ms: f64,
    /// Packet loss Ppl in percent.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub loss_pct: f64,
    /// Burst ratio BurstR (1: random loss).
    #[arg(long, default_value_t = 1.0, allow_negative_numbers = true)]
    pub burst_ratio: f64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub model: ModelArg,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Args)]
pub struct ReplayArgs {
    /// A CDR file in voicetwin's layout (the cdr.csv `run --cdr` writes).
    pub cdrs: PathBuf,
    /// Model file (TOML); else the scenario's, else the built-in contoso example.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Scenario file or built-in scenario for signalling, detection and failures (its sources are ignored).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<String>,
    /// A failure: ELEMENT@TIME[+DURATION][:MODE], e.g. peer:gw-red-1@2h30m+1h:silent or
    /// peer:gw-red-1@2026-11-24T10:00; repeat for more.
    #[arg(long = "failure", value_name = "SPEC")]
    pub failures: Vec<String>,
    /// Below 1: each row kept with this probability; above 1: copies added within each row's hour.
    #[arg(long, value_name = "FACTOR", allow_negative_numbers = true)]
    pub load_factor: Option<f64>,
    /// Replay only rows starting at or after this time (e.g. 2026-11-24T09:00).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Replay only rows starting before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    #[command(flatten)]
    pub cdr: super::cdr_options::CdrArgs,
    /// Replications (the trace is fixed; only routing's own draws vary).
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub replications: i64,
    /// Seed replacing the scenario's.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub threads: usize,
    /// Output folder (default: reports/<file name>-replay).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}
