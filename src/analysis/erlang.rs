//! Erlang B: blocking of a loss system (M/G/N/N) under Poisson load; and
//! Engset: the same with a finite number of sources.
//!
//! Written here rather than taken from a crate: each is a few lines, and
//! the stable recursions (`B(0) = 1, B(n) = E·B(n-1) / (n + E·B(n-1))` and
//! its finite-source form) keep them exact for thousands of channels,
//! where the textbook formulas' factorials overflow. They check the
//! simulator and drive dimensioning.

/// Blocking probability of `channels` channels offered `erlangs` Erlangs.
pub fn erlang_b(channels: u32, erlangs: f64) -> f64 {
    if erlangs <= 0.0 {
        return 0.0;
    }
    let mut b = 1.0;
    for n in 1..=channels {
        b = erlangs * b / (f64::from(n) + erlangs * b);
    }
    b
}

/// Fewest channels whose blocking under `erlangs` is at most `gos`.
pub fn channels_for(erlangs: f64, gos: f64) -> u32 {
    if erlangs <= 0.0 {
        return 0;
    }
    let mut b = 1.0;
    let mut n = 0u32;
    while b > gos {
        n += 1;
        b = erlangs * b / (f64::from(n) + erlangs * b);
    }
    n
}

/// Largest load `channels` channels carry at blocking `gos` (bisection).
pub fn offered_for(channels: u32, gos: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, f64::from(channels.max(1)) * 2.0 + 10.0);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if erlang_b(channels, mid) > gos {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    lo
}

/// Engset time congestion: the share of time all `channels` are busy,
/// `sources` sources each offering `beta` Erlangs when idle. The
/// recursion `E(0) = 1, E(x) = (S-x+1)·β·E(x-1) / (x + (S-x+1)·β·E(x-1))`
/// (Iversen, Teletraffic Engineering and Network Planning, ch. 8).
fn engset_time(channels: u32, sources: u32, beta: f64) -> f64 {
    // More channels than sources: some channel is always free.
    if channels > sources || beta <= 0.0 {
        return 0.0;
    }
    let mut e = 1.0;
    for x in 1..=channels {
        let a = f64::from(sources - x + 1) * beta * e;
        e = a / (f64::from(x) + a);
    }
    e
}

/// Engset call congestion: the share of call attempts blocked when
/// `sources` users, each offering `beta` Erlangs while idle (calling at
/// rate β/holding time whenever not on a call), share `channels`
/// channels. An arriving call sees the other S-1 sources, so it is the
/// time congestion of S-1 sources.
pub fn engset(channels: u32, sources: u32, beta: f64) -> f64 {
    if sources == 0 {
        return 0.0;
    }
    engset_time(channels, sources - 1, beta)
}

/// The traffic an idle source offers (β) for `offered` Erlangs offered by
/// `sources` sources in all: each source offers a = A/S, the traffic it
/// would carry if nothing were blocked, and a = β/(1+β).
pub fn engset_beta(offered: f64, sources: u32) -> f64 {
    let a = offered / f64::from(sources.max(1));
    a / (1.0 - a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_table_values() {
        // Standard Erlang B table, 1% grade of service.
        assert!((offered_for(23, 0.01) - 14.47).abs() < 0.01, "T1: {}", offered_for(23, 0.01));
        assert!((offered_for(22, 0.01) - 13.65).abs() < 0.01);
        assert!((offered_for(24, 0.01) - 15.30).abs() < 0.01);
        assert!((offered_for(30, 0.01) - 20.34).abs() < 0.01, "E1: {}", offered_for(30, 0.01));
        assert!((offered_for(10, 0.01) - 4.46).abs() < 0.01);
        assert!((offered_for(100, 0.01) - 84.06).abs() < 0.02);
        assert_eq!(channels_for(20.33, 0.01), 30, "the table rounds 20.337 to 20.34");
        assert_eq!(channels_for(20.34, 0.01), 31);
        assert_eq!(channels_for(14.47, 0.01), 23);
    }

    #[test]
    fn closed_form_for_small_cases() {
        // B(1, E) = E / (1 + E); B(2, E) = (E²/2) / (1 + E + E²/2).
        assert!((erlang_b(1, 3.0) - 0.75).abs() < 1e-12);
        let e: f64 = 2.0;
        let b2 = (e * e / 2.0) / (1.0 + e + e * e / 2.0);
        assert!((erlang_b(2, e) - b2).abs() < 1e-12);
        assert_eq!(erlang_b(10, 0.0), 0.0);
        assert_eq!(erlang_b(0, 5.0), 1.0);
    }

    #[test]
    fn stable_for_large_groups() {
        let b = erlang_b(5000, 4900.0);
        assert!(b.is_finite() && b > 0.0 && b < 0.05, "{b}");
    }

    #[test]
    fn engset_small_cases_by_hand() {
        // Two sources, one channel: a call finds the channel busy when the
        // other source holds it, which it does β/(1+β) of the time.
        let beta = 0.5;
        assert!((engset(1, 2, beta) - beta / (1.0 + beta)).abs() < 1e-12);
        // Five sources on three channels, β = 0.2 (by hand over the other
        // four: C(4,3)β³ / Σ C(4,i)β^i for i = 0..3).
        let num = 4.0 * 0.2f64.powi(3);
        let den = 1.0 + 4.0 * 0.2 + 6.0 * 0.04 + 4.0 * 0.008;
        assert!((engset(3, 5, 0.2) - num / den).abs() < 1e-12);
        // As many channels as sources: never blocked.
        assert_eq!(engset(5, 5, 3.0), 0.0);
        assert_eq!(engset(4, 5, 0.0), 0.0);
    }

    #[test]
    fn engset_tends_to_erlang_b_with_many_sources() {
        let a = 20.34;
        let b = erlang_b(30, a);
        let far = engset(30, 1_000_000, engset_beta(a, 1_000_000));
        assert!((far - b).abs() / b < 1e-3, "{far} vs {b}");
        // Few sources block less than Erlang B at the same offered load.
        let few = engset(30, 40, engset_beta(a, 40));
        assert!(few < b * 0.8, "{few} vs {b}");
        assert!((engset_beta(2.5, 5) - 1.0).abs() < 1e-12, "a = 0.5 per source is β = 1");
    }
}
