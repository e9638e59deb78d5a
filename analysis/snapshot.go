// Package analysis reads V8 heap snapshots (.heapsnapshot files written by
// Node.js, Chrome DevTools or the inspector protocol) and answers questions
// about them: what is in the heap, what retains what, how much memory each
// object keeps alive, and which objects leaked between snapshots.
//
// A Snapshot keeps the graph in flat arrays indexed by node ordinal
// (0..NodeCount()-1, node 0 being the synthetic root) and edge index
// (0..EdgeCount()-1); there is no per-node struct and no pointer per edge, so
// a snapshot costs roughly as much memory as the file it came from. All
// algorithms over the graph are iterative: real heaps are far too deep for
// recursion.
package analysis

import (
	"iter"
	"strconv"
	"sync"
)

// NodeType is the kind of a heap node. V8 names its node types in the
// snapshot's meta section; they are mapped onto this fixed enumeration so
// that callers never compare strings. Names that this version of leakls does
// not know map to NodeUnknown.
type NodeType uint8

// Node types, as named by V8's snapshot meta ("node_types").
const (
	NodeUnknown      NodeType = iota // a type name not known to leakls
	NodeHidden                       // "hidden": V8 internals
	NodeArray                        // "array": internal arrays (not JS Array objects)
	NodeString                       // "string"
	NodeObject                       // "object": JS objects; the name is the constructor
	NodeCode                         // "code": compiled code, SharedFunctionInfo, Script
	NodeClosure                      // "closure": JS functions
	NodeRegExp                       // "regexp"
	NodeNumber                       // "number": heap numbers
	NodeNative                       // "native": embedder (C++) objects
	NodeSynthetic                    // "synthetic": roots and groupings made by the snapshot writer
	NodeConsString                   // "concatenated string"
	NodeSlicedString                 // "sliced string"
	NodeSymbol                       // "symbol"
	NodeBigInt                       // "bigint"
	NodeObjectShape                  // "object shape": hidden classes (maps)
	NodeWasmObject                   // "wasm object"
)

var nodeTypeNames = [...]string{
	NodeUnknown:      "unknown",
	NodeHidden:       "hidden",
	NodeArray:        "array",
	NodeString:       "string",
	NodeObject:       "object",
	NodeCode:         "code",
	NodeClosure:      "closure",
	NodeRegExp:       "regexp",
	NodeNumber:       "number",
	NodeNative:       "native",
	NodeSynthetic:    "synthetic",
	NodeConsString:   "concatenated string",
	NodeSlicedString: "sliced string",
	NodeSymbol:       "symbol",
	NodeBigInt:       "bigint",
	NodeObjectShape:  "object shape",
	NodeWasmObject:   "wasm object",
}

// String returns the type's name as V8 writes it in the snapshot meta.
func (t NodeType) String() string { return typeName(nodeTypeNames[:], t) }

// IsString reports whether nodes of this type are JS strings of any
// representation (flat, concatenated or sliced).
func (t NodeType) IsString() bool {
	return t == NodeString || t == NodeConsString || t == NodeSlicedString
}

// nodeTypeByName maps a meta type name to the enumeration.
func nodeTypeByName(name string) NodeType { return typeByName[NodeType](nodeTypeNames[:], name) }

// EdgeType is the kind of a heap edge, mapped from the snapshot's meta
// ("edge_types") onto a fixed enumeration.
type EdgeType uint8

// Edge types, as named by V8's snapshot meta.
const (
	EdgeUnknown  EdgeType = iota // an edge type name not known to leakls
	EdgeContext                  // "context": a variable captured in a closure's context
	EdgeElement                  // "element": an indexed element; the name is the index
	EdgeProperty                 // "property": a named property
	EdgeInternal                 // "internal": a V8-internal reference with a name
	EdgeHidden                   // "hidden": a V8-internal reference; the name is an index
	EdgeShortcut                 // "shortcut": a convenience link (e.g. root → global)
	EdgeWeak                     // "weak": does not keep its target alive
)

var edgeTypeNames = [...]string{
	EdgeUnknown:  "unknown",
	EdgeContext:  "context",
	EdgeElement:  "element",
	EdgeProperty: "property",
	EdgeInternal: "internal",
	EdgeHidden:   "hidden",
	EdgeShortcut: "shortcut",
	EdgeWeak:     "weak",
}

// String returns the edge type's name as V8 writes it in the snapshot meta.
func (t EdgeType) String() string { return typeName(edgeTypeNames[:], t) }

// edgeTypeByName maps a meta edge type name to the enumeration.
func edgeTypeByName(name string) EdgeType { return typeByName[EdgeType](edgeTypeNames[:], name) }

// typeName returns the name of t in names, the meta names of a type
// enumeration whose value 0 is the unknown type: names[t], or names[0]
// for a value past the table.
func typeName[T ~uint8](names []string, t T) string {
	if int(t) < len(names) {
		return names[t]
	}
	return names[0]
}

// typeByName returns the value of the enumeration (see typeName) that
// names calls name, or 0, the unknown type.
func typeByName[T ~uint8](names []string, name string) T {
	for i, n := range names {
		if n == name && i != 0 {
			return T(i)
		}
	}
	return 0
}

// hasIndexName reports whether the name_or_index of edges of this type is a
// number rather than a string-table index.
func (t EdgeType) hasIndexName() bool { return t == EdgeElement || t == EdgeHidden }

// Location is a source position recorded in the snapshot's "locations"
// section: for a closure the position of its function, for an object the
// position of its constructor. Line and Column are 0-based; the column points
// at the opening parenthesis of the parameter list.
type Location struct {
	ScriptID uint32
	Line     uint32
	Column   uint32
}

// Meta describes the layout and size of a snapshot as written in its
// "snapshot" header, and which optional V8 features it carries.
type Meta struct {
	NodeFields     []string // field names of one node record, in file order
	NodeTypes      []string // node type names, indexed by the type field
	EdgeFields     []string // field names of one edge record, in file order
	EdgeTypes      []string // edge type names, indexed by the type field
	LocationFields []string // field names of one location record (empty when absent)
	NodeCount      int      // number of nodes
	EdgeCount      int      // number of edges
	LocationCount  int      // number of locations
	StringCount    int      // number of strings in the string table

	// HasDetachedness reports a "detachedness" node field (V8 ≥ 9.x, Node ≥ 20).
	HasDetachedness bool
	// HasTraceNodeID reports a "trace_node_id" node field (allocation tracking).
	HasTraceNodeID bool
	// HasLocations reports a "locations" section.
	HasLocations bool
	// TraceFunctionCount is the header's trace_function_count (0 when
	// allocation tracking was off).
	TraceFunctionCount int
	// TraceNodeCount is the number of nodes of the allocation trace tree
	// (0 when allocation tracking was off).
	TraceNodeCount int
}

// Snapshot is a parsed heap snapshot: nodes, edges, their reverse (the
// retainers), the string table and the source locations, all in flat arrays.
// A Snapshot is immutable once loaded and safe for concurrent use; derived
// results (dominator trees, distances) are computed once and cached.
type Snapshot struct {
	meta Meta

	// Per node (index = ordinal).
	nodeType     []NodeType
	nodeName     []uint32 // string-table index
	nodeID       []uint32
	selfSize     []uint32
	detached     []uint8  // nil when the field is absent
	traceNode    []uint32 // trace_node_id; nil without allocation traces
	firstEdge    []uint32 // len NodeCount()+1: node n's edges are firstEdge[n]:firstEdge[n+1]
	locationNode []uint32 // node ordinals that have a location, ascending
	locations    []Location

	// Allocation traces (see traces.go); empty without them.
	trace traces

	// Per edge (index = edge index, ordered by source node).
	edgeType   []EdgeType
	edgeName   []uint32 // string-table index, or the element/hidden index
	edgeTarget []uint32 // target node ordinal

	// Reverse edges, built on first use (reverse): the source node of every
	// edge, grouped by target node and in edge order within a group; node
	// n's are retainers[first[n]:first[n+1]]. Storing nodes rather than
	// edge indices keeps a walk over them to one load; the edge index is
	// recovered on demand (RetainerEdge).
	rev struct {
		once             sync.Once
		first, retainers []uint32 // first: len NodeCount()+1
	}

	// String table: string i is strs[strOff[i]:strOff[i+1]].
	strs   string
	strOff []int

	// The closures' "context" edges and the contexts' variables by target
	// (closuresOf, contextEdgesTo).
	contexts, variables edgeIndex

	idIndex struct {
		once  sync.Once
		order []uint32 // node ordinals sorted by id
	}
	doms [numSemantics]struct {
		once sync.Once
		tree *DomTree
	}
	dist struct {
		once sync.Once
		d    []int32
	}
}

// Meta returns the snapshot's header: field and type lists as written in
// the file, counts, and the V8 features present.
func (s *Snapshot) Meta() Meta { return s.meta }

// NodeCount returns the number of nodes, including the synthetic root.
func (s *Snapshot) NodeCount() int { return len(s.nodeID) }

// EdgeCount returns the number of edges.
func (s *Snapshot) EdgeCount() int { return len(s.edgeTarget) }

// NodeType returns the type of node n.
func (s *Snapshot) NodeType(n int) NodeType { return s.nodeType[n] }

// NodeName returns the name of node n: the constructor name of an object,
// the function name of a closure, the (possibly truncated) value of a
// string, the description of a native or synthetic node.
func (s *Snapshot) NodeName(n int) string { return s.str(s.nodeName[n]) }

// NodeID returns the V8 object id of node n. Ids are stable across the
// snapshots of one process, and odd for JS objects.
func (s *Snapshot) NodeID(n int) uint32 { return s.nodeID[n] }

// SelfSize returns the shallow size of node n in bytes.
func (s *Snapshot) SelfSize(n int) uint64 { return uint64(s.selfSize[n]) }

// Detachedness returns V8's detachedness of node n (0 unknown, 1 attached,
// 2 detached), or 0 when the snapshot has no such field.
func (s *Snapshot) Detachedness(n int) uint8 {
	if s.detached == nil {
		return 0
	}
	return s.detached[n]
}

// EdgeRange returns the forward edges of node n as the index range
// [first, end), in file order.
func (s *Snapshot) EdgeRange(n int) (first, end int) {
	return int(s.firstEdge[n]), int(s.firstEdge[n+1])
}

// EdgeType returns the type of edge e.
func (s *Snapshot) EdgeType(e int) EdgeType { return s.edgeType[e] }

// EdgeName returns the name of edge e: the property or variable name, or
// the decimal index for element and hidden edges.
func (s *Snapshot) EdgeName(e int) string {
	if s.edgeType[e].hasIndexName() {
		return uitoa(s.edgeName[e])
	}
	return s.str(s.edgeName[e])
}

// EdgeIndex returns the numeric name of an element or hidden edge and true,
// or 0 and false for edges named by a string.
func (s *Snapshot) EdgeIndex(e int) (uint32, bool) {
	if s.edgeType[e].hasIndexName() {
		return s.edgeName[e], true
	}
	return 0, false
}

// EdgeTo returns the ordinal of the node edge e points to.
func (s *Snapshot) EdgeTo(e int) int { return int(s.edgeTarget[e]) }

// EdgeFrom returns the ordinal of the node edge e starts from. It is a
// binary search over the nodes (no per-edge array is kept for it).
func (s *Snapshot) EdgeFrom(e int) int { return rangeOwner(s.firstEdge, e) }

// RetainerRange returns the reverse edges of node n as the range
// [first, end) of positions to pass to RetainerNode or RetainerEdge.
func (s *Snapshot) RetainerRange(n int) (first, end int) {
	offsets, _ := s.reverse()
	return int(offsets[n]), int(offsets[n+1])
}

// RetainerNode returns the node that holds the reverse edge at position i
// (see RetainerRange): the retainer itself. Retainers of one node are in
// edge order.
func (s *Snapshot) RetainerNode(i int) int {
	_, retainers := s.reverse()
	return int(retainers[i])
}

// RetainerEdge returns the edge index of the reverse edge at position i
// (see RetainerRange). It costs a binary search and a scan of the
// retainer's edges; use RetainerNode when the node is enough.
func (s *Snapshot) RetainerEdge(i int) int {
	offsets, retainers := s.reverse()
	n := rangeOwner(offsets, i)
	from := retainers[i]
	// i is the k-th reverse edge of n coming from this retainer, so it is
	// the k-th forward edge of the retainer that points to n.
	k := 0
	for j := int(offsets[n]); j < i; j++ {
		if retainers[j] == from {
			k++
		}
	}
	first, end := s.EdgeRange(int(from))
	for e := first; e < end; e++ {
		if int(s.edgeTarget[e]) == n {
			if k == 0 {
				return e
			}
			k--
		}
	}
	panic("analysis: reverse edges out of sync with forward edges")
}

// EdgesTo yields the edges that point to node n, each once, grouped by
// retainer in retainer order. It scans each retainer's forward edges once,
// where calling RetainerEdge for every reverse edge would rescan n's
// retainers each time: quadratic for a node that a million objects hold.
func (s *Snapshot) EdgesTo(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		first, end := s.RetainerRange(n)
		_, retainers := s.reverse()
		for i := first; i < end; i++ {
			r := retainers[i]
			if i > first && retainers[i-1] == r {
				continue // a retainer's reverse edges are consecutive
			}
			from, last := s.EdgeRange(int(r))
			for e := from; e < last; e++ {
				if int(s.edgeTarget[e]) == n && !yield(e) {
					return
				}
			}
		}
	}
}

// rangeOwner returns the n whose range [offsets[n], offsets[n+1]) holds i,
// for CSR offsets (ascending, possibly with empty ranges).
func rangeOwner(offsets []uint32, i int) int {
	lo, hi := 0, len(offsets)-1
	for lo < hi { // find the first offset > i; its predecessor owns i
		m := int(uint(lo+hi) >> 1)
		if int(offsets[m]) <= i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// Location returns the source location recorded for node n, if any.
func (s *Snapshot) Location(n int) (Location, bool) {
	lo, hi := 0, len(s.locationNode)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(s.locationNode[m]) < n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(s.locationNode) && int(s.locationNode[lo]) == n {
		return s.locations[lo], true
	}
	return Location{}, false
}

// NodeByID returns the ordinal of the node with V8 object id id.
func (s *Snapshot) NodeByID(id uint32) (int, bool) {
	order := s.idOrder()
	at := func(k int) uint32 { return s.nodeID[k] }
	n := len(s.nodeID)
	if order != nil {
		at = func(k int) uint32 { return s.nodeID[order[k]] }
	}
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if at(m) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == n || at(lo) != id {
		return 0, false
	}
	if order != nil {
		return int(order[lo]), true
	}
	return lo, true
}

// StringAt returns entry i of the snapshot's string table, or "" when i is
// out of range.
func (s *Snapshot) StringAt(i int) string {
	if i < 0 || i+1 >= len(s.strOff) {
		return ""
	}
	return s.strs[s.strOff[i]:s.strOff[i+1]]
}

func (s *Snapshot) str(i uint32) string { return s.StringAt(int(i)) }

// uitoa formats v in decimal, without allocating for the small indices
// most element and hidden edges have.
func uitoa(v uint32) string {
	if v < uint32(len(smallInts)) {
		return smallInts[v]
	}
	return strconv.FormatUint(uint64(v), 10)
}

var smallInts = func() (t [1024]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()
