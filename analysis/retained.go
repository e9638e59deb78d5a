package analysis

import (
	"slices"
	"sync"
)

// DomTree is the dominator tree of a snapshot under one Semantics, with
// the retained size of every node. Node n's immediate dominator is the node
// every retaining path from the root to n passes through last; n's retained
// size is the memory freed if n were removed (its self size plus the self
// sizes of the nodes it dominates). A DomTree is immutable and safe for
// concurrent use.
type DomTree struct {
	s    *Snapshot
	sem  Semantics
	self []uint32 // self sizes under sem
	idom []uint32
	// Exactly one of these holds the retained sizes (see buildDomTree).
	retained32 []uint32
	retained64 []uint64

	children struct {
		once  sync.Once
		first []uint32 // len NodeCount()+1
		list  []int32
	}
}

// Semantics returns the semantics the tree was built with.
func (d *DomTree) Semantics() Semantics { return d.sem }

// Idom returns the immediate dominator of node n; the root (node 0) is its
// own dominator.
func (d *DomTree) Idom(n int) int { return int(d.idom[n]) }

// Retained returns the retained size of node n in bytes.
func (d *DomTree) Retained(n int) uint64 {
	if d.retained32 != nil {
		return uint64(d.retained32[n])
	}
	return d.retained64[n]
}

// Self returns node n's self size under the tree's semantics: the
// snapshot's SelfSize, except that SemanticsDevTools moves the size of
// single-owner internal arrays and hidden nodes into their owner.
func (d *DomTree) Self(n int) uint64 { return uint64(d.self[n]) }

// Children returns the nodes n immediately dominates, in ordinal order.
// The slice is shared: do not modify it.
func (d *DomTree) Children(n int) []int32 {
	c := &d.children
	c.once.Do(d.buildChildren)
	return c.list[c.first[n]:c.first[n+1]]
}

// buildChildren inverts the idom array into a CSR of dominated nodes.
func (d *DomTree) buildChildren() {
	n := len(d.idom)
	first := make([]uint32, n+1)
	for v := 1; v < n; v++ {
		first[d.idom[v]+1]++
	}
	for i := 1; i <= n; i++ {
		first[i] += first[i-1]
	}
	// Fill with first as the cursor, then shift it back (as in
	// buildRetainers): no second offsets array.
	list := make([]int32, max(n-1, 0))
	for v := 1; v < n; v++ {
		p := d.idom[v]
		list[first[p]] = int32(v)
		first[p]++
	}
	copy(first[1:], first[:n])
	first[0] = 0
	d.children.first, d.children.list = first, list
}

// devToolsSelfSizes returns self sizes as DevTools shows them: when the
// snapshot has user roots, each internal array, hidden node or
// "system / ExternalStringData" native that is reachable (over non-weak
// edges) from exactly one other node's ownership domain has its size moved
// into that owner, unless the owner is synthetic.
func (s *Snapshot) devToolsSelfSizes() []uint32 {
	n := len(s.nodeID)
	self := slices.Clone(s.selfSize)
	hasUserRoot := false
	first, end := s.EdgeRange(0)
	for e := first; e < end && !hasUserRoot; e++ {
		hasUserRoot = s.isUserRoot(int(s.edgeTarget[e]))
	}
	if !hasUserRoot {
		return self
	}
	const unvisited, shared = ^uint32(0), ^uint32(0) - 1
	owner := make([]uint32, n)
	var work []uint32
	for v := range n {
		t := s.nodeType[v]
		if t == NodeHidden || t == NodeArray || t == NodeNative && s.NodeName(v) == "system / ExternalStringData" {
			owner[v] = unvisited
			continue
		}
		owner[v] = uint32(v)
		work = append(work, uint32(v))
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		o := owner[v]
		first, end := s.EdgeRange(int(v))
		for e := first; e < end; e++ {
			if s.edgeType[e] == EdgeWeak {
				continue
			}
			to := s.edgeTarget[e]
			switch owner[to] {
			case unvisited:
				owner[to] = o
				work = append(work, to)
			case to, o, shared:
			default:
				owner[to] = shared
				work = append(work, to)
			}
		}
	}
	for v := range n {
		o := owner[v]
		if o == unvisited || o == shared || o == uint32(v) || o == 0 || s.nodeType[o] == NodeSynthetic {
			continue
		}
		self[o] += self[v]
		self[v] = 0
	}
	return self
}
