//! The shape of a generated enterprise, drawn from the seed before any
//! text is written: countries, their central sites and branches, who is
//! homed where, DID blocks, users and capacities.
//!
//! Every draw comes from a named stream of `crate::rng`, so the same
//! sites and seed give the same enterprise on any machine.

use rand::RngExt;

use super::countries::{Country, COUNTRIES};
use crate::rng::{stream, Stream};

/// Sites per country while the table has countries left: about 20-30,
/// as a multinational's country organisations are.
const COUNTRY_SITES: std::ops::RangeInclusive<usize> = 20..=30;
/// A country with at least this many sites has two central sites.
pub const TWO_HUBS_FROM: usize = 25;
/// Users of a central site.
const CENTRAL_USERS: std::ops::RangeInclusive<u32> = 1_000..=5_000;
/// Users of a branch (drawn log-uniformly: most branches are small).
const BRANCH_USERS: (f64, f64) = (20.0, 500.0);

/// What a site is in the voice design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A central site: Front End pool, stand-alone Mediation pool and a
    /// gateway pair.
    Central,
    /// A branch with a Survivable Branch Appliance and its own gateway.
    Sba,
    /// A branch without a gateway, homed on its country's central pool.
    Homed,
}

/// One site of the plan.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub kind: Kind,
    /// The central site (an index into the country's sites) it is homed
    /// on and linked to; a central site names itself.
    pub hub: usize,
    pub users: u32,
    /// Busy-hour call attempts per user.
    pub bhca: f64,
    /// Area code digits.
    pub area: String,
    /// National significant number of its first user: area, exchange,
    /// then "0000".
    pub first_nsn: String,
    /// WAN link to its hub: one-way delay (ms), jitter (ms), loss (%).
    pub link: (u32, u32, f64),
}

/// One country of the plan.
#[derive(Debug, Clone)]
pub struct CountryPlan {
    pub country: &'static Country,
    /// Central sites first (one or two), then branches.
    pub sites: Vec<Site>,
    /// Sessions of the ITSP SIP trunk at the first central site, if the
    /// country has one.
    pub itsp_sessions: Option<u32>,
    /// The country its users call most abroad, per site.
    pub foreign: Vec<&'static Country>,
    /// One-way delay (ms) of the backbone link from its first central
    /// site to the next country's.
    pub backbone_delay: u32,
}

impl CountryPlan {
    /// Indices of the central sites.
    pub fn hubs(&self) -> impl Iterator<Item = usize> + '_ {
        self.sites.iter().enumerate().filter(|(_, s)| s.kind == Kind::Central).map(|(i, _)| i)
    }

    /// The users homed on central site `hub`'s pool: its own and those of
    /// the branches without a gateway linked to it (the calls its gateway
    /// pair carries first).
    pub fn homed_users(&self, hub: usize) -> u32 {
        self.sites.iter().filter(|s| s.hub == hub && s.kind != Kind::Sba).map(|s| s.users).sum()
    }

    /// The users whose PSTN calls reach central site `hub`'s gateways:
    /// every site linked to it (SBA branches for national and
    /// international calls).
    pub fn served_users(&self, hub: usize) -> u32 {
        self.sites.iter().filter(|s| s.hub == hub).map(|s| s.users).sum()
    }
}

/// The whole enterprise.
#[derive(Debug, Clone)]
pub struct Plan {
    pub countries: Vec<CountryPlan>,
}

/// Draws the enterprise of `sites` sites (at least 1) from `seed`.
pub fn draw(sites: usize, seed: u64) -> Plan {
    let mut order: Vec<&'static Country> = COUNTRIES.iter().collect();
    shuffle(&mut order, &mut stream(seed, 0, "generate/countries"));
    let sizes = country_sizes(sites, &mut stream(seed, 0, "generate/sizes"));
    let countries = sizes
        .iter()
        .zip(&order)
        .map(|(&n, &country)| {
            let mut rng = stream(seed, 0, &format!("generate/country/{}", country.iso));
            draw_country(country, n, &order, &mut rng)
        })
        .collect();
    Plan { countries }
}

/// Sites per country: 20-30 each while the table lasts (the last takes
/// what is left), evenly more each beyond it.
fn country_sizes(sites: usize, rng: &mut Stream) -> Vec<usize> {
    let most = COUNTRIES.len();
    if sites > most * *COUNTRY_SITES.start() {
        let each = sites / most;
        let extra = sites % most;
        return (0..most).map(|i| each + usize::from(i < extra)).collect();
    }
    let mut sizes = Vec::new();
    let mut left = sites;
    while left > 0 {
        let n = rng.random_range(COUNTRY_SITES).min(left);
        sizes.push(n);
        left -= n;
    }
    sizes
}

fn draw_country(country: &'static Country, n: usize, all: &[&'static Country], rng: &mut Stream) -> CountryPlan {
    let hubs = if n >= TWO_HUBS_FROM { 2 } else { 1 };
    let blocks = did_blocks(country, n, rng);
    let mut sites = Vec::with_capacity(n);
    for (i, (area, first_nsn)) in blocks.into_iter().enumerate() {
        let central = i < hubs;
        let (name, kind, hub, users) = if central {
            let users = rng.random_range(CENTRAL_USERS) / 50 * 50;
            (format!("{}-{}", country.iso, country.cities[i]), Kind::Central, i, users)
        } else {
            let (lo, hi) = BRANCH_USERS;
            let users = (lo * (hi / lo).powf(rng.random::<f64>())).round() as u32;
            // Larger branches more often keep their own gateway and an SBA.
            let sba_share = if users >= 150 { 0.7 } else { 0.25 };
            let kind = if rng.random::<f64>() < sba_share { Kind::Sba } else { Kind::Homed };
            (format!("{}-B{:03}", country.iso, i - hubs + 1), kind, (i - hubs) % hubs, users.max(1))
        };
        let bhca = f64::from(rng.random_range(5u32..=8)) * 0.05;
        let link = if central && i == 0 {
            (0, 0, 0.0)
        } else if central {
            (rng.random_range(4..=9), 1, 0.01)
        } else {
            (rng.random_range(10..=40), rng.random_range(1..=5), f64::from(rng.random_range(1u32..=20)) / 100.0)
        };
        sites.push(Site { name, kind, hub, users, bhca, area, first_nsn, link });
    }
    let itsp_sessions = (rng.random::<f64>() < 0.4).then(|| rng.random_range(3u32..=12) * 10);
    let others: Vec<&'static Country> = all.iter().copied().filter(|c| c.iso != country.iso).collect();
    let foreign = sites.iter().map(|_| others[rng.random_range(0..others.len())]).collect();
    let backbone_delay = rng.random_range(30..=150);
    CountryPlan { country, sites, itsp_sessions, foreign, backbone_delay }
}

/// `n` distinct DID blocks of the country, (area code, first national
/// number): each site in an area of its own while there are areas left,
/// then sites share areas on different exchanges.
fn did_blocks(country: &Country, n: usize, rng: &mut Stream) -> Vec<(String, String)> {
    let first = 10usize.pow(country.area as u32 - 1);
    let mut areas: Vec<usize> = (2 * first..9 * first).collect();
    shuffle(&mut areas, rng);
    let used = areas.len().min(n).max(1);
    let exchange = country.exchange_digits() - 1;
    (0..n)
        .map(|i| {
            let area = format!("{:0w$}", areas[i % used], w = country.area);
            let first_nsn = format!("{area}5{:0w$}0000", i / used, w = exchange);
            (area, first_nsn)
        })
        .collect()
}

/// Fisher-Yates on one of the generator's streams.
fn shuffle<T>(items: &mut [T], rng: &mut Stream) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up_and_blocks_are_distinct() {
        for sites in [1, 10, 29, 60, 1_000, 5_000] {
            let plan = draw(sites, 7);
            let total: usize = plan.countries.iter().map(|c| c.sites.len()).sum();
            assert_eq!(total, sites);
            for c in &plan.countries {
                let mut blocks: Vec<&str> = c.sites.iter().map(|s| s.first_nsn.as_str()).collect();
                assert!(blocks.iter().all(|b| b.len() == c.country.nsn));
                blocks.sort_unstable();
                blocks.dedup();
                assert_eq!(blocks.len(), c.sites.len(), "{}", c.country.iso);
                assert!(c.sites.len() <= c.country.blocks());
            }
        }
    }
}
