package analysis

// BaseSystemDistance is added to the distance of nodes that are reachable
// from the root but not from any user root (the global object, native
// roots): DevTools' convention for keeping "system" objects out of the way.
// A node reached only through V8's internal roots has distance
// BaseSystemDistance+d where d is its depth below the synthetic root.
const BaseSystemDistance = 100_000_000

// Distances returns every node's distance from the roots, following
// DevTools: a breadth-first search over non-weak edges that starts at the
// user roots (distance 1) and then continues from the synthetic root
// (distance BaseSystemDistance, or 0 when the snapshot has no user roots).
// Like DevTools it skips the descriptor slots of "(map descriptors)" arrays
// and NativeContext's sloppy_function_map, and reaches a WeakMap value only
// through the second of its two entry edges. Unreachable nodes have -1.
// The slice is computed once and shared: do not modify it.
func (s *Snapshot) Distances() []int32 {
	s.dist.once.Do(func() { s.dist.d = s.distances() })
	return s.dist.d
}

func (s *Snapshot) distances() []int32 {
	n := len(s.nodeID)
	dist := make([]int32, n)
	for i := range dist {
		dist[i] = -1
	}
	queue := make([]uint32, 0, n)
	pending := make(map[string]bool) // WeakMap entries seen once
	weakMapPair := make(map[uint32]string)
	pair := func(name uint32) string {
		p, ok := weakMapPair[name]
		if !ok {
			if w, ok := parseWeakMapEdge(s.str(name)); ok {
				p = w.pair
			}
			weakMapPair[name] = p
		}
		return p
	}
	follow := func(v, e int) bool {
		switch s.nodeType[v] {
		case NodeHidden:
			if !s.edgeType[e].hasIndexName() && s.str(s.edgeName[e]) == "sloppy_function_map" && s.NodeName(v) == "system / NativeContext" {
				return false
			}
		case NodeArray:
			if i, ok := s.EdgeIndex(e); ok && s.NodeName(v) == "(map descriptors)" {
				return i < 2 || i%3 != 1
			}
		}
		if s.edgeType[e] == EdgeInternal {
			if p := pair(s.edgeName[e]); p != "" {
				if pending[p] {
					delete(pending, p)
				} else {
					pending[p] = true
					return false
				}
			}
		}
		return true
	}
	bfs := func() {
		for head := 0; head < len(queue); head++ {
			v := int(queue[head])
			d := dist[v] + 1
			first, end := s.EdgeRange(v)
			for e := first; e < end; e++ {
				to := s.edgeTarget[e]
				if s.edgeType[e] == EdgeWeak || dist[to] != -1 || !follow(v, e) {
					continue
				}
				dist[to] = d
				queue = append(queue, to)
			}
		}
	}
	first, end := s.EdgeRange(0)
	for e := first; e < end; e++ {
		if to := s.edgeTarget[e]; s.isUserRoot(int(to)) && dist[to] == -1 {
			dist[to] = 1
			queue = append(queue, to)
		}
	}
	bfs()
	dist[0] = 0
	if len(queue) > 0 {
		dist[0] = BaseSystemDistance
	}
	queue = append(queue[:0], 0)
	bfs()
	return dist
}
