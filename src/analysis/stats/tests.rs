//! Checks of the estimators against hand-worked values and theory.

use super::*;

#[test]
fn beta_quantiles_agree_with_statrs_where_it_converges() {
    use statrs::distribution::Beta;
    for (a, b) in [(1.0, 1.0), (2.0, 5.0), (0.5, 0.5), (3.0, 200.0), (150.0, 12.0), (1.0, 1e4), (40.0, 1.0)] {
        for q in [0.025, 0.5, 0.975] {
            let expected = Beta::new(a, b).unwrap().inverse_cdf(q);
            let got = beta_quantile(a, b, q);
            assert!((got - expected).abs() <= 1e-8 * expected.max(1e-12), "Beta({a}, {b}) q {q}: {got} {expected}");
            if a == 1.0 {
                // Beta(1, b): the quantile is 1 − (1 − q)^(1/b).
                let exact = -((1.0 - q).ln() / b).exp_m1();
                assert!((got - exact).abs() <= 1e-9 * exact, "Beta(1, {b}) q {q}: {got} {exact}");
            }
        }
    }
}

#[test]
fn beta_quantiles_end_at_extreme_shapes() {
    for (a, b) in [(1e7, 1.0), (1.0, 1e7), (7.9e4, 1.6e3), (1e8, 1e8), (0.01, 1e6), (1e6, 0.01), (2.5e5, 3.0)] {
        for q in [0.025, 0.975] {
            let x = beta_quantile(a, b, q);
            assert!((0.0..=1.0).contains(&x), "Beta({a}, {b}) q {q}: {x}");
            let cdf = statrs::function::beta::beta_reg(a, b, x);
            // Beta(0.01, 1e6)'s lower quantile is below the smallest float (and
            // its mirror's upper one rounds to 1).
            assert!(
                (cdf - q).abs() < 1e-6 || !(1e-300..=1.0 - 1e-12).contains(&x),
                "Beta({a}, {b}) q {q}: {x} has cdf {cdf}"
            );
        }
    }
}

fn ratio(pairs: &[(u64, u64)]) -> Ratio {
    pairs.iter().copied().collect()
}

fn values(xs: &[f64]) -> Values {
    xs.iter().copied().collect()
}

fn pooled(pairs: &[(f64, u64)]) -> Pooled {
    pairs.iter().copied().collect()
}

#[test]
fn t_quantiles() {
    assert!((t_975(1) - 12.7062).abs() < 1e-4);
    assert!((t_975(10) - 2.2281).abs() < 1e-4);
    assert!((t_975(60) - 2.0003).abs() < 1e-4);
    assert!((t_975(1000) - 1.96234).abs() < 1e-5);
    assert!((t_975(1001) - 1.96233).abs() < 1e-5);
    assert_eq!(t_975(0), f64::INFINITY);
}

#[test]
fn a_proportion_is_the_ratio_of_totals_not_the_mean_of_ratios() {
    // 1 of 10 and 9 of 90: both 10%, pooled 10%; 0 of 1 and 10 of 100:
    // mean of ratios 5%, pooled 10/101.
    let e = Estimate::proportion(&ratio(&[(0, 1), (10, 100)])).unwrap();
    assert!((e.mean - 10.0 / 101.0).abs() < 1e-15);
    assert!(Estimate::proportion(&ratio(&[(0, 0), (0, 0)])).is_none());
    // A replication with nothing offered adds nothing.
    let a = Estimate::proportion(&ratio(&[(3, 100), (5, 100)])).unwrap();
    let b = Estimate::proportion(&ratio(&[(3, 100), (5, 100), (0, 0)])).unwrap();
    assert_eq!(a.mean, b.mean);
}

#[test]
fn no_event_is_an_upper_bound_from_the_trials() {
    let e = Estimate::proportion(&ratio(&[(0, 500), (0, 500)])).unwrap();
    assert_eq!((e.mean, e.ci95_low), (0.0, 0.0));
    // Clopper-Pearson: 1 - 0.025^(1/1000) = 3.682e-3 (the rule of three
    // gives 3e-3 one-sided).
    assert!((e.ci95_high - (1.0 - 0.025f64.powf(1.0 / 1000.0))).abs() < 1e-9, "{e:?}");
    let c = Estimate::count(&values(&[0.0; 10]));
    assert_eq!((c.mean, c.ci95_low), (0.0, 0.0));
    assert!((c.ci95_high - 0.368_887_945).abs() < 1e-6, "{c:?}");
}

#[test]
fn with_one_replication_a_proportion_is_clopper_pearson() {
    // 5 of 100: exact interval [1.643%, 11.284%].
    let e = Estimate::proportion(&ratio(&[(5, 100)])).unwrap();
    assert!((e.ci95_low - 0.016_431).abs() < 1e-5 && (e.ci95_high - 0.112_835).abs() < 1e-5, "{e:?}");
}

#[test]
fn a_proportion_interval_widens_with_the_spread_between_replications() {
    let even = Estimate::proportion(&ratio(&[(10, 1000); 10])).unwrap();
    let clustered = Estimate::proportion(&ratio(&[(0, 1000), (0, 1000), (50, 1000), (0, 1000), (50, 1000)])).unwrap();
    // Even: no spread, so the binomial interval over all 10,000 trials.
    assert!(even.ci95_high - even.ci95_low < 0.005);
    assert!(clustered.ci95_high - clustered.ci95_low > 0.03, "{clustered:?}");
    for e in [even, clustered] {
        assert!(e.ci95_low >= 0.0 && e.ci95_high <= 1.0 && e.contains(e.mean));
    }
}

#[test]
fn all_blocked_stays_within_one() {
    let e = Estimate::proportion(&ratio(&[(10, 10), (20, 20)])).unwrap();
    assert_eq!((e.mean, e.ci95_high), (1.0, 1.0));
    assert!(e.ci95_low > 0.8 && e.ci95_low < 1.0);
}

#[test]
fn counts_never_go_below_zero() {
    // The t interval of these would be [-0.13, 0.33]: one replication
    // in ten saw a blocked call.
    let e = Estimate::count(&values(&[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0]));
    assert!(e.ci95_low > 0.0 && e.ci95_high > 0.2, "{e:?}");
    // Many events: close to the Student-t interval.
    let xs: Vec<f64> = (0..20).map(|i| 1000.0 + f64::from(i % 7) * 10.0).collect();
    let m = xs.iter().sum::<f64>() / 20.0;
    let sd = (xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 19.0).sqrt();
    let half = t_975(19) * sd / 20f64.sqrt();
    let e = Estimate::count(&values(&xs));
    assert!((e.ci95_low - (m - half)).abs() < 0.01 * half && (e.ci95_high - (m + half)).abs() < 0.01 * half);
}

#[test]
fn bounded_figures_stay_in_their_range() {
    let u = Estimate::bounded(&values(&[0.99, 1.0, 0.97, 1.0, 0.999]), 0.0, 1.0);
    assert!(u.ci95_high <= 1.0 && u.ci95_low >= 0.0 && u.contains(u.mean), "{u:?}");
    let mos = Estimate::bounded(&values(&[4.4, 4.41, 4.39]), 1.0, 4.5);
    assert!(mos.contains(4.4) && mos.ci95_high <= 4.5);
}

#[test]
fn weighted_mean_pools_events() {
    // 2 calls of 4.0 and 8 calls of 3.0: 3.2 (the mean of means is 3.5).
    let e = Estimate::weighted_mean(&pooled(&[(8.0, 2), (24.0, 8)]), Range::Within(1.0, 4.5)).unwrap();
    assert!((e.mean - 3.2).abs() < 1e-12);
    assert!(Estimate::weighted_mean(&pooled(&[(0.0, 0)]), Range::NonNegative).is_none());
}

#[test]
fn paired_differences_may_be_negative() {
    let d = Estimate::difference(&values(&[-1.0, 1.0, 0.0, -2.0]));
    assert!(d.ci95_low < 0.0 && d.contains(-0.5));
    let p =
        Estimate::proportion_difference(&[(5, 100), (7, 100)].into_iter().zip([(1, 100), (2, 100)]).collect()).unwrap();
    assert!((p.mean - 0.045).abs() < 1e-12);
}

#[test]
fn beta_quantiles_agree_with_statrs_and_end_where_it_would_not() {
    use statrs::distribution::Beta;
    use statrs::function::beta;
    for a in [0.5, 1.0, 3.0, 20.0, 150.0, 2e3] {
        for ratio in [1.5, 30.0, 1e3, 1e5] {
            let b = a * ratio + 1.0;
            for q in [TAIL, 1.0 - TAIL] {
                let ours = beta_quantile(a, b, q);
                // Within the incomplete beta function's own noise, which
                // grows with b.
                let noise = 1e-12 * (b / 1e4).max(1.0);
                assert!((beta::beta_reg(a, b, ours) - q).abs() < noise, "Beta({a}, {b}) at {q}: {ours}");
                // Never further from it than statrs's answer, which can be
                // off: Beta(3, 300001)'s 2.5% point by 1.1e-5 of itself
                // (its CDF there is 0.0250007).
                if ratio <= 1e3 {
                    let theirs = Beta::new(a, b).unwrap().inverse_cdf(q);
                    let residual = |x: f64| (beta::beta_reg(a, b, x) - q).abs();
                    assert!(residual(ours) <= residual(theirs) + 1e-12, "Beta({a}, {b}) at {q}: {ours} {theirs}");
                    assert!((ours - theirs).abs() <= 1e-8 * theirs, "Beta({a}, {b}) at {q}: {ours} {theirs}");
                }
            }
        }
    }
    // No event in 3,451,217 trials: the exact bound.
    let n = 3_451_217.0;
    let exact = -(TAIL.ln() / n).exp_m1();
    assert!((beta_quantile(1.0, n, 1.0 - TAIL) - exact).abs() < 1e-14 * exact);
    // Rare events over many trials: statrs's inversion loops forever.
    for (a, b) in [(20.0, 2e7), (150.0, 1.5e7), (1.5, 1e9), (0.3, 1e8)] {
        for q in [TAIL, 1.0 - TAIL] {
            let x = beta_quantile(a, b, q);
            assert!(x > 0.0 && (beta::beta_reg(a, b, x) - q).abs() < 1e-8, "Beta({a}, {b}) at {q}: {x}");
        }
    }
}

#[test]
fn wilson_hilferty_agrees_with_the_exact_gamma_where_it_takes_over() {
    for q in [TAIL, 1.0 - TAIL] {
        let exact = Gamma::new(WILSON_HILFERTY_FROM, 1.0).unwrap().inverse_cdf(q);
        let approx = gamma_quantile(WILSON_HILFERTY_FROM, q);
        assert!((exact - approx).abs() / exact < 5e-5, "{exact} {approx}");
        let above = gamma_quantile(WILSON_HILFERTY_FROM * 10.0, q);
        let exact = Gamma::new(WILSON_HILFERTY_FROM * 10.0, 1.0).unwrap().inverse_cdf(q);
        assert!((exact - above).abs() / exact < 5e-6, "{exact} {above}");
    }
}
