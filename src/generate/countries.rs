//! The countries a generated enterprise has offices in, each numbered and
//! dialed as its own PSTN is: E.164 country code, length of a national
//! significant number, trunk (national) prefix, international prefix.
//!
//! Every country has a country code of its own (the US stands for the
//! North American Numbering Plan), and its emergency numbers are those
//! `src/model/emergency.rs` gives its ISO code, so `voicetwin whatif`
//! checks them without `emergency_numbers` in the model.

/// How a country's numbers are written and dialed.
#[derive(Debug, Clone, Copy)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code: the sites' `country`, and their names' prefix.
    pub iso: &'static str,
    /// What the network's regions are called.
    pub name: &'static str,
    /// E.164 country code, digits.
    pub code: &'static str,
    /// Digits of a national significant number (after the country code).
    pub nsn: usize,
    /// Digits of an area code, the first digits of a national number.
    pub area: usize,
    /// Dialed before a national number ("0" in most of Europe, "1" in
    /// North America, "" where numbering is closed).
    pub trunk_prefix: &'static str,
    /// Dialed before a country code ("00", "011", "010" ...).
    pub intl_prefix: &'static str,
    /// The offices' time zone (IANA).
    pub zone: &'static str,
    /// Where the central sites are: the first city, and the second for a
    /// country large enough to have two.
    pub cities: [&'static str; 2],
    /// Gateways on T1 spans (North America) rather than E1.
    pub t1: bool,
}

/// A row of the table: `digits` are (national number, area code),
/// `prefixes` (trunk, international).
const fn c(
    iso: &'static str,
    name: &'static str,
    code: &'static str,
    (nsn, area): (usize, usize),
    (trunk_prefix, intl_prefix): (&'static str, &'static str),
    zone: &'static str,
    cities: [&'static str; 2],
) -> Country {
    Country { iso, name, code, nsn, area, trunk_prefix, intl_prefix, zone, cities, t1: false }
}

/// The table: 41 countries, each with an E.164 code of its own.
pub const COUNTRIES: &[Country] = &[
    Country {
        t1: true,
        ..c("US", "UnitedStates", "1", (10, 3), ("1", "011"), "America/Chicago", ["Chicago", "Dallas"])
    },
    c("GB", "UnitedKingdom", "44", (10, 3), ("0", "00"), "Europe/London", ["London", "Manchester"]),
    c("IE", "Ireland", "353", (9, 2), ("0", "00"), "Europe/Dublin", ["Dublin", "Cork"]),
    c("AU", "Australia", "61", (9, 1), ("0", "0011"), "Australia/Sydney", ["Sydney", "Melbourne"]),
    c("NZ", "NewZealand", "64", (8, 1), ("0", "00"), "Pacific/Auckland", ["Auckland", "Wellington"]),
    c("AT", "Austria", "43", (10, 3), ("0", "00"), "Europe/Vienna", ["Vienna", "Graz"]),
    c("BE", "Belgium", "32", (8, 1), ("0", "00"), "Europe/Brussels", ["Brussels", "Antwerp"]),
    c("BG", "Bulgaria", "359", (8, 1), ("0", "00"), "Europe/Sofia", ["Sofia", "Plovdiv"]),
    c("HR", "Croatia", "385", (8, 1), ("0", "00"), "Europe/Zagreb", ["Zagreb", "Split"]),
    c("CY", "Cyprus", "357", (8, 2), ("", "00"), "Asia/Nicosia", ["Nicosia", "Limassol"]),
    c("CZ", "Czechia", "420", (9, 3), ("", "00"), "Europe/Prague", ["Prague", "Brno"]),
    c("DK", "Denmark", "45", (8, 2), ("", "00"), "Europe/Copenhagen", ["Copenhagen", "Aarhus"]),
    c("EE", "Estonia", "372", (8, 1), ("", "00"), "Europe/Tallinn", ["Tallinn", "Tartu"]),
    c("FI", "Finland", "358", (9, 2), ("0", "00"), "Europe/Helsinki", ["Helsinki", "Tampere"]),
    c("FR", "France", "33", (9, 1), ("0", "00"), "Europe/Paris", ["Paris", "Lyon"]),
    c("DE", "Germany", "49", (10, 3), ("0", "00"), "Europe/Berlin", ["Frankfurt", "Munich"]),
    c("GR", "Greece", "30", (10, 3), ("", "00"), "Europe/Athens", ["Athens", "Thessaloniki"]),
    c("HU", "Hungary", "36", (8, 1), ("06", "00"), "Europe/Budapest", ["Budapest", "Debrecen"]),
    c("IT", "Italy", "39", (10, 2), ("", "00"), "Europe/Rome", ["Milan", "Rome"]),
    c("LV", "Latvia", "371", (8, 2), ("", "00"), "Europe/Riga", ["Riga", "Daugavpils"]),
    c("LT", "Lithuania", "370", (8, 2), ("8", "00"), "Europe/Vilnius", ["Vilnius", "Kaunas"]),
    c("LU", "Luxembourg", "352", (8, 2), ("", "00"), "Europe/Luxembourg", ["Luxembourg", "EschSurAlzette"]),
    c("MT", "Malta", "356", (8, 2), ("", "00"), "Europe/Malta", ["Valletta", "Birkirkara"]),
    c("NL", "Netherlands", "31", (9, 2), ("0", "00"), "Europe/Amsterdam", ["Amsterdam", "Rotterdam"]),
    c("PL", "Poland", "48", (9, 2), ("", "00"), "Europe/Warsaw", ["Warsaw", "Krakow"]),
    c("PT", "Portugal", "351", (9, 2), ("", "00"), "Europe/Lisbon", ["Lisbon", "Porto"]),
    c("RO", "Romania", "40", (9, 2), ("0", "00"), "Europe/Bucharest", ["Bucharest", "Cluj"]),
    c("SK", "Slovakia", "421", (9, 2), ("0", "00"), "Europe/Bratislava", ["Bratislava", "Kosice"]),
    c("SI", "Slovenia", "386", (8, 1), ("0", "00"), "Europe/Ljubljana", ["Ljubljana", "Maribor"]),
    c("ES", "Spain", "34", (9, 2), ("", "00"), "Europe/Madrid", ["Madrid", "Barcelona"]),
    c("SE", "Sweden", "46", (9, 2), ("0", "00"), "Europe/Stockholm", ["Stockholm", "Gothenburg"]),
    c("NO", "Norway", "47", (8, 2), ("", "00"), "Europe/Oslo", ["Oslo", "Bergen"]),
    c("CH", "Switzerland", "41", (9, 2), ("0", "00"), "Europe/Zurich", ["Zurich", "Geneva"]),
    c("IN", "India", "91", (10, 3), ("0", "00"), "Asia/Kolkata", ["Mumbai", "Bangalore"]),
    c("JP", "Japan", "81", (10, 2), ("0", "010"), "Asia/Tokyo", ["Tokyo", "Osaka"]),
    c("CN", "China", "86", (11, 3), ("0", "00"), "Asia/Shanghai", ["Shanghai", "Beijing"]),
    c("HK", "HongKong", "852", (8, 1), ("", "001"), "Asia/Hong_Kong", ["HongKong", "Kowloon"]),
    c("SG", "Singapore", "65", (8, 1), ("", "001"), "Asia/Singapore", ["Singapore", "Jurong"]),
    c("ZA", "SouthAfrica", "27", (9, 2), ("0", "00"), "Africa/Johannesburg", ["Johannesburg", "CapeTown"]),
    c("BR", "Brazil", "55", (10, 2), ("0", "0021"), "America/Sao_Paulo", ["SaoPaulo", "RioDeJaneiro"]),
    c("MX", "Mexico", "52", (10, 2), ("", "00"), "America/Mexico_City", ["MexicoCity", "Monterrey"]),
];

impl Country {
    /// Digits of a site's exchange: what is left of a national number
    /// after the area code and the four digits of a user's extension.
    pub fn exchange_digits(&self) -> usize {
        self.nsn - self.area - 4
    }

    /// How many distinct DID blocks of 10,000 numbers the country can
    /// give its sites: area codes starting 2-8, exchanges starting 5.
    pub fn blocks(&self) -> usize {
        7 * 10usize.pow(self.area as u32 - 1) * 10usize.pow(self.exchange_digits() as u32 - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_numbers_leave_room_for_an_exchange() {
        let mut codes: Vec<&str> = COUNTRIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), COUNTRIES.len());
        for c in COUNTRIES {
            assert!(c.exchange_digits() >= 2, "{}", c.iso);
            assert!(crate::model::emergency::for_country(c.iso).is_some(), "{}", c.iso);
            // No code is a prefix of another: an international number
            // names exactly one country.
            for d in COUNTRIES {
                assert!(c.iso == d.iso || !d.code.starts_with(c.code), "{} {}", c.iso, d.iso);
            }
        }
    }
}
