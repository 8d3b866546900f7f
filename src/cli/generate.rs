//! `voicetwin generate`: an enterprise-shaped model and its busy-hour
//! scenario, written into a folder of their own.

use voicetwin::generate::{self, Options, MODEL_FILE, SCENARIO_FILE};
use voicetwin::limits::{self, grouped};
use voicetwin::report::folder::{FolderError, ResultsFolder};

use super::args::GenerateArgs;
use super::setup::emit;
use super::Failure;

pub fn generate(a: GenerateArgs) -> Result<(), Failure> {
    let sites =
        limits::generate::SITES.check(a.sites).map_err(|e| Failure::Input(format!("--sites {}: {e}", a.sites)))?;
    let seed = i64::try_from(a.seed)
        .map_err(|_| format!("{} is out of range; it must be between 0 and {}", a.seed, grouped(i64::MAX)))
        .and_then(|s| limits::generate::SEED.check(s))
        .map_err(|e| Failure::Input(format!("--seed {}: {e}", a.seed)))?;
    let options = Options { sites: sites as u32, seed: seed as u64 };
    let g = generate::generate(&options).map_err(Failure::Input)?;
    // A folder of its own, as `export` writes: files generate wrote before
    // are replaced, anyone else's file in the way is refused.
    let names = [MODEL_FILE.to_owned(), SCENARIO_FILE.to_owned()];
    let mut folder = ResultsFolder::create(&a.out, "generate", &names).map_err(|e| match e {
        FolderError::Io(m) => Failure::Input(format!("--out: {m}")),
        e => Failure::Folder(e),
    })?;
    folder.write(MODEL_FILE, &g.model)?;
    folder.write(SCENARIO_FILE, &g.scenario)?;
    let dir = folder.commit()?;
    let (model, scenario) = (dir.join(MODEL_FILE), dir.join(SCENARIO_FILE));
    emit(&format!(
        "{}: {} site(s) in {} countr{} ({} central, {} SBA branch(es), {} branch(es) homed on a central site), {} \
         PSTN gateway(s) and SIP trunk(s), {} users\n{}: its busy hour\nvoicetwin check --model {}; voicetwin run {}; voicetwin whatif {}\n",
        model.display(),
        grouped(i64::from(options.sites)),
        g.countries,
        if g.countries == 1 { "y" } else { "ies" },
        g.central_sites,
        g.sba_branches,
        (options.sites as usize).saturating_sub(g.central_sites + g.sba_branches),
        g.gateways,
        grouped(g.users as i64),
        scenario.display(),
        model.display(),
        scenario.display(),
        scenario.display(),
    ))
}
