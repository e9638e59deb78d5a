package analysis

import (
	"fmt"
	"slices"
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
