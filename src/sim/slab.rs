//! Calls in progress, in a slab indexed by `u32`: memory grows with
//! concurrent calls, not with calls simulated, and a freed slot (with its
//! buffers' capacity) is reused by the next call.

/// A slab of `T` with a free list.
#[derive(Debug, Default)]
pub struct Slab<T> {
    items: Vec<T>,
    live: Vec<bool>,
    free: Vec<u32>,
}

impl<T: Default> Slab<T> {
    pub fn new() -> Self {
        Self { items: Vec::new(), live: Vec::new(), free: Vec::new() }
    }

    /// A slot for a new item: a reused one keeps its old contents, for the
    /// caller to reset (so buffers keep their capacity).
    pub fn insert(&mut self) -> u32 {
        if let Some(i) = self.free.pop() {
            self.live[i as usize] = true;
            i
        } else {
            self.items.push(T::default());
            self.live.push(true);
            u32::try_from(self.items.len() - 1).expect("fewer than 2^32 concurrent calls")
        }
    }

    pub fn remove(&mut self, i: u32) {
        debug_assert!(self.live[i as usize], "double free of slot {i}");
        self.live[i as usize] = false;
        self.free.push(i);
    }

    #[inline]
    pub fn get(&self, i: u32) -> &T {
        &self.items[i as usize]
    }

    #[inline]
    pub fn get_mut(&mut self, i: u32) -> &mut T {
        &mut self.items[i as usize]
    }

    /// Items in use.
    pub fn len(&self) -> usize {
        self.items.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Slots ever allocated (the high-water mark of concurrency).
    pub fn capacity(&self) -> usize {
        self.items.len()
    }
}

impl<T> Slab<T> {
    /// Indices of the items in use, in index order.
    pub fn live(&self) -> impl Iterator<Item = u32> + '_ {
        self.live.iter().enumerate().filter(|(_, l)| **l).map(|(i, _)| i as u32)
    }

    /// Whether slot `i` holds an item.
    pub fn is_live(&self, i: u32) -> bool {
        self.live.get(i as usize).copied().unwrap_or(false)
    }
}
