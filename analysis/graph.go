package analysis

import (
	"fmt"
	"iter"
	"slices"
	"sync"
)

// reverse returns the reverse-edge index (see Snapshot.rev), building it
// on first use: a summary needs it for a few nodes at most, after the
// dominator tree, which has lists of its own, so it is not built while
// the tree's scratch is in memory, nor at all when nothing asks.
func (s *Snapshot) reverse() (first, retainers []uint32) {
	r := &s.rev
	r.once.Do(func() { r.first, r.retainers = s.buildRetainers() })
	return r.first, r.retainers
}

// buildRetainers returns the reverse-edge index: for every node the nodes
// whose edges point to it, in edge order, as one flat array plus offsets
// (CSR).
func (s *Snapshot) buildRetainers() (first, ret []uint32) {
	n := len(s.nodeID)
	first = makeLarge[uint32](n+1, n+1)
	for _, to := range s.edgeTarget {
		first[to+1]++
	}
	for i := 1; i <= n; i++ {
		first[i] += first[i-1]
	}
	// first[t] is now where t's retainers start; use it as a cursor, which
	// leaves first[t] at t's end (= the start of t+1), then shift back.
	ret = makeLarge[uint32](len(s.edgeTarget), len(s.edgeTarget))
	for from := range n {
		for _, to := range s.edgeTarget[s.firstEdge[from]:s.firstEdge[from+1]] {
			ret[first[to]] = uint32(from)
			first[to]++
		}
	}
	copy(first[1:], first[:n])
	first[0] = 0
	return first, ret
}

// edgeIndex lists the edges of one kind by target, for the few lookups a
// summary makes where the reverse-edge index (EdgesTo) would cost 4 bytes
// per edge and node: built on first use, it costs 8 bytes per edge of its
// kind.
type edgeIndex struct {
	once  sync.Once
	pairs []uint64 // target<<32 | edge, sorted
}

// to yields the edges of s to node n that kind selects, in edge order.
// kind is called once per edge (from, its source node), on first use.
func (x *edgeIndex) to(s *Snapshot, n int, kind func(from, e int) bool) iter.Seq[int] {
	x.once.Do(func() {
		for v := range s.nodeID {
			for e := s.firstEdge[v]; e < s.firstEdge[v+1]; e++ {
				if kind(v, int(e)) {
					x.pairs = append(x.pairs, uint64(s.edgeTarget[e])<<32|uint64(e))
				}
			}
		}
		slices.Sort(x.pairs)
	})
	return func(yield func(int) bool) {
		i, _ := slices.BinarySearch(x.pairs, uint64(n)<<32)
		for ; i < len(x.pairs) && x.pairs[i]>>32 == uint64(n); i++ {
			if !yield(int(uint32(x.pairs[i]))) {
				return
			}
		}
	}
}

// contextEdgesTo yields the context edges (a context's variables) that
// point to node n.
func (s *Snapshot) contextEdgesTo(n int) iter.Seq[int] {
	return s.variables.to(s, n, func(_, e int) bool { return s.edgeType[e] == EdgeContext })
}

// closuresOf yields the closures created in context node ctx (those whose
// "context" edge points to it), in node order.
func (s *Snapshot) closuresOf(ctx int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for e := range s.contexts.to(s, ctx, func(from, e int) bool {
			return s.nodeType[from] == NodeClosure && s.edgeType[e] == EdgeInternal && s.str(s.edgeName[e]) == "context"
		}) {
			if !yield(s.EdgeFrom(e)) {
				return
			}
		}
	}
}

// checkNames verifies that every string-table reference is in range, so
// that accessors never see a dangling index.
func (s *Snapshot) checkNames() error {
	count := uint32(len(s.strOff) - 1)
	for n, name := range s.nodeName {
		if name >= count {
			return fmt.Errorf("node %d (id %d) is named by string %d, but the string table holds %d strings", n, s.nodeID[n], name, count)
		}
	}
	for e, name := range s.edgeName {
		if name >= count && !s.edgeType[e].hasIndexName() {
			return fmt.Errorf("edge %d is named by string %d, but the string table holds %d strings", e, name, count)
		}
	}
	return nil
}

// idOrder returns the node ordinals sorted by id, or nil when the ids are
// already ascending in node order (then the ordinals are their own order).
func (s *Snapshot) idOrder() []uint32 {
	s.idIndex.once.Do(func() {
		if slices.IsSorted(s.nodeID) {
			return
		}
		order := make([]uint32, len(s.nodeID))
		for i := range order {
			order[i] = uint32(i)
		}
		slices.SortFunc(order, func(a, b uint32) int {
			x, y := s.nodeID[a], s.nodeID[b]
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return int(a) - int(b)
		})
		s.idIndex.order = order
	})
	return s.idIndex.order
}
