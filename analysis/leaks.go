package analysis

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/leakls/leakls/internal/strtab"
)

// Three-snapshot leak detection.
//
// The user takes a baseline snapshot, runs the suspect work, takes a target
// snapshot, lets the work finish (or repeats harmless work), and takes a
// final snapshot. An object leaked when it was allocated during the suspect
// work and is still alive at the end: its id is in the target but not in
// the baseline, and it is still in the final snapshot. Only the final
// snapshot needs a graph; baseline and target contribute their id sets.
//
// Not every such object is worth reporting. V8 and Node allocate internal
// objects as a program runs — compiled code, feedback vectors, hidden
// classes, boxed numbers, backing stores that grew — and these survive
// too. They are not leaks in their own right (they are counted in the
// retained size of the objects that own them), so the report lists only
// objects a program creates: JS objects, closures, strings, regexps,
// symbols, bigints and embedder (native) objects, and of those only the
// ones the program can reach: an object held only through compiled code or
// feedback (a literal's boilerplate, say), or a string held only by V8's
// table of internalized strings, is V8's. Objects whose ids are
// not kept from one snapshot to the next (see tracked) cannot be told new
// or old and are left out; this is what keeps Node's own strings and
// buffers, which get such ids, from showing up as leaks by chance. V8's detachedness flag
// is not used: Node marks its own "Node / BindingData" objects as detached,
// and that is not a leak.
//
// The reported objects are then grouped. An object dominated by another
// reported leaked object (a request's body under the leaked request) is
// counted in that object's group; the remaining "top" objects are
// clustered by the signature of their retainer path, so that 12,000
// requests held by one Map make one cluster with one path.

// LeakOptions configures FindLeaks.
type LeakOptions struct {
	// Semantics selects the dominator tree for retained sizes and for
	// deciding which leaked objects are nested in others.
	Semantics Semantics
	// Paths, when set, is used instead of computing the final snapshot's
	// retainer paths again.
	Paths *Paths
	// Sources, when set, is used for source positions instead of a new
	// index of the final snapshot.
	Sources *Sources
	// MinCount drops clusters holding fewer than MinCount leaked objects
	// (Objects: the cluster's own objects and those nested in them) from
	// the report, with their objects: one-off allocations, such as a
	// module that Node loads on first use, then do not count as leaks. It
	// counts nested objects because a listener or a timer leaked once may
	// hold many: the one closure of a cluster of Count 1 that keeps 20
	// request objects is a leak. The report's Omitted fields say what was
	// dropped. 0 and 1 keep all.
	MinCount int
	// Steps are the largest (odd) object ids of the snapshots taken
	// between baseline and target, oldest first. They cut the time from baseline
	// to target into steps; a leaked object was allocated in the step
	// its id falls in. With one step or more, a cluster whose objects were
	// not allocated in every step of the series is left out, as one that
	// does not grow with the work (a pool filled once, a cache warmed up
	// in the first step).
	Steps []uint32
}

// reportable reports whether leaked node n of s is an object a program
// creates, as opposed to V8 or Node bookkeeping (see the comment above).
func reportable(s *Snapshot, n int) bool {
	switch s.NodeType(n) {
	case NodeObject, NodeNative:
		// "system / Context", "system / JSArrayBufferData" and the other
		// "system / ..." nodes are V8 structures, reported through their
		// owner (a closure, an ArrayBuffer).
		return !strings.HasPrefix(s.NodeName(n), "system / ")
	case NodeClosure, NodeString, NodeConsString, NodeSlicedString,
		NodeRegExp, NodeSymbol, NodeBigInt, NodeWasmObject:
		return true
	}
	return false
}

// internedOnly reports whether node n is a string that only V8 keeps: one
// held by its table of internalized strings (a name V8 interned for the
// code that ran, a string literal), which does not keep it alive for the
// program, or one a V8 structure holds through a hidden edge (the names
// in a browser's function templates, which Blink builds on first use).
func internedOnly(s *Snapshot, paths *Paths, n int) bool {
	if !s.NodeType(n).IsString() {
		return false
	}
	if e := int(paths.via[n]); e >= 0 && s.EdgeType(e) == EdgeHidden && strings.HasPrefix(s.NodeName(s.EdgeFrom(e)), "system / ") {
		return true
	}
	m := n
	for paths.via[m] >= 0 {
		m = s.EdgeFrom(int(paths.via[m]))
		if s.NodeType(m) == NodeSynthetic && s.NodeName(m) == "(Internalized strings)" {
			return true
		}
	}
	return false
}

// leakClass is the row of the leaked table node n is counted in: the
// constructor of an object, the name of a closure followed by "()", or
// DevTools' class for everything else ("(string)", ...).
func leakClass(s *Snapshot, n int) string {
	if s.NodeType(n) == NodeClosure {
		if name := s.NodeName(n); name != "" {
			return name + "()"
		}
		return "(anonymous function)"
	}
	return s.ClassName(n)
}

// FindLeaks reports the objects of final whose ids are in target but not
// in baseline (see the comment at the top of this file). All three
// snapshots must come from the same process: ids are meaningless across
// processes.
func FindLeaks(baseline, target *IDSet, final *Snapshot, opts LeakOptions) *LeakReport {
	s := final
	d := s.Dominators(opts.Semantics)
	paths := opts.Paths
	if paths == nil {
		paths = NewPaths(s)
	}
	src := opts.Sources
	if src == nil {
		src = NewSources(s)
	}

	var leaked []int32
	for n := 1; n < s.NodeCount(); n++ {
		id := s.NodeID(n)
		if tracked(id) && target.Has(id) && !baseline.Has(id) && reportable(s, n) && paths.Reachable(n) && !internedOnly(s, paths, n) {
			leaked = append(leaked, int32(n))
		}
	}
	rep := &LeakReport{Semantics: opts.Semantics.String(), Leaked: []ClassLeak{}, Clusters: []Cluster{}}
	if len(leaked) == 0 {
		return rep
	}
	bounds := append(slices.Clone(opts.Steps), math.MaxUint32) // the last step ends at the target
	up := newDomWalker(d, leaked, s.NodeCount())
	classes := newClassNames(s, leaked)
	nested := groupByTop(up, leaked)

	// Clusters of top nodes (leaked nodes no other leaked node dominates).
	groups := map[string]*group{}
	var order []*group
	groupOf := make([]*group, len(leaked)) // top's leaked index → its cluster
	var sig sigScratch
	var edges []int
	for i, n32 := range leaked {
		n := int(n32)
		if up.top(i) != i {
			continue
		}
		edges = paths.appendEdges(edges[:0], n)
		inner := nested.of(i)
		key := signature(&sig, s, classes, edges, n, inner)
		g := groups[string(key)]
		if g == nil {
			g = &group{Cluster: Cluster{Constructor: classes.of(n), Steps: make([]int, len(bounds))}, rep: n, repDepth: len(edges)}
			groups[string(key)] = g
			order = append(order, g)
		}
		groupOf[i] = g
		g.Count++
		g.members = append(g.members, n32)
		g.Objects += 1 + len(inner)
		g.Steps[stepOf(bounds, s.NodeID(n))]++
		for _, m := range inner {
			g.Steps[stepOf(bounds, s.NodeID(int(m)))]++
			// A nested object's retained size is part of its top's: the
			// row's RetainedSize only says how much of the cluster it
			// accounts for.
			self := d.Self(int(m))
			addRow(&g.Nested, ClassLeak{Constructor: classes.of(int(m)), Count: 1, SelfSize: self, RetainedSize: self})
			g.user = g.user || userClosure(s, src, int(m))
		}
		g.user = g.user || userClosure(s, src, n)
		g.SelfSize += d.Self(n)
		g.RetainedSize += d.Retained(n)
		if len(edges) < g.repDepth || len(edges) == g.repDepth && s.NodeID(n) < s.NodeID(g.rep) {
			g.rep, g.repDepth = n, len(edges)
		}
	}
	for _, g := range fold(s, baseline, paths, up, groupOf, order) {
		steady := slices.Contains(g.Steps, 0)
		if g.Objects < opts.MinCount || steady {
			rep.OmittedClusters++
			rep.OmittedObjects += g.Objects
			if steady {
				rep.OmittedSteady++
			}
			continue
		}
		g.kept = true
		for _, p := range g.parts {
			p.kept = true
		}
		g.Path = PathHops(paths, src, g.rep)
		g.Variable = lastVariable(g.Path)
		g.Node = !g.user && nodeOwned(g.Path)
		for _, p := range g.parts {
			g.Node = g.Node && nodeOwned(PathHops(paths, src, p.rep))
		}
		if s.HasAllocationTraces() {
			g.Allocations = s.allocations(g.members)
		}
		for _, n := range g.members {
			if len(g.IDs) == MaxClusterIDs {
				break
			}
			g.IDs = append(g.IDs, s.NodeID(int(n)))
		}
		slices.Sort(g.IDs)
		sortClassLeaks(g.Nested)
		rep.Clusters = append(rep.Clusters, g.Cluster)
		rep.RetainedSize += g.RetainedSize
	}
	sortClusters(rep.Clusters)

	// The leaked table, over the objects of the clusters kept: one row per
	// class; retained counts a node unless a leaked node of the same class
	// dominates it (such a node is in the same cluster: it lies between
	// the node and its top).
	rows := make([]ClassLeak, 0, len(classes.names.Strings))
	for i, n32 := range leaked {
		n := int(n32)
		if !groupOf[up.top(i)].kept {
			continue
		}
		class := classes.id(n)
		for int(class) >= len(rows) {
			rows = append(rows, ClassLeak{})
		}
		row := &rows[class]
		row.Count++
		row.SelfSize += d.Self(n)
		rep.Count++
		rep.SelfSize += d.Self(n)
		if !up.hasAncestor(i, func(a int) bool { return classes.id(int(leaked[a])) == class }) {
			row.RetainedSize += d.Retained(n)
		}
	}
	for c, row := range rows {
		if row.Count > 0 {
			row.Constructor = classes.names.Strings[c]
			rep.Leaked = append(rep.Leaked, row)
		}
	}
	sortClassLeaks(rep.Leaked)
	return rep
}

// stepOf returns the step an object of id was allocated in: the first
// whose bound (the largest id of the snapshot that ends it) is not below
// id.
func stepOf(bounds []uint32, id uint32) int {
	i, _ := slices.BinarySearch(bounds, id)
	return min(i, len(bounds)-1)
}

// lastVariable returns the index of the last hop of path taken through a
// context edge, or -1.
func lastVariable(path []Hop) int {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i].EdgeType == EdgeContext.String() {
			return i
		}
	}
	return -1
}

// sortClassLeaks orders rows by retained size, then count, then name.
func sortClassLeaks(rows []ClassLeak) {
	slices.SortFunc(rows, func(a, b ClassLeak) int {
		return cmp.Or(cmp.Compare(b.RetainedSize, a.RetainedSize), cmp.Compare(b.Count, a.Count), strings.Compare(a.Constructor, b.Constructor))
	})
}

// signature returns the clustering key of top node n, built in b's
// scratch space (valid until the next call). Two leaked objects belong to
// one cluster when
//
//   - their retainer paths agree hop by hop on the edge type and name and
//     the reached node's type and class, with element and hidden indices
//     (and numeric property names, as in timer lists or id-keyed objects)
//     normalised away;
//   - up to the first node of their own class: what follows is a chain of
//     their kind (a linked list, each member reached through the previous
//     ones), and the name of the edge entering the chain is left out, so
//     that members of a doubly-linked list reached from either end agree
//     — except for plain objects and arrays, whose class unrelated
//     objects share (a chain of them folds into its head's cluster: see
//     fold);
//   - they are of one class and dominate leaked objects of the same
//     classes (the nested classes), so that timers running different
//     callbacks form different clusters;
//   - the closures among them and their nested objects come from the same
//     places in the source, so that two anonymous timer callbacks or
//     listeners of different lines form different clusters.
//
// The key is binary: per hop the edge type and node type bytes, the class
// number and the length-prefixed edge name; then 0xff, the node's type and
// class; then the number and the sorted list of nested class numbers;
// then the number and the sorted list of closure positions (script, line,
// column). Every field is
// self-delimiting and hop tokens never start with 0xff, so distinct
// signatures give distinct keys.
func signature(b *sigScratch, s *Snapshot, classes *classNames, edges []int, n int, nested []int32) []byte {
	key := b.key[:0]
	class := classes.id(n)
	chains := !plainClass(classes.of(n))
	for _, e := range edges {
		to := s.EdgeTo(e)
		toClass := classes.id(to)
		chain := chains && toClass == class
		var name string
		if _, isIndex := s.EdgeIndex(e); !isIndex && !chain {
			if name = s.EdgeName(e); isDecimal(name) {
				name = ""
			}
		}
		key = append(key, byte(s.EdgeType(e)), byte(s.NodeType(to)))
		key = binary.AppendUvarint(key, uint64(toClass))
		key = binary.AppendUvarint(key, uint64(len(name)))
		key = append(key, name...)
		if chain {
			break
		}
	}
	key = append(key, 0xff, byte(s.NodeType(n)))
	key = binary.AppendUvarint(key, uint64(class))
	ids := b.classes[:0]
	for _, m := range nested {
		ids = append(ids, classes.id(int(m)))
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	key = binary.AppendUvarint(key, uint64(len(ids)))
	for _, id := range ids {
		key = binary.AppendUvarint(key, uint64(id))
	}
	locs := appendClosureLocation(b.locs[:0], s, n)
	for _, m := range nested {
		locs = appendClosureLocation(locs, s, int(m))
	}
	slices.SortFunc(locs, compareLocations)
	locs = slices.Compact(locs)
	key = binary.AppendUvarint(key, uint64(len(locs)))
	for _, l := range locs {
		key = binary.AppendUvarint(key, uint64(l.ScriptID))
		key = binary.AppendUvarint(key, uint64(l.Line))
		key = binary.AppendUvarint(key, uint64(l.Column))
	}
	b.key, b.classes, b.locs = key, ids, locs
	return key
}

// appendClosureLocation appends to locs the source position of node n
// when it is a closure that has one.
func appendClosureLocation(locs []Location, s *Snapshot, n int) []Location {
	if s.NodeType(n) != NodeClosure {
		return locs
	}
	if l, ok := s.Location(n); ok {
		locs = append(locs, l)
	}
	return locs
}

func compareLocations(a, b Location) int {
	return cmp.Or(cmp.Compare(a.ScriptID, b.ScriptID), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// plainClass reports whether class is one that unrelated objects share
// (object literals, arrays): a path reaching one of its objects says
// nothing about a chain of the leaked object's kind.
func plainClass(class string) bool { return class == "Object" || class == "Array" }

// sigScratch is the reusable scratch space of signature.
type sigScratch struct {
	key     []byte
	classes []int32
	locs    []Location
}

// isDecimal reports whether s is a non-empty string of ASCII digits.
func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// classNames memoises leakClass for the nodes a report names (leaked
// nodes and the nodes on their paths), and numbers the classes.
type classNames struct {
	s           *Snapshot
	leaked      []int32         // leaked node ordinals, ascending
	leakedClass []int32         // class number of leaked[i], or -1
	byNode      map[int32]int32 // class numbers of other nodes
	names       strtab.Table[int32]
}

func newClassNames(s *Snapshot, leaked []int32) *classNames {
	c := &classNames{s: s, leaked: leaked, leakedClass: make([]int32, len(leaked)), byNode: map[int32]int32{}}
	for i := range c.leakedClass {
		c.leakedClass[i] = -1
	}
	return c
}

// id returns the class number of node n.
func (c *classNames) id(n int) int32 {
	i, leaked := slices.BinarySearch(c.leaked, int32(n))
	if leaked && c.leakedClass[i] >= 0 {
		return c.leakedClass[i]
	}
	if !leaked {
		if id, ok := c.byNode[int32(n)]; ok {
			return id
		}
	}
	id := c.names.Index(leakClass(c.s, n))
	if leaked {
		c.leakedClass[i] = id
	} else {
		c.byNode[int32(n)] = id
	}
	return id
}

// of returns the class of node n.
func (c *classNames) of(n int) string { return c.names.Strings[c.id(n)] }

// topGroups lists, for each top leaked node, the leaked nodes it
// dominates, in two flat arrays (a counting sort by top).
type topGroups struct {
	leaked []int32
	start  []int32 // members of top i are members[start[i]:start[i+1]]
	member []int32 // leaked indices
}

func groupByTop(w *domWalker, leaked []int32) *topGroups {
	g := &topGroups{leaked: leaked, start: make([]int32, len(leaked)+1)}
	tops := make([]int32, len(leaked))
	for i := range leaked {
		t := w.top(i)
		tops[i] = int32(t)
		if t != i {
			g.start[t+1]++
		}
	}
	for i := 1; i < len(g.start); i++ {
		g.start[i] += g.start[i-1]
	}
	g.member = make([]int32, g.start[len(leaked)])
	next := slices.Clone(g.start[:len(leaked)])
	for i, t := range tops {
		if int(t) != i {
			g.member[next[t]] = int32(i)
			next[t]++
		}
	}
	return g
}

// of returns the node ordinals of the leaked nodes top i dominates.
func (g *topGroups) of(i int) []int32 {
	members := g.member[g.start[i]:g.start[i+1]]
	nodes := make([]int32, len(members))
	for k, m := range members {
		nodes[k] = g.leaked[m]
	}
	return nodes
}

// domWalker answers "which leaked nodes dominate this one" in amortised
// constant time, memoising walks up the dominator tree. Leaked nodes are
// named by their index in the sorted leaked list.
type domWalker struct {
	d      *DomTree
	leaked []int32 // leaked node ordinals, ascending
	// near[n] caches nearest(n) + 2 for any node (0 = not computed yet,
	// 1 = none).
	near []int32
	// topOf[i] caches top(i) + 1 (0 = not computed yet).
	topOf []int32
}

func newDomWalker(d *DomTree, leaked []int32, nodes int) *domWalker {
	return &domWalker{d: d, leaked: leaked, near: make([]int32, nodes), topOf: make([]int32, len(leaked))}
}

// index returns the leaked index of node n, or -1.
func (w *domWalker) index(n int) int {
	i, ok := slices.BinarySearch(w.leaked, int32(n))
	if !ok {
		return -1
	}
	return i
}

// parent returns n's immediate dominator, or -1 at the root.
func (w *domWalker) parent(n int) int {
	if n == 0 {
		return -1
	}
	p := w.d.Idom(n)
	if p == n || p < 0 {
		return -1
	}
	return p
}

// nearest returns the leaked index of the nearest leaked node on the
// dominator chain from node n up to the root, n included, or -1.
func (w *domWalker) nearest(n int) int {
	var walked []int
	found := -1
	for m := n; m >= 0; m = w.parent(m) {
		if c := w.near[m]; c != 0 {
			found = int(c) - 2
			break
		}
		walked = append(walked, m)
		if i := w.index(m); i >= 0 {
			found = i
			break
		}
	}
	for _, m := range walked {
		w.near[m] = int32(found + 2)
	}
	return found
}

// ancestor returns the leaked index of the nearest leaked strict dominator
// of leaked node i, or -1.
func (w *domWalker) ancestor(i int) int {
	p := w.parent(int(w.leaked[i]))
	if p < 0 {
		return -1
	}
	return w.nearest(p)
}

// hasAncestor reports whether a leaked strict dominator of leaked node i
// satisfies match (called with leaked indices).
func (w *domWalker) hasAncestor(i int, match func(int) bool) bool {
	for a := w.ancestor(i); a >= 0; a = w.ancestor(a) {
		if match(a) {
			return true
		}
	}
	return false
}

// top returns the leaked index of the highest leaked node dominating
// leaked node i (i itself when no leaked node dominates it).
func (w *domWalker) top(i int) int {
	var chain []int
	t := i
	for {
		if c := w.topOf[t]; c != 0 {
			t = int(c) - 1
			break
		}
		chain = append(chain, t)
		a := w.ancestor(t)
		if a < 0 {
			break
		}
		t = a
	}
	for _, m := range chain {
		w.topOf[m] = int32(t + 1)
	}
	return t
}
