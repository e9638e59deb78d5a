package analysis

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The leak report's data model: plain values, ready for JSON, text, SARIF
// and editor diagnostics. Every hop of a retainer path carries the
// source position the snapshot records for it, so that a consumer can
// point at the line of code that holds the memory.

// Hop is one step of a retainer path: the edge taken from the previous
// node and the node it reaches. The first hop leaves the synthetic root.
type Hop struct {
	// Edge is the edge's name: a property or variable name, or an
	// element index.
	Edge string `json:"edge"`
	// EdgeType is the edge's type ("property", "context", "element",
	// "internal", ...).
	EdgeType string `json:"edgeType"`
	// Name is the node reached: an object's constructor, a closure's
	// function name, a string's value (shortened), a V8 internal's
	// description.
	Name string `json:"name"`
	// Type is the node's type ("object", "closure", "string", ...).
	Type string `json:"type"`
	// ID is the node's V8 object id.
	ID uint32 `json:"id"`
	// File is the script the node comes from (see SourceHint.ScriptName),
	// when the snapshot records it.
	File string `json:"file,omitempty"`
	// Line and Column are 1-based; 0 when unknown.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`

	// Node is the node's ordinal in the snapshot the path was read from.
	Node int `json:"-"`
}

// maxEdgeLen bounds edge names in hop texts: WeakMap entries have edge
// names of 100 characters and more.
const maxEdgeLen = 40

// EdgeText writes the hop's edge the way JavaScript would where it can:
// ".name" for a property, "[i]" for an element, "var name" for a closure's
// variable; other edges keep their type ("internal context"). It is ""
// for a hop without an edge.
func (h Hop) EdgeText() string {
	edge := shorten(h.Edge, maxEdgeLen)
	switch h.EdgeType {
	case "property":
		return "." + edge
	case "element":
		return "[" + edge + "]"
	case "context":
		return "var " + edge
	case "":
		return ""
	}
	return h.EdgeType + " " + edge
}

// InProgram reports whether the hop's object comes from the program's
// code (or its dependencies'): its script is known and is not one of
// Node's built-in modules.
func (h Hop) InProgram() bool { return h.File != "" && !NodeScript(h.File) }

// NodeScript reports whether a V8 script name is one of Node's built-in
// modules ("node:internal/timers", "node:events").
func NodeScript(name string) bool { return strings.HasPrefix(name, "node:") }

// Object names the object the hop reaches: "name (type)", with
// "(no name)" for an object without one.
func (h Hop) Object() string {
	name := h.Name
	if name == "" {
		name = "(no name)"
	}
	return name + " (" + h.Type + ")"
}

// maxNameLen bounds node names in hops: strings can be 1024 characters.
const maxNameLen = 80

// displayName is how a node is named in reports: strings are quoted and
// shortened, everything else is its name.
func displayName(s *Snapshot, n int) string {
	name := s.NodeName(n)
	if s.NodeType(n) == NodeString {
		return strconv.Quote(shorten(name, maxNameLen))
	}
	return shorten(name, maxNameLen)
}

// shorten cuts s to at most max bytes on a rune boundary, marking the cut.
func shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// hop describes edge e (or, with e < 0, node n on its own) for a report.
func hop(s *Snapshot, src *Sources, e, n int) Hop {
	h := Hop{Name: displayName(s, n), Type: s.NodeType(n).String(), ID: s.NodeID(n), Node: n}
	if e >= 0 {
		h.Edge, h.EdgeType = s.EdgeName(e), s.EdgeType(e).String()
	}
	if hint, ok := src.Hint(n); ok {
		h.File = hint.ScriptName
		if hint.HasPosition() {
			h.Line, h.Column = hint.Line+1, hint.Column+1
		}
	}
	return h
}

// NodeHop describes node n on its own (no edge), with its source
// position from src.
func NodeHop(s *Snapshot, src *Sources, n int) Hop { return hop(s, src, -1, n) }

// PathHops returns the retainer path of node n (see Paths.Edges) as hops,
// with source positions from src. It returns nil when n is unreachable.
func PathHops(p *Paths, src *Sources, n int) []Hop {
	edges := p.Edges(n)
	if edges == nil {
		return nil
	}
	hops := make([]Hop, len(edges))
	for i, e := range edges {
		hops[i] = hop(p.s, src, e, p.s.EdgeTo(e))
	}
	return hops
}

// ClassLeak aggregates the leaked objects of one constructor (or closure
// name, or V8 class such as "(string)").
type ClassLeak struct {
	Constructor string `json:"constructor"`
	Count       int    `json:"count"`
	// SelfSize is the sum of the objects' own sizes.
	SelfSize uint64 `json:"selfSize"`
	// RetainedSize is the memory the objects keep alive, counting each
	// byte once: an object dominated by another leaked object of the same
	// constructor adds nothing.
	RetainedSize uint64 `json:"retainedSize"`
}

// Cluster is a group of leaked objects retained the same way: their
// retainer paths have the same signature (edge names and node classes,
// with indices normalised and repeated hops, such as linked lists,
// collapsed).
type Cluster struct {
	// Count is the number of leaked objects of class Constructor the
	// cluster groups.
	Count int `json:"count"`
	// Objects counts all the leaked objects of the cluster: its members of
	// every class (see Breakdown) and the leaked objects they dominate
	// (which are not reported separately).
	Objects int `json:"objects"`
	// Constructor is the class of the grouped objects, the leading class
	// when the cluster groups several (see Breakdown).
	Constructor string `json:"constructor"`
	// SelfSize sums the grouped objects' own sizes.
	SelfSize uint64 `json:"selfSize"`
	// RetainedSize sums their retained sizes: everything that would be
	// freed with them.
	RetainedSize uint64 `json:"retainedSize"`
	// Breakdown counts, per class, the objects of a cluster that groups
	// several pieces of one leak (see fold): the members of its own class
	// and those of the clusters folded into it — the sockets of leaked
	// requests, held through them, or the requests of another shape held
	// by the same Map. The row of Constructor first, then the largest
	// retained size first; nil when the cluster had nothing folded into
	// it.
	Breakdown []ClassLeak `json:"breakdown,omitempty"`
	// Nested counts, per class, the leaked objects the members dominate
	// (a leaked timer's callback and what it captured); their sizes are
	// part of RetainedSize.
	Nested []ClassLeak `json:"nested,omitempty"`
	// Path is the retainer path of one member of class Constructor (the
	// one with the shortest path, ties broken by the lowest id); the last
	// hop is that object.
	Path []Hop `json:"path"`
	// Variable is the index in Path of the hop through the last variable
	// (context edge) on the path: the variable whose declaration holds
	// the cluster, such as a module's Map cache. -1 when the path has no
	// variable.
	Variable int `json:"variable"`
	// Steps counts the cluster's leaked objects (all of Objects) by the
	// step of the series they were allocated in: one step from baseline to
	// target, or one per snapshot between them and one more (see
	// analysis.DiffOptions.Steps). With the number of actions per step
	// (leakls run's iterations) it says how fast the leak grows.
	Steps []int `json:"steps"`
	// IDs are the ids of up to MaxClusterIDs members, ascending.
	IDs []uint32 `json:"ids"`
	// Node tells a cluster that only Node's own code holds: every hop of
	// the paths of its pieces with a script is in a node: built-in module,
	// the objects included (the stderr stream Node creates on first use, a
	// keep-alive socket waiting on its timer), and none of its objects is
	// a closure of the program (the callback of a timer the program set).
	// Node creates such objects during any run: they are reported apart,
	// as created by Node during the run, and never make a leak verdict.
	Node bool `json:"node,omitempty"`
	// Allocations are the most common allocation stacks of the grouped
	// objects, when the final snapshot carries allocation traces (see
	// Allocation); none otherwise.
	Allocations []Allocation `json:"allocations,omitempty"`
	// Signature identifies the leak across runs: that of the finding
	// that reports it (finding.Finding.Signature), or one derived from
	// its retainer path when no finding places it in the source. Set by
	// evidence.Analyze.
	Signature string `json:"signature,omitempty"`
}

// nodeOwned reports whether path is one only Node and V8 hold: its
// located hops are all in Node's built-in modules (and at least one is),
// or, with no hop located outside them, it runs through a structure of
// the engine's own (V8's table of external strings — the sources of
// Node's modules —, its eternal handles, a native context's caches, the
// inspector's console messages). An http.Agent's pool of sockets is
// Node's too, whoever holds the Agent: from the pool on, the same test
// applies to the rest of the path.
func nodeOwned(path []Hop) bool {
	for i := len(path) - 1; i > 0; i-- {
		if path[i].EdgeType == "property" && (path[i].Edge == "freeSockets" || path[i].Edge == "sockets") && path[i-1].Name == "Agent" && NodeScript(path[i-1].File) {
			return nodeOnly(path[i-1:])
		}
	}
	return nodeOnly(path)
}

// nodeOnly is nodeOwned without agent pools. A module's exports are the
// program's (or its dependency's), though Node's Module objects lead to
// them.
func nodeOnly(path []Hop) bool {
	seen := false
	for i, h := range path {
		switch {
		case i > 0 && h.EdgeType == "property" && h.Edge == "exports" && path[i-1].Name == "Module":
			return false
		case h.File == "":
			seen = seen || engineHop(h)
		case NodeScript(h.File):
			seen = true
		default:
			return false
		}
	}
	return seen
}

// engineHop reports whether h reaches one of V8's own structures that
// programs cannot reach: the synthetic roots of external strings and
// eternal handles, the native context behind a global object, or the
// inspector's console, which keeps what the program logged while leakls
// is attached.
func engineHop(h Hop) bool {
	switch {
	case h.Type == "synthetic":
		return h.Name == "(External strings)" || h.Name == "(Eternal handles)"
	case h.EdgeType == "internal":
		return h.Edge == "native_context" || strings.HasSuffix(h.Edge, "/ DevTools console")
	}
	return false
}

// MaxClusterIDs bounds Cluster.IDs.
const MaxClusterIDs = 20

// LeakReport is the result of comparing three snapshots of one process:
// the objects allocated between baseline and target that are still alive
// in final.
type LeakReport struct {
	Semantics string `json:"semantics"`
	// Count, SelfSize and RetainedSize total the leaked objects (retained
	// counting each byte once).
	Count        int    `json:"count"`
	SelfSize     uint64 `json:"selfSize"`
	RetainedSize uint64 `json:"retainedSize"`
	// Leaked has one entry per constructor, largest retained size first.
	Leaked []ClassLeak `json:"leaked"`
	// Clusters group the leaked objects by retainer path, largest retained
	// size first.
	Clusters []Cluster `json:"clusters"`
	// OmittedClusters and OmittedObjects count what LeakOptions.MinCount
	// and LeakOptions.Steps left out of the report (and of the totals
	// above).
	OmittedClusters int `json:"omittedClusters"`
	OmittedObjects  int `json:"omittedObjects"`
	// OmittedSteady counts the clusters among OmittedClusters left out
	// because a series of more than three snapshots showed them not
	// growing at every step (see LeakOptions.Steps).
	OmittedSteady int `json:"omittedSteady"`
	// Growing lists the holders that were in every snapshot and grew at
	// every step (see FindGrowth): leaks that add no new objects, such as
	// a shared listener registered again and again.
	Growing []Growth `json:"growing,omitempty"`
}

// ClassDelta is one row of a two-snapshot comparison, as in DevTools'
// Comparison view: objects of one class allocated after the baseline
// (new) and objects of the baseline no longer present (deleted).
type ClassDelta struct {
	Constructor string `json:"constructor"`
	New         int    `json:"new"`
	Deleted     int    `json:"deleted"`
	Delta       int    `json:"delta"`
	AllocSize   uint64 `json:"allocSize"`
	FreedSize   uint64 `json:"freedSize"`
	SizeDelta   int64  `json:"sizeDelta"`
}

// Comparison is the result of comparing two snapshots of one process.
type Comparison struct {
	New       int          `json:"new"`
	Deleted   int          `json:"deleted"`
	SizeDelta int64        `json:"sizeDelta"`
	Classes   []ClassDelta `json:"classes"`
}
