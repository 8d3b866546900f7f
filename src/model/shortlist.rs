//! A short list held inline: a path's links or CAC elements, worked out
//! per call from a shared tree instead of read from an all-pairs table,
//! without a heap allocation for the few hops a WAN path has.

use std::ops::Deref;

/// Items held inline; a longer list moves to the heap.
const INLINE: usize = 8;

/// A list of `Copy` items, inline up to eight.
#[derive(Debug, Clone)]
pub struct ShortList<T: Copy + Default> {
    inline: [T; INLINE],
    len: usize,
    /// All items, once there are more than fit inline.
    heap: Vec<T>,
}

impl<T: Copy + Default> Default for ShortList<T> {
    fn default() -> Self {
        Self { inline: [T::default(); INLINE], len: 0, heap: Vec::new() }
    }
}

impl<T: Copy + Default> ShortList<T> {
    /// Appends `item`.
    #[inline]
    pub fn push(&mut self, item: T) {
        if self.len < INLINE {
            self.inline[self.len] = item;
        } else {
            if self.len == INLINE {
                self.heap.extend_from_slice(&self.inline);
            }
            self.heap.push(item);
        }
        self.len += 1;
    }

    /// Appends every item of `items`.
    pub fn extend_from_slice(&mut self, items: &[T]) {
        items.iter().for_each(|&i| self.push(i));
    }

    /// Reverses the list in place (paths are found from their far end).
    pub fn reverse(&mut self) {
        self.as_mut_slice().reverse();
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        if self.len <= INLINE {
            &mut self.inline[..self.len]
        } else {
            &mut self.heap
        }
    }
}

impl<T: Copy + Default> Deref for ShortList<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        if self.len <= INLINE {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }
}

impl<'a, T: Copy + Default> IntoIterator for &'a ShortList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Copy + Default + PartialEq> PartialEq for ShortList<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Copy + Default + Eq> Eq for ShortList<T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_to_the_heap_and_reverses() {
        for n in [0u32, 1, 7, 8, 9, 30] {
            let mut l = ShortList::default();
            (0..n).for_each(|i| l.push(i));
            assert_eq!(&*l, (0..n).collect::<Vec<_>>().as_slice());
            l.reverse();
            assert_eq!(&*l, (0..n).rev().collect::<Vec<_>>().as_slice());
        }
    }
}
