//! A slab of nodes linked into doubly linked lists by integer tokens instead of pointers.
//!
//! Every list-based policy (LRU, FIFO, LFU buckets, ARC's four lists, S3-FIFO's queues, SLRU
//! segments) keeps its entries in one slab and threads them through one or more [`List`]s. Tokens are
//! `u32` so a node costs its payload plus 8 bytes, and freed nodes are reused before the slab grows.

/// The index of a node in a [`LinkedSlab`]. Stable while the node is allocated.
pub type Token = u32;

/// The "no node" token that ends a list.
pub const NIL: Token = Token::MAX;

#[derive(Clone, Debug)]
struct Node<T> {
    /// The previous node in the list this node is linked into (towards the head), or [`NIL`].
    prev: Token,
    /// The next node in the list (towards the tail), or [`NIL`]; for a free node, the next free node.
    next: Token,
    /// The policy's data for this entry (usually the key and a few bits of metadata).
    value: T,
}

/// The ends and length of one list threaded through a [`LinkedSlab`].
///
/// A list does not own its nodes: the slab does. Head is the "newest" end by convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct List {
    /// The first node, or [`NIL`] when empty.
    pub head: Token,
    /// The last node, or [`NIL`] when empty.
    pub tail: Token,
    /// How many nodes are linked in.
    pub len: usize,
}

impl Default for List {
    fn default() -> Self {
        Self::new()
    }
}

impl List {
    /// An empty list.
    pub const fn new() -> Self {
        Self {
            head: NIL,
            tail: NIL,
            len: 0,
        }
    }

    /// Whether no node is linked in.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Nodes with payload `T`, allocated by token and linked into [`List`]s.
#[derive(Clone, Debug)]
pub struct LinkedSlab<T> {
    /// All nodes, allocated and free.
    nodes: Vec<Node<T>>,
    /// The first free node (free nodes chain through `next`), or [`NIL`].
    free_head: Token,
    /// How many nodes are allocated.
    allocated: usize,
}

impl<T> Default for LinkedSlab<T> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<T> LinkedSlab<T> {
    /// An empty slab with room for `capacity` nodes before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(capacity),
            free_head: NIL,
            allocated: 0,
        }
    }

    /// How many nodes are allocated.
    pub fn len(&self) -> usize {
        self.allocated
    }

    /// Whether no node is allocated.
    pub fn is_empty(&self) -> bool {
        self.allocated == 0
    }

    /// Allocates an unlinked node holding `value`.
    pub fn alloc(&mut self, value: T) -> Token {
        self.allocated += 1;
        if self.free_head != NIL {
            let token = self.free_head;
            let node = &mut self.nodes[token as usize];
            self.free_head = node.next;
            node.prev = NIL;
            node.next = NIL;
            node.value = value;
            token
        } else {
            let token = Token::try_from(self.nodes.len())
                .ok()
                .filter(|&t| t != NIL)
                .expect("a linked slab holds at most u32::MAX - 1 nodes");
            self.nodes.push(Node {
                prev: NIL,
                next: NIL,
                value,
            });
            token
        }
    }

    /// Frees an unlinked node for reuse. The payload stays in place until the node is reused, so
    /// `T` should be plain data (it is `Copy` for every policy).
    pub fn free(&mut self, token: Token) {
        self.allocated -= 1;
        let node = &mut self.nodes[token as usize];
        node.prev = NIL;
        node.next = self.free_head;
        self.free_head = token;
    }

    /// The payload of an allocated node.
    #[inline]
    pub fn get(&self, token: Token) -> &T {
        &self.nodes[token as usize].value
    }

    /// The payload of an allocated node, mutably.
    #[inline]
    pub fn get_mut(&mut self, token: Token) -> &mut T {
        &mut self.nodes[token as usize].value
    }

    /// The node after `token` in its list (towards the tail), or [`NIL`].
    #[inline]
    pub fn next(&self, token: Token) -> Token {
        self.nodes[token as usize].next
    }

    /// The node before `token` in its list (towards the head), or [`NIL`].
    #[inline]
    pub fn prev(&self, token: Token) -> Token {
        self.nodes[token as usize].prev
    }

    /// Links an unlinked node in at the head of `list`.
    #[inline]
    pub fn push_front(&mut self, list: &mut List, token: Token) {
        let old_head = list.head;
        {
            let node = &mut self.nodes[token as usize];
            node.prev = NIL;
            node.next = old_head;
        }
        if old_head == NIL {
            list.tail = token;
        } else {
            self.nodes[old_head as usize].prev = token;
        }
        list.head = token;
        list.len += 1;
    }

    /// Links an unlinked node in at the tail of `list`.
    #[inline]
    pub fn push_back(&mut self, list: &mut List, token: Token) {
        let old_tail = list.tail;
        {
            let node = &mut self.nodes[token as usize];
            node.next = NIL;
            node.prev = old_tail;
        }
        if old_tail == NIL {
            list.head = token;
        } else {
            self.nodes[old_tail as usize].next = token;
        }
        list.tail = token;
        list.len += 1;
    }

    /// Links an unlinked node in just before `before` (towards the head), which is in `list`.
    pub fn insert_before(&mut self, list: &mut List, before: Token, token: Token) {
        let prev = self.nodes[before as usize].prev;
        if prev == NIL {
            self.push_front(list, token);
            return;
        }
        {
            let node = &mut self.nodes[token as usize];
            node.prev = prev;
            node.next = before;
        }
        self.nodes[prev as usize].next = token;
        self.nodes[before as usize].prev = token;
        list.len += 1;
    }

    /// Links an unlinked node in just after `after` (towards the tail), which is in `list`.
    pub fn insert_after(&mut self, list: &mut List, after: Token, token: Token) {
        let next = self.nodes[after as usize].next;
        if next == NIL {
            self.push_back(list, token);
        } else {
            self.insert_before(list, next, token);
        }
    }

    /// Unlinks a node from `list`, which it must be linked into. The node stays allocated.
    #[inline]
    pub fn unlink(&mut self, list: &mut List, token: Token) {
        let (prev, next) = {
            let node = &self.nodes[token as usize];
            (node.prev, node.next)
        };
        if prev == NIL {
            list.head = next;
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next == NIL {
            list.tail = prev;
        } else {
            self.nodes[next as usize].prev = prev;
        }
        let node = &mut self.nodes[token as usize];
        node.prev = NIL;
        node.next = NIL;
        list.len -= 1;
    }

    /// Moves a node already in `list` to its head.
    #[inline]
    pub fn move_to_front(&mut self, list: &mut List, token: Token) {
        if list.head != token {
            self.unlink(list, token);
            self.push_front(list, token);
        }
    }

    /// Unlinks and returns the tail of `list`, if any. The node stays allocated.
    #[inline]
    pub fn pop_back(&mut self, list: &mut List) -> Option<Token> {
        let tail = list.tail;
        (tail != NIL).then(|| {
            self.unlink(list, tail);
            tail
        })
    }

    /// The tokens of `list` from head to tail.
    pub fn iter(&self, list: &List) -> ListIter<'_, T> {
        ListIter {
            slab: self,
            next: list.head,
        }
    }

    /// Drops every node; lists that pointed into the slab must be reset by their owners.
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.free_head = NIL;
        self.allocated = 0;
    }
}

/// Iterates a list's tokens from head to tail.
pub struct ListIter<'a, T> {
    /// The slab the list lives in.
    slab: &'a LinkedSlab<T>,
    /// The token to yield next, or [`NIL`] when done.
    next: Token,
}

impl<T> Iterator for ListIter<'_, T> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        (self.next != NIL).then(|| {
            let token = self.next;
            self.next = self.slab.next(token);
            token
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(slab: &LinkedSlab<u64>, list: &List) -> Vec<u64> {
        slab.iter(list).map(|t| *slab.get(t)).collect()
    }

    #[test]
    fn push_unlink_and_reuse() {
        let mut slab = LinkedSlab::default();
        let mut list = List::new();
        let a = slab.alloc(1);
        let b = slab.alloc(2);
        let c = slab.alloc(3);
        slab.push_front(&mut list, a);
        slab.push_front(&mut list, b);
        slab.push_back(&mut list, c);
        assert_eq!(keys(&slab, &list), [2, 1, 3]);
        slab.move_to_front(&mut list, c);
        assert_eq!(keys(&slab, &list), [3, 2, 1]);
        assert_eq!(slab.pop_back(&mut list), Some(a));
        slab.free(a);
        assert_eq!(list.len, 2);
        // The freed node is reused before the slab grows.
        let d = slab.alloc(4);
        assert_eq!(d, a);
        slab.insert_before(&mut list, b, d);
        assert_eq!(keys(&slab, &list), [3, 4, 2]);
        let e = slab.alloc(5);
        slab.insert_after(&mut list, b, e);
        assert_eq!(keys(&slab, &list), [3, 4, 2, 5]);
        assert_eq!(slab.pop_back(&mut list), Some(e));
        slab.free(e);
        slab.unlink(&mut list, c);
        slab.unlink(&mut list, b);
        slab.unlink(&mut list, d);
        assert!(list.is_empty());
        assert_eq!((list.head, list.tail), (NIL, NIL));
        assert_eq!(slab.len(), 3);
    }
}
