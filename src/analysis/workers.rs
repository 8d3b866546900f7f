//! Replications run in parallel a batch at a time, and handed on in
//! index order.
//!
//! Floating-point sums depend on the order of their terms: results fold
//! replications in index order, whichever thread finished first, so every
//! figure is the same on any thread count. Only one batch is held at
//! once, so memory is fixed by the batch, not by the number of
//! replications.

use std::ops::Range;

use rayon::prelude::*;

use super::AnalysisError;

/// Replications per thread in a batch: enough that threads seldom wait
/// for the slowest replication of a batch, few enough that a batch holds
/// little memory.
pub const BATCH_PER_THREAD: u32 = 8;

/// The threads replications run on.
pub struct Workers {
    /// `None`: the calling thread alone.
    pool: Option<rayon::ThreadPool>,
}

impl Workers {
    /// `threads` worker threads (0: one per core). With 1, no pool: work
    /// runs in the calling thread, which may itself be another pool's
    /// task (a sweep's points, each in its own thread).
    pub fn new(threads: usize) -> Result<Self, AnalysisError> {
        if threads == 1 {
            return Ok(Self { pool: None });
        }
        Ok(Self { pool: Some(pool(threads)?) })
    }

    /// Threads in use.
    pub fn threads(&self) -> usize {
        self.pool.as_ref().map_or(1, |p| p.current_num_threads())
    }

    /// Replications run at once.
    pub fn batch(&self) -> u32 {
        BATCH_PER_THREAD * self.threads() as u32
    }

    /// Runs `one(i)` for every `i` in `range`, a batch at a time in
    /// parallel, and hands each result to `fold` in index order.
    pub fn in_order<T: Send>(&self, range: Range<u32>, one: impl Fn(u32) -> T + Sync, mut fold: impl FnMut(T)) {
        let Some(pool) = &self.pool else {
            range.for_each(|i| fold(one(i)));
            return;
        };
        let mut start = range.start;
        while start < range.end {
            let end = start.saturating_add(self.batch()).min(range.end);
            let batch: Vec<T> = pool.install(|| (start..end).into_par_iter().map(&one).collect());
            batch.into_iter().for_each(&mut fold);
            start = end;
        }
    }

    /// Runs `f` on every item, in parallel: each item's result must not
    /// depend on the others.
    pub fn for_each_mut<T: Send>(&self, items: &mut [T], f: impl Fn(&mut T) + Sync + Send) {
        match &self.pool {
            None => items.iter_mut().for_each(f),
            Some(pool) => pool.install(|| items.par_iter_mut().for_each(f)),
        }
    }
}

/// A pool of `threads` worker threads (0: one per core), the one way
/// every command starts its threads.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool, AnalysisError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| AnalysisError::Workers { threads, message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_index_order_on_any_thread_count() {
        for threads in [1, 2, 3] {
            let w = Workers::new(threads).unwrap();
            let mut seen = Vec::new();
            w.in_order(3..100, |i| i * 2, |x| seen.push(x));
            assert_eq!(seen, (3..100).map(|i| i * 2).collect::<Vec<_>>());
        }
    }
}
