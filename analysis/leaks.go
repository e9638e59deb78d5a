package analysis

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
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
// feedback (a literal's boilerplate, say) is V8's. V8's detachedness flag
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
}

// reportable reports whether leaked node n of s is an object a program
// creates, as opposed to V8 or Node bookkeeping (see the comment above).
func reportable(s *Snapshot, n int) bool {
	switch s.NodeType(n) {
	case NodeObject:
		// "system / Context" and other "system / ..." objects are V8
		// structures; a context is reported through its closure.
		return !strings.HasPrefix(s.NodeName(n), "system / ")
	case NodeClosure, NodeString, NodeConsString, NodeSlicedString,
		NodeRegExp, NodeSymbol, NodeBigInt, NodeNative, NodeWasmObject:
		return true
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
		if target.Has(id) && !baseline.Has(id) && reportable(s, n) && paths.Reachable(n) {
			leaked = append(leaked, int32(n))
		}
	}
	rep := &LeakReport{Semantics: opts.Semantics.String(), Leaked: []ClassLeak{}, Clusters: []Cluster{}}
	if len(leaked) == 0 {
		return rep
	}
	isLeaked := newBitset(s.NodeCount())
	for _, n := range leaked {
		isLeaked.set(int(n))
	}
	up := newDomWalker(d, isLeaked, s.NodeCount())

	// The leaked table: one row per class; retained counts a node unless a
	// leaked node of the same class dominates it.
	rows := map[string]*ClassLeak{}
	for _, n32 := range leaked {
		n := int(n32)
		class := leakClass(s, n)
		row := rows[class]
		if row == nil {
			row = &ClassLeak{Constructor: class}
			rows[class] = row
		}
		row.Count++
		row.SelfSize += d.Self(n)
		rep.SelfSize += d.Self(n)
		if !up.hasLeakedAncestor(n, func(a int) bool { return leakClass(s, a) == class }) {
			row.RetainedSize += d.Retained(n)
		}
	}
	for _, row := range rows {
		rep.Leaked = append(rep.Leaked, *row)
	}
	sortClassLeaks(rep.Leaked)

	// Clusters of top nodes (leaked nodes no other leaked node dominates).
	type group struct {
		Cluster
		rep      int // representative node: shortest path, then lowest ordinal
		repDepth int
	}
	groups := map[string]*group{}
	var order []*group
	nested := map[int][]int32{} // top node → the leaked nodes it dominates
	for _, n32 := range leaked {
		n := int(n32)
		if top := up.top(n); top != n {
			nested[top] = append(nested[top], n32)
		}
	}
	var sig strings.Builder
	for _, n32 := range leaked {
		n := int(n32)
		if up.top(n) != n {
			continue
		}
		rep.RetainedSize += d.Retained(n)
		edges := paths.Edges(n)
		signature(&sig, s, edges, n, nested[n])
		key := sig.String()
		g := groups[key]
		if g == nil {
			g = &group{Cluster: Cluster{Constructor: leakClass(s, n)}, rep: n, repDepth: len(edges)}
			groups[key] = g
			order = append(order, g)
		}
		g.Count++
		g.Objects += 1 + len(nested[n])
		for _, m := range nested[n] {
			g.addNested(s, d, int(m))
		}
		g.SelfSize += d.Self(n)
		g.RetainedSize += d.Retained(n)
		if len(g.IDs) < MaxClusterIDs {
			g.IDs = append(g.IDs, s.NodeID(n))
		}
		if len(edges) < g.repDepth {
			g.rep, g.repDepth = n, len(edges)
		}
	}
	rep.Count = len(leaked)
	for _, g := range order {
		g.Path = PathHops(paths, src, g.rep)
		slices.Sort(g.IDs)
		sortClassLeaks(g.Nested)
		rep.Clusters = append(rep.Clusters, g.Cluster)
	}
	slices.SortStableFunc(rep.Clusters, func(a, b Cluster) int {
		return cmp.Or(cmp.Compare(b.RetainedSize, a.RetainedSize), cmp.Compare(b.Count, a.Count))
	})
	return rep
}

// sortClassLeaks orders rows by retained size, then count, then name.
func sortClassLeaks(rows []ClassLeak) {
	slices.SortFunc(rows, func(a, b ClassLeak) int {
		return cmp.Or(cmp.Compare(b.RetainedSize, a.RetainedSize), cmp.Compare(b.Count, a.Count), strings.Compare(a.Constructor, b.Constructor))
	})
}

// addNested counts leaked node n, dominated by a member of the cluster, in
// the cluster's Nested table. Its retained size is part of its top's, so
// the row's RetainedSize only says how much of the cluster it accounts for.
func (c *Cluster) addNested(s *Snapshot, d *DomTree, n int) {
	class := leakClass(s, n)
	i := slices.IndexFunc(c.Nested, func(r ClassLeak) bool { return r.Constructor == class })
	if i < 0 {
		c.Nested = append(c.Nested, ClassLeak{Constructor: class})
		i = len(c.Nested) - 1
	}
	r := &c.Nested[i]
	r.Count++
	r.SelfSize += d.Self(n)
	r.RetainedSize += d.Self(n)
}

// signature writes the clustering key of top node n into b. Two leaked
// objects belong to one cluster when
//
//   - their retainer paths agree hop by hop on the edge type and name and
//     the reached node's type and class, with element and hidden indices
//     (and numeric property names, as in timer lists or id-keyed objects)
//     replaced by "[]";
//   - up to the first node of their own class: what follows is a chain of
//     their kind (a linked list, each member reached through the previous
//     ones), and the name of the edge entering the chain is left out, so
//     that members of a doubly-linked list reached from either end agree;
//   - they are of one class and dominate leaked objects of the same
//     classes (the nested classes), so that timers running different
//     callbacks form different clusters.
//
// Unreachable objects are grouped by class alone.
func signature(b *strings.Builder, s *Snapshot, edges []int, n int, nested []int32) {
	b.Reset()
	class := leakClass(s, n)
	for _, e := range edges {
		to := s.EdgeTo(e)
		toClass := leakClass(s, to)
		b.WriteString(s.EdgeType(e).String())
		b.WriteByte(' ')
		name := s.EdgeName(e)
		if _, isIndex := s.EdgeIndex(e); isIndex || isDecimal(name) || toClass == class {
			name = "[]"
		}
		b.WriteString(name)
		b.WriteString(" → ")
		b.WriteString(s.NodeType(to).String())
		b.WriteByte(' ')
		b.WriteString(toClass)
		b.WriteByte('\n')
		if toClass == class {
			break
		}
	}
	b.WriteString("class ")
	b.WriteString(s.NodeType(n).String())
	b.WriteByte(' ')
	b.WriteString(class)
	var classes []string
	for _, m := range nested {
		classes = append(classes, leakClass(s, int(m)))
	}
	slices.Sort(classes)
	for i, c := range slices.Compact(classes) {
		if i == 0 {
			b.WriteString("\nnested")
		}
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(c))
	}
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

// domWalker answers "which leaked nodes dominate n" in amortised constant
// time, memoising walks up the dominator tree.
type domWalker struct {
	d      *DomTree
	leaked bitset
	// near[n] caches nearest(n) + 2 (0 = not computed yet, 1 = none).
	near []int32
	// topOf caches top() for leaked nodes.
	topOf map[int]int
}

func newDomWalker(d *DomTree, leaked bitset, nodes int) *domWalker {
	return &domWalker{d: d, leaked: leaked, near: make([]int32, nodes), topOf: map[int]int{}}
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

// nearest returns the nearest leaked node on the dominator chain from n up
// to the root, n included, or -1.
func (w *domWalker) nearest(n int) int {
	var walked []int
	found := -1
	for m := n; m >= 0; m = w.parent(m) {
		if c := w.near[m]; c != 0 {
			found = int(c) - 2
			break
		}
		walked = append(walked, m)
		if w.leaked.has(m) {
			found = m
			break
		}
	}
	for _, m := range walked {
		w.near[m] = int32(found + 2)
	}
	return found
}

// ancestor returns the nearest leaked strict dominator of n, or -1.
func (w *domWalker) ancestor(n int) int {
	p := w.parent(n)
	if p < 0 {
		return -1
	}
	return w.nearest(p)
}

// hasLeakedAncestor reports whether a leaked strict dominator of n
// satisfies match.
func (w *domWalker) hasLeakedAncestor(n int, match func(int) bool) bool {
	for a := w.ancestor(n); a >= 0; a = w.ancestor(a) {
		if match(a) {
			return true
		}
	}
	return false
}

// top returns the highest leaked node dominating leaked node n (n itself
// when no leaked node dominates it).
func (w *domWalker) top(n int) int {
	var chain []int
	t := n
	for {
		if c, ok := w.topOf[t]; ok {
			t = c
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
		w.topOf[m] = t
	}
	return t
}
