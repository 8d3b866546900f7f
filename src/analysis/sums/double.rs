//! Double-double arithmetic: a value as the unevaluated sum of two f64s,
//! about 106 bits, enough to combine exact 128-bit moments without
//! losing what their cancellation leaves.

/// A double-double: an unevaluated sum of two f64s, about 106 bits.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dd(f64, f64);

impl Dd {
    pub(super) const ZERO: Dd = Dd(0.0, 0.0);

    /// x as hi + lo, hi the nearest f64: exact up to 2^106. (`hi as
    /// i128` saturates only when x is within an ulp of the type's end,
    /// where lo is then off by one in 2^127.)
    pub(super) fn from_i128(x: i128) -> Self {
        let hi = x as f64;
        Dd(hi, x.saturating_sub(hi as i128) as f64)
    }

    pub(super) fn from_u128(x: u128) -> Self {
        let hi = x as f64;
        let h = hi as u128;
        Dd(hi, if h >= x { -((h - x) as f64) } else { (x - h) as f64 })
    }

    pub(super) fn value(self) -> f64 {
        self.0 + self.1
    }

    /// s + e = a + b exactly, with s = fl(a + b).
    fn two_sum(a: f64, b: f64) -> Self {
        let s = a + b;
        let bb = s - a;
        Dd(s, (a - (s - bb)) + (b - bb))
    }

    /// Renormalizes a hi + lo whose lo may overlap hi.
    fn renormalized(hi: f64, lo: f64) -> Self {
        let s = hi + lo;
        Dd(s, lo - (s - hi))
    }
}

impl std::ops::Add for Dd {
    type Output = Dd;
    fn add(self, o: Dd) -> Dd {
        let Dd(s, e) = Dd::two_sum(self.0, o.0);
        Dd::renormalized(s, e + self.1 + o.1)
    }
}

impl std::ops::Mul for Dd {
    type Output = Dd;
    fn mul(self, o: Dd) -> Dd {
        let p = self.0 * o.0;
        let e = self.0.mul_add(o.0, -p);
        Dd::renormalized(p, e + self.0 * o.1 + self.1 * o.0)
    }
}

impl std::ops::Mul<f64> for Dd {
    type Output = Dd;
    fn mul(self, sign: f64) -> Dd {
        Dd(self.0 * sign, self.1 * sign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_sums_keep_what_f64_loses() {
        // x² − (9·2^60 + 6·2^30) = 1 for x = 3·2^30 + 1: in f64, x² loses
        // the 1 (it needs 64 bits).
        let x = (3u128 << 30) + 1;
        assert_eq!((x * x - ((9u128 << 60) + (6u128 << 30))) as f64, 1.0);
        assert_eq!((x as f64) * (x as f64) - ((9u128 << 60) + (6u128 << 30)) as f64, 0.0);
        let x = Dd::from_u128(x);
        assert_eq!((x * x + Dd::from_u128((9u128 << 60) + (6u128 << 30)) * -1.0).value(), 1.0);
        assert_eq!(Dd::from_i128(-(1i128 << 100) - 7).value(), -((1u128 << 100) as f64));
    }
}
