package analysis

import (
	"slices"
	"strings"
)

// Retainer paths: why is this object alive?
//
// A retainer path is a shortest chain of strong references from a root to a
// node. The paths of every node are found by one breadth-first search from
// the roots (not one search per node), which records for each node the edge
// by which it was first reached; a node's path is then read backwards
// through those edges. Edge order in the file breaks ties, so the same
// snapshot always gives the same paths.
//
// The search follows the rules DevTools and memlab apply so that paths read
// as program structure rather than V8 bookkeeping:
//
//   - weak edges do not retain; shortcut edges are followed only from the
//     synthetic root (root → global); self references are ignored;
//   - code is never traversed (feedback cells and vectors, shared function
//     infos, scripts, compiled code): these reference much of the heap but
//     are not what a program holds its data through;
//   - in a "(map descriptors)" array only the entries that V8 keeps per map
//     are followed (descriptor arrays are shared between maps);
//   - hidden classes ("object shape"), property cells, the native context
//     reached through hidden edges, "code" edges and the handles of the
//     native code that was running are less preferable: they are used only
//     when nothing else reaches a node;
//   - user roots (the non-synthetic children of the root: the global
//     object) are searched first, the synthetic roots ((GC roots), C++
//     roots, Node / Environment) only for what the user roots do not reach.

// Paths is the shortest-path tree from the roots of one snapshot. Build it
// with NewPaths; it is immutable and safe for concurrent use.
type Paths struct {
	s *Snapshot
	// via[n] is the edge by which node n was first reached, pathRoot for
	// the synthetic root, or pathNone when n is unreachable over strong
	// edges.
	via []int32
}

const (
	pathNone int32 = -1 // not reachable from the roots
	pathRoot int32 = -2 // the synthetic root itself
)

// NewPaths runs one breadth-first search from the roots of s and returns
// the retainer path of every reachable node. It costs O(nodes + edges)
// time and 8 bytes per node.
func NewPaths(s *Snapshot) *Paths {
	n := s.NodeCount()
	p := &Paths{s: s, via: make([]int32, n)}
	for i := range p.via {
		p.via[i] = pathNone
	}
	if n == 0 {
		return p
	}
	b := pathSearch{Paths: p, queue: make([]int32, 0, n), deferred: newBitset(n)}
	p.via[0] = pathRoot
	// User roots first: the root's edges to non-synthetic nodes.
	first, end := s.EdgeRange(0)
	for e := first; e < end; e++ {
		to := s.EdgeTo(e)
		if s.NodeType(to) != NodeSynthetic && s.EdgeType(e) != EdgeWeak && p.via[to] == pathNone {
			b.reach(e, to)
		}
	}
	b.drain()
	// Then everything else, from the root itself.
	b.queue = append(b.queue, 0)
	b.drain()
	return p
}

// pathSearch is the state of the breadth-first search behind NewPaths.
type pathSearch struct {
	*Paths
	queue     []int32 // FIFO of nodes to expand; queue[head:] is pending
	head      int
	postponed []int32 // less preferable edges, in discovery order
	next      int     // first unexamined entry of postponed
	// deferred marks the targets of postponed edges: only the first
	// postponed edge to a node can ever be taken (the list is consumed in
	// order), so later ones are not kept. Hidden classes are the targets
	// of millions of "map" edges.
	deferred bitset
}

func (b *pathSearch) reach(e, to int) {
	b.via[to] = int32(e)
	b.queue = append(b.queue, int32(to))
}

// drain expands the queue until it is empty, falling back on postponed
// edges one at a time (each may open up a whole region of the graph that
// is then searched normally) until none is left.
func (b *pathSearch) drain() {
	s := b.s
	for {
		for b.head < len(b.queue) {
			from := int(b.queue[b.head])
			b.head++
			first, end := s.EdgeRange(from)
			for e := first; e < end; e++ {
				to := s.EdgeTo(e)
				if b.via[to] != pathNone {
					continue
				}
				switch pathEdgeRank(s, from, e, to) {
				case edgePreferred:
					b.reach(e, to)
				case edgeFallback:
					if !b.deferred.has(to) {
						b.deferred.set(to)
						b.postponed = append(b.postponed, int32(e))
					}
				}
			}
		}
		// The queue is empty: take the oldest postponed edge whose
		// target is still unreached.
		for b.next < len(b.postponed) {
			e := int(b.postponed[b.next])
			b.next++
			if to := s.EdgeTo(e); b.via[to] == pathNone {
				b.reach(e, to)
				break
			}
		}
		if b.head == len(b.queue) {
			return
		}
	}
}

// edgeRank classifies an edge for the path search.
type edgeRank uint8

const (
	edgeSkipped   edgeRank = iota // never part of a retainer path
	edgePreferred                 // followed as soon as it is seen
	edgeFallback                  // followed only when nothing else reaches its target
)

// pathEdgeRank decides how the path search treats edge e from node from to
// node to. See the comment at the top of this file for the rules.
func pathEdgeRank(s *Snapshot, from, e, to int) edgeRank {
	if from == to || s.NodeType(to) == NodeCode {
		return edgeSkipped
	}
	if transientRoot(s, from, e) {
		return edgeFallback
	}
	switch s.EdgeType(e) {
	case EdgeWeak:
		return edgeSkipped
	case EdgeShortcut:
		if from != 0 {
			return edgeSkipped
		}
	case EdgeElement, EdgeHidden:
		if s.NodeType(from) == NodeArray && s.NodeName(from) == "(map descriptors)" {
			// Descriptor arrays: [0] count, [1] enum cache, then
			// key/details/value triples from index 2; the details slot
			// (index%3 == 1) refers to field types shared between maps.
			if i, _ := s.EdgeIndex(e); i >= 2 && i%3 == 1 {
				return edgeSkipped
			}
		}
	case EdgeInternal:
		if s.EdgeName(e) == "code" {
			return edgeFallback
		}
	}
	switch s.NodeType(to) {
	case NodeObjectShape:
		return edgeFallback
	case NodeHidden:
		switch s.NodeName(to) {
		case "system / NativeContext", "system / PropertyCell":
			return edgeFallback
		}
	}
	return edgePreferred
}

// transientRoot reports whether edge e from node from is a reference the
// native code running when the snapshot was taken held: its handle scopes,
// and the identity maps V8 keeps while it works (serializing, taking the
// snapshot itself). v8.writeHeapSnapshot called from a module's top-level
// code holds the objects it was touching that way; a path through the
// stack and the variables that hold those objects says more.
func transientRoot(s *Snapshot, from, e int) bool {
	if s.NodeType(from) != NodeSynthetic {
		return false
	}
	switch s.NodeName(from) {
	case "(Handle scope)":
		return true
	case "(Strong roots)":
		return strings.HasSuffix(s.EdgeName(e), "IdentityMapBase")
	}
	return false
}

// Reachable reports whether node n is reachable from the roots over the
// edges retainer paths follow.
func (p *Paths) Reachable(n int) bool { return n >= 0 && n < len(p.via) && p.via[n] != pathNone }

// Edges returns the retainer path of node n as the edges from the root to
// n, in order: the first edge leaves the synthetic root, the last one
// reaches n. It returns nil for the root itself and for unreachable nodes.
func (p *Paths) Edges(n int) []int {
	if p.Depth(n) <= 0 {
		return nil
	}
	return p.appendEdges(nil, n)
}

// appendEdges appends the retainer path of node n (see Edges) to dst.
func (p *Paths) appendEdges(dst []int, n int) []int {
	depth := p.Depth(n)
	if depth <= 0 {
		return dst
	}
	start := len(dst)
	dst = slices.Grow(dst, depth)[:start+depth]
	for m, i := n, start+depth-1; i >= start; i-- {
		e := int(p.via[m])
		dst[i] = e
		m = p.s.EdgeFrom(e)
	}
	return dst
}

// Depth returns the number of edges on the retainer path of node n, or -1
// when n is unreachable.
func (p *Paths) Depth(n int) int {
	if !p.Reachable(n) {
		return -1
	}
	var depth int
	for m := n; p.via[m] >= 0; m = p.s.EdgeFrom(int(p.via[m])) {
		depth++
	}
	return depth
}
