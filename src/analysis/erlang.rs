//! Erlang B: blocking of a loss system (M/G/N/N) under Poisson load.
//!
//! Written here rather than taken from a crate: it is a few lines, and the
//! stable recursion `B(0) = 1, B(n) = E·B(n-1) / (n + E·B(n-1))` is what
//! keeps it exact for thousands of channels, where the textbook formula's
//! factorials overflow. It checks the simulator and drives dimensioning.

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
}
