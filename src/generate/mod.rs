//! Enterprise-shaped networks of any size, for trying voicetwin at scale
//! (`voicetwin generate`, docs/commands.md): a pure function from a number
//! of sites and a seed to a model file and a scenario file.
//!
//! The shape is how large Lync Server 2013 deployments are built:
//! countries of about 20-30 sites, each with one central site (two in a
//! large country) holding a Front End pool, a stand-alone Mediation pool
//! and a PSTN gateway pair, branches with a Survivable Branch Appliance
//! and its own gateway or homed on the central pool, hub-and-spoke WAN
//! links policed by call admission control, and a backbone between the
//! central sites. Each country is closed on itself: its users' routes,
//! its calls and their media reach only its own gateways, trunks,
//! Mediation pools and policed links, so a failure in one country never
//! changes a figure of another.

pub mod countries;
mod model;
pub mod plan;
mod scenario;
mod traffic;

use crate::limits::{self, grouped};

/// What to generate: both ranges are `limits::generate`'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Sites, 1 to `limits::generate::SITES.max`.
    pub sites: u32,
    /// Seeds every draw, and the scenario's own `seed`.
    pub seed: u64,
}

/// A generated network: the two files' text and what they hold.
#[derive(Debug, Clone)]
pub struct Generated {
    pub model: String,
    pub scenario: String,
    pub countries: usize,
    pub central_sites: usize,
    pub sba_branches: usize,
    pub gateways: usize,
    pub users: u64,
}

/// The file name the scenario names its model by: both are written into
/// one folder.
pub const MODEL_FILE: &str = "model.toml";
pub const SCENARIO_FILE: &str = "scenario.toml";

/// Generates the network of `options`; an option out of its range is an
/// error naming the option (`sites`, `seed`).
pub fn generate(options: &Options) -> Result<Generated, String> {
    let sites = limits::generate::SITES.check(i64::from(options.sites)).map_err(|e| format!("sites: {e}"))?;
    let seed = i64::try_from(options.seed)
        .map_err(|_| format!("seed: {} is more than {}", options.seed, grouped(i64::MAX)))
        .and_then(|s| limits::generate::SEED.check(s).map_err(|e| format!("seed: {e}")))?;
    let plan = plan::draw(sites as usize, seed as u64);
    let countries = plan.countries.len();
    let title = format!(
        "Generated enterprise, {} site(s) in {countries} countr{} (seed {seed})",
        grouped(sites),
        if countries == 1 { "y" } else { "ies" }
    );
    let all = || plan.countries.iter().flat_map(|c| c.sites.iter());
    let central_sites = all().filter(|s| s.kind == plan::Kind::Central).count();
    let sba_branches = all().filter(|s| s.kind == plan::Kind::Sba).count();
    let itsps = plan.countries.iter().filter(|c| c.itsp_sessions.is_some()).count();
    Ok(Generated {
        model: model::write(&plan, &title),
        scenario: scenario::write(&plan, &title, MODEL_FILE, seed as u64),
        countries,
        central_sites,
        sba_branches,
        gateways: 2 * central_sites + sba_branches + itsps,
        users: all().map(|s| u64::from(s.users)).sum(),
    })
}
