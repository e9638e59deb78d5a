package analysis

import (
	"fmt"
	"strconv"
	"strings"
)

// Semantics selects which edges retain memory, and so what dominators and
// retained sizes mean. docs/retained-size.md explains both with examples.
type Semantics int

const (
	// SemanticsNode is the default, oriented to Node.js heaps and matching
	// memlab: weak edges, self edges and shortcut edges (except the root's)
	// do not retain; every other edge does, and self sizes are V8's.
	SemanticsNode Semantics = iota
	// SemanticsDevTools reproduces Chrome DevTools' heap snapshot worker: on
	// top of SemanticsNode's rules the WeakMap table→value edge does not
	// retain (the key's edge does), edges from objects not reachable from a
	// user root ("page-owned") to page-owned objects do not retain, and the
	// self size of an internal array or hidden node with a single owner is
	// moved into that owner.
	SemanticsDevTools

	numSemantics = iota
)

// String returns the name ParseSemantics accepts.
func (m Semantics) String() string {
	switch m {
	case SemanticsNode:
		return "node"
	case SemanticsDevTools:
		return "devtools"
	}
	return "Semantics(" + strconv.Itoa(int(m)) + ")"
}

// ParseSemantics parses "node" (also "" and "memlab") or "devtools".
func ParseSemantics(s string) (Semantics, error) {
	switch strings.ToLower(s) {
	case "", "node", "memlab":
		return SemanticsNode, nil
	case "devtools", "chrome":
		return SemanticsDevTools, nil
	}
	return 0, fmt.Errorf("unknown semantics %q (want \"node\" or \"devtools\")", s)
}

// bitset is a fixed-size set of small integers.
type bitset []uint64

func newBitset(n int) bitset    { return make(bitset, (n+63)/64) }
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }

// retainingEdges returns the set of edges that retain their target under
// semantics m: the edges the dominator tree is built from.
func (s *Snapshot) retainingEdges(m Semantics) bitset {
	keep := newBitset(len(s.edgeTarget))
	var pageOwned bitset
	var weakMapTable func(from, e int) bool
	if m == SemanticsDevTools {
		pageOwned = s.pageOwned()
		weakMapTable = s.weakMapTableEdges()
	}
	for n := range len(s.nodeID) {
		first, end := s.EdgeRange(n)
		for e := first; e < end; e++ {
			t, to := s.edgeType[e], int(s.edgeTarget[e])
			switch {
			case t == EdgeWeak, to == n:
				continue
			case n == 0:
			case t == EdgeShortcut:
				continue
			case pageOwned != nil && pageOwned.has(to) && !pageOwned.has(n):
				continue
			}
			if weakMapTable != nil && t == EdgeInternal && weakMapTable(n, e) {
				continue
			}
			keep.set(e)
		}
	}
	return keep
}

// pageRoots calls fn for every child of the root from which DevTools marks
// objects as page-owned: the targets of the root's shortcut edges (the
// global objects), and the "(Document DOM trees)" root of browser snapshots.
func (s *Snapshot) pageRoots(fn func(n int)) {
	first, end := s.EdgeRange(0)
	for e := first; e < end; e++ {
		to := int(s.edgeTarget[e])
		switch s.edgeType[e] {
		case EdgeShortcut:
			fn(to)
		case EdgeElement:
			if s.isDOMTreesRoot(to) {
				fn(to)
			}
		}
	}
}

// isDOMTreesRoot reports whether n is the synthetic root of a browser
// snapshot's DOM trees.
func (s *Snapshot) isDOMTreesRoot(n int) bool {
	return s.nodeType[n] == NodeSynthetic && s.NodeName(n) == "(Document DOM trees)"
}

// isUserRoot reports whether n, a child of the root, is what DevTools calls
// a user root: any non-synthetic node, or the DOM trees root.
func (s *Snapshot) isUserRoot(n int) bool {
	return s.nodeType[n] != NodeSynthetic || s.isDOMTreesRoot(n)
}

// pageOwned marks the nodes reachable over non-weak edges from the user
// roots (DevTools' "page-owned" objects, as opposed to objects kept only by
// the engine or the debugger).
func (s *Snapshot) pageOwned() bitset {
	owned := newBitset(len(s.nodeID))
	var stack []uint32
	s.pageRoots(func(n int) {
		if !owned.has(n) {
			owned.set(n)
			stack = append(stack, uint32(n))
		}
	})
	for len(stack) > 0 {
		n := int(stack[len(stack)-1])
		stack = stack[:len(stack)-1]
		first, end := s.EdgeRange(n)
		for e := first; e < end; e++ {
			to := int(s.edgeTarget[e])
			if s.edgeType[e] == EdgeWeak || owned.has(to) {
				continue
			}
			owned.set(to)
			stack = append(stack, uint32(to))
		}
	}
	return owned
}

// weakMapEdge is the parsed name of an internal edge V8 writes for a WeakMap
// entry: "<i> / part of key (<K> @<id>) -> value (<V> @<id>) pair in WeakMap
// (table @<table>)". pair is the part after the index, shared by the edge
// from the key and the edge from the table.
type weakMapEdge struct {
	pair  string
	table uint32
}

// parseWeakMapEdge parses a WeakMap entry edge name.
func parseWeakMapEdge(name string) (weakMapEdge, bool) {
	digits := 0
	for digits < len(name) && name[digits] >= '0' && name[digits] <= '9' {
		digits++
	}
	rest := name[digits:]
	const key, value, table = " / part of key (", ") -> value (", ") pair in WeakMap (table @"
	if digits == 0 || !strings.HasPrefix(rest, key) || !strings.HasSuffix(rest, ")") {
		return weakMapEdge{}, false
	}
	k := strings.Index(rest, value)
	t := strings.LastIndex(rest, table)
	if k < 0 || t < k || !hasIDSuffix(rest[len(key):k]) || !hasIDSuffix(rest[k+len(value):t]) {
		return weakMapEdge{}, false
	}
	id, err := strconv.ParseUint(rest[t+len(table):len(rest)-1], 10, 32)
	if err != nil {
		return weakMapEdge{}, false
	}
	return weakMapEdge{pair: rest, table: uint32(id)}, true
}

// hasIDSuffix reports whether s ends in " @<digits>".
func hasIDSuffix(s string) bool {
	at := strings.LastIndex(s, " @")
	if at < 0 || at+2 == len(s) {
		return false
	}
	for _, c := range s[at+2:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// weakMapTableEdges returns a predicate for internal edges that are the
// WeakMap table→value half of an entry: DevTools lets only the key's edge
// retain the value.
func (s *Snapshot) weakMapTableEdges() func(from, e int) bool {
	// Parse each distinct name once (names repeat across edges); -1 marks
	// names that are not WeakMap entries, others hold the table's id.
	table := make(map[uint32]int64)
	return func(from, e int) bool {
		name := s.edgeName[e]
		id, ok := table[name]
		if !ok {
			id = -1
			if w, ok := parseWeakMapEdge(s.str(name)); ok {
				id = int64(w.table)
			}
			table[name] = id
		}
		return id >= 0 && uint32(id) == s.nodeID[from]
	}
}
