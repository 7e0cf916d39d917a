//! How much a figure measured on a few hundred held-out reports can move by chance: bootstrap
//! intervals resampled by event, and the calibration error a perfectly calibrated model would
//! still show at the same size (consistency resampling, Bröcker and Smith 2007).

use std::collections::BTreeMap;

use crate::label::Label;
use crate::train::SplitMix64;

use super::metrics::Metrics;

/// Resamples per interval; enough for stable 2.5% and 97.5% quantiles.
pub const RESAMPLES: usize = 2000;

/// A central 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The 2.5% quantile.
    pub low: f64,
    /// The 97.5% quantile.
    pub high: f64,
}

/// Sampling uncertainty of the held-out figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Uncertainty {
    /// Distinct events the reports belong to: the units the bootstrap draws.
    pub events: usize,
    /// Macro-F1, bootstrapped over events (reports of one event are drawn together, since they
    /// are not independent).
    pub macro_f1: Interval,
    /// Expected calibration error, bootstrapped over events.
    pub ece: Interval,
    /// The 95% quantile of the ECE a perfectly calibrated model with these confidences would show
    /// on a sample of this size: labels drawn from the model's own probabilities. A measured ECE
    /// below it is indistinguishable from perfect calibration at this size.
    pub ece_if_calibrated_95: f64,
}

impl Uncertainty {
    /// Computes the intervals for `scored` (gold label, probabilities), whose `i`-th report
    /// belongs to event `events[i]`, with a fixed `seed`.
    pub fn new(scored: &[(Label, [f64; 4])], events: &[String], seed: u64) -> Uncertainty {
        let mut rng = SplitMix64(seed);
        let groups = event_groups(events);
        let mut f1 = Vec::with_capacity(RESAMPLES);
        let mut ece = Vec::with_capacity(RESAMPLES);
        let mut ece_calibrated = Vec::with_capacity(RESAMPLES);
        let mut sample = Vec::with_capacity(scored.len());
        for _ in 0..RESAMPLES {
            sample.clear();
            sample.extend(draw_events(&mut rng, &groups).map(|i| scored[i]));
            let metrics = Metrics::new(&sample);
            f1.push(metrics.macro_f1);
            ece.push(metrics.ece);

            sample.clear();
            for _ in 0..scored.len() {
                let probs = scored[uniform_index(&mut rng, scored.len())].1;
                sample.push((draw_label(&mut rng, &probs), probs));
            }
            ece_calibrated.push(Metrics::new(&sample).ece);
        }
        Uncertainty {
            events: groups.len(),
            macro_f1: central_interval(&mut f1),
            ece: central_interval(&mut ece),
            ece_if_calibrated_95: quantile(&mut ece_calibrated, 0.95),
        }
    }
}

/// A 95% interval for the change in macro-F1 from `before` to `after`, two scorings of the same
/// reports (the `i`-th of each is report `i`, of event `events[i]`): both are resampled with the
/// same events, so the interval reflects the change, not the spread of either.
pub fn macro_f1_change(
    before: &[(Label, [f64; 4])],
    after: &[(Label, [f64; 4])],
    events: &[String],
    seed: u64,
) -> Interval {
    let mut rng = SplitMix64(seed);
    let groups = event_groups(events);
    let mut changes = Vec::with_capacity(RESAMPLES);
    let (mut sample_before, mut sample_after) = (Vec::new(), Vec::new());
    for _ in 0..RESAMPLES {
        sample_before.clear();
        sample_after.clear();
        for i in draw_events(&mut rng, &groups) {
            sample_before.push(before[i]);
            sample_after.push(after[i]);
        }
        changes.push(Metrics::new(&sample_after).macro_f1 - Metrics::new(&sample_before).macro_f1);
    }
    central_interval(&mut changes)
}

/// Report indices grouped by event, in a fixed (sorted) order.
fn event_groups(events: &[String]) -> Vec<Vec<usize>> {
    let mut by_event: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, event) in events.iter().enumerate() {
        by_event.entry(event).or_default().push(i);
    }
    by_event.into_values().collect()
}

/// The report indices of as many events as there are, drawn with replacement.
fn draw_events<'a>(
    rng: &'a mut SplitMix64,
    groups: &'a [Vec<usize>],
) -> impl Iterator<Item = usize> + 'a {
    (0..groups.len()).flat_map(move |_| groups[uniform_index(rng, groups.len())].iter().copied())
}

/// Uniform in `0..n` (`n > 0`); the modulo bias is below 1e-15 for the sizes used here.
fn uniform_index(rng: &mut SplitMix64, n: usize) -> usize {
    (rng.next() % n as u64) as usize
}

/// A label drawn with the given probabilities.
fn draw_label(rng: &mut SplitMix64, probs: &[f64; 4]) -> Label {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    let mut cumulative = 0.0;
    for (label, p) in Label::ALL.iter().zip(probs) {
        cumulative += p;
        if u < cumulative {
            return *label;
        }
    }
    Label::ALL[3]
}

fn central_interval(values: &mut [f64]) -> Interval {
    Interval {
        low: quantile(values, 0.025),
        high: quantile(values, 0.975),
    }
}

/// Nearest-rank quantile; sorts `values`.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len().max(1));
    values.get(rank - 1).copied().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("event {i}")).collect()
    }

    /// `n` reports cycling through the labels, each predicted with certainty and correctly.
    fn certain_and_right(n: usize) -> Vec<(Label, [f64; 4])> {
        (0..n)
            .map(|i| {
                let label = Label::ALL[i % 4];
                let mut probs = [0.0; 4];
                probs[label.index()] = 1.0;
                (label, probs)
            })
            .collect()
    }

    #[test]
    fn perfect_predictions_have_a_point_interval() {
        let scored = certain_and_right(40);
        let u = Uncertainty::new(&scored, &events(40), 1);
        assert_eq!(
            u.macro_f1,
            Interval {
                low: 1.0,
                high: 1.0
            }
        );
        assert_eq!(
            u.ece,
            Interval {
                low: 0.0,
                high: 0.0
            }
        );
        assert_eq!(u.ece_if_calibrated_95, 0.0);
    }

    #[test]
    fn sampling_noise_shrinks_with_size_and_brackets_the_point_estimate() {
        // Confidence 0.7 on the first label; right 70% of the time: calibrated by construction.
        let make = |n: usize| -> Vec<(Label, [f64; 4])> {
            (0..n)
                .map(|i| {
                    let gold = if i % 10 < 7 {
                        Label::ALL[0]
                    } else {
                        Label::ALL[1]
                    };
                    (gold, [0.7, 0.1, 0.1, 0.1])
                })
                .collect()
        };
        let small = Uncertainty::new(&make(100), &events(100), 3);
        let large = Uncertainty::new(&make(2000), &events(2000), 3);
        assert!(small.ece_if_calibrated_95 > large.ece_if_calibrated_95);
        assert!(large.ece_if_calibrated_95 < 0.05);
        let point = Metrics::new(&make(100)).macro_f1;
        assert!(small.macro_f1.low <= point && point <= small.macro_f1.high);
        assert!(
            small.macro_f1.high - small.macro_f1.low > large.macro_f1.high - large.macro_f1.low
        );
    }

    #[test]
    fn a_paired_change_is_exact_when_every_report_changes_alike() {
        // Every report goes from right to wrong: macro-F1 falls from 1 to 0 in every resample.
        let right = certain_and_right(20);
        let wrong: Vec<(Label, [f64; 4])> = right
            .iter()
            .map(|(label, _)| {
                let mut probs = [0.0; 4];
                probs[(label.index() + 1) % 4] = 1.0;
                (*label, probs)
            })
            .collect();
        let change = macro_f1_change(&right, &wrong, &events(20), 9);
        assert_eq!(
            change,
            Interval {
                low: -1.0,
                high: -1.0
            }
        );
    }

    #[test]
    fn reports_of_one_event_are_drawn_together() {
        // Two events: all of one right, all of the other wrong. Resampling by event can only
        // give accuracy 0, 0.5 or 1, so macro-F1 takes a few values and the interval spans them.
        let mut scored = vec![(Label::ALL[0], [1.0, 0.0, 0.0, 0.0]); 10];
        scored.extend(vec![(Label::ALL[1], [1.0, 0.0, 0.0, 0.0]); 10]);
        let grouped: Vec<String> = (0..20).map(|i| format!("event {}", i / 10)).collect();
        let u = Uncertainty::new(&scored, &grouped, 5);
        assert_eq!(u.ece.low, 0.0);
        assert_eq!(u.ece.high, 1.0);
    }
}
