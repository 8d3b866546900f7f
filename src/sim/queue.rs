//! The event queue: a binary heap over (time, insertion order), so events
//! at the same microsecond run in the order they were scheduled.
//! Hand-written because it is small and on the hottest path.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// `key` is (time << 64) | insertion number: one comparison orders both.
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // Reversed: BinaryHeap is a max-heap, the earliest event comes first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// Pending events ordered by time, then by scheduling order.
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: u64,
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> EventQueue<E> {
    pub fn new() -> Self {
        Self { heap: BinaryHeap::with_capacity(1024), seq: 0, now: 0 }
    }

    /// The time of the event last popped (µs).
    #[inline]
    pub fn now(&self) -> u64 {
        self.now
    }

    /// Schedules `event` at `time` (never before now).
    #[inline]
    pub fn schedule(&mut self, time: u64, event: E) {
        let time = time.max(self.now);
        self.heap.push(Entry { key: (u128::from(time) << 64) | u128::from(self.seq), event });
        self.seq += 1;
    }

    /// The next event, advancing the clock to it.
    #[inline]
    pub fn pop(&mut self) -> Option<(u64, E)> {
        let e = self.heap.pop()?;
        self.now = (e.key >> 64) as u64;
        Some((self.now, e.event))
    }

    /// Events pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_order_then_insertion_order() {
        let mut q = EventQueue::new();
        q.schedule(20, 'a');
        q.schedule(10, 'b');
        q.schedule(20, 'c');
        q.schedule(10, 'd');
        let order: Vec<char> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ['b', 'd', 'a', 'c']);
        assert_eq!(q.now(), 20);
    }

    #[test]
    fn pops_agree_with_a_sorted_reference_under_interleaving() {
        // A deterministic scramble of times with many ties, pops mixed in.
        let mut q = EventQueue::new();
        let mut reference: Vec<(u64, u32)> = Vec::new(); // (clamped time, insertion), payload = insertion
        let mut x = 12345u64;
        for i in 0..5000u32 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let t = q.now() + (x >> 33) % 300;
            q.schedule(t, i);
            reference.push((t, i));
            if i % 3 == 0 {
                reference.sort();
                assert_eq!(q.pop(), Some(reference.remove(0)));
            }
        }
        reference.sort();
        for r in reference {
            assert_eq!(q.pop(), Some(r));
        }
        assert!(q.is_empty());
    }

    #[test]
    fn the_past_is_clamped_to_now() {
        let mut q = EventQueue::new();
        q.schedule(50, 1);
        q.pop();
        q.schedule(10, 2);
        assert_eq!(q.pop(), Some((50, 2)));
    }
}
