package analysis

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

// bruteRetains decides independently of retainingEdges whether edge e
// retains its target under semantics m, from the rules as documented.
func bruteRetains(s *Snapshot, m Semantics, e int, pageOwned []bool) bool {
	from, to, t := s.EdgeFrom(e), s.EdgeTo(e), s.EdgeType(e)
	if t == EdgeWeak || from == to || t == EdgeShortcut && from != 0 {
		return false
	}
	if m == SemanticsDevTools {
		if from != 0 && pageOwned[to] && !pageOwned[from] {
			return false
		}
		if w, ok := parseWeakMapEdge(s.EdgeName(e)); ok && t == EdgeInternal && w.table == s.NodeID(from) {
			return false
		}
	}
	return true
}

// retainingGraph returns the graph the dominators are defined on, built
// from the documented rules (bruteRetains): the retaining edges as
// adjacency lists, plus an edge from the root to every node without a
// retaining retainer.
func retainingGraph(s *Snapshot, m Semantics) [][]int {
	n := s.NodeCount()
	pageOwned := make([]bool, n)
	if m == SemanticsDevTools {
		var stack []int
		first, end := s.EdgeRange(0)
		for e := first; e < end; e++ {
			if s.EdgeType(e) == EdgeShortcut && !pageOwned[s.EdgeTo(e)] {
				pageOwned[s.EdgeTo(e)] = true
				stack = append(stack, s.EdgeTo(e))
			}
		}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			first, end := s.EdgeRange(v)
			for e := first; e < end; e++ {
				if to := s.EdgeTo(e); s.EdgeType(e) != EdgeWeak && !pageOwned[to] {
					pageOwned[to] = true
					stack = append(stack, to)
				}
			}
		}
	}
	adj := make([][]int, n)
	hasRetainer := make([]bool, n)
	for e := range s.EdgeCount() {
		if bruteRetains(s, m, e, pageOwned) {
			adj[s.EdgeFrom(e)] = append(adj[s.EdgeFrom(e)], s.EdgeTo(e))
			hasRetainer[s.EdgeTo(e)] = true
		}
	}
	for v := 1; v < n; v++ {
		if !hasRetainer[v] {
			adj[0] = append(adj[0], v)
		}
	}
	return adj
}

// bruteDominators computes idom and retained sizes from the definitions:
// in the retaining graph (retainingGraph), u dominates v when removing u
// makes v unreachable, and retained(v) is the self size of everything
// removing v makes unreachable. Nodes unreachable even so are leaves
// under the root.
func bruteDominators(s *Snapshot, m Semantics, self func(int) uint64) (idom []int, retained []uint64) {
	n := s.NodeCount()
	adj := retainingGraph(s, m)
	reach := func(removed int) []bool {
		seen := make([]bool, n)
		if removed == 0 {
			return seen
		}
		stack := []int{0}
		seen[0] = true
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, w := range adj[v] {
				if w != removed && !seen[w] {
					seen[w] = true
					stack = append(stack, w)
				}
			}
		}
		return seen
	}
	all := reach(-1)
	// dom[v][u]: u dominates v.
	dom := make([][]bool, n)
	for v := range dom {
		dom[v] = make([]bool, n)
		dom[v][v], dom[v][0] = true, true
	}
	retained = make([]uint64, n)
	for u := range n {
		r := reach(u)
		if !all[u] {
			retained[u] = self(u)
			continue
		}
		for v := range n {
			if all[v] && !r[v] || u == 0 {
				dom[v][u] = true
				retained[u] += self(v)
			}
		}
	}
	// The immediate dominator is the strict dominator with the most
	// dominators of its own (the closest one).
	idom = make([]int, n)
	count := func(v int) (c int) {
		for _, d := range dom[v] {
			if d {
				c++
			}
		}
		return c
	}
	for v := 1; v < n; v++ {
		best := 0
		for u := range n {
			if u != v && dom[v][u] && count(u) > count(best) {
				best = u
			}
		}
		idom[v] = best
	}
	return idom, retained
}

// randomSnapshot builds a random graph of up to maxNodes nodes with every
// kind of edge, including weak, shortcut, self and WeakMap entry edges.
func randomSnapshot(t testing.TB, r *rand.Rand, maxNodes int) *Snapshot {
	n := 1 + r.IntN(maxNodes)
	nodes := []testNode{{NodeSynthetic, "", 0}}
	types := []NodeType{NodeObject, NodeObject, NodeArray, NodeHidden, NodeClosure, NodeString, NodeSynthetic, NodeNative}
	for i := 1; i < n; i++ {
		nodes = append(nodes, testNode{types[r.IntN(len(types))], "N" + strconv.Itoa(i%3), uint32(r.IntN(100))})
	}
	etypes := []EdgeType{EdgeProperty, EdgeProperty, EdgeElement, EdgeInternal, EdgeHidden, EdgeContext, EdgeShortcut, EdgeWeak}
	var edges []testEdge
	for range r.IntN(3 * n) {
		from, to := r.IntN(n), r.IntN(n)
		et := etypes[r.IntN(len(etypes))]
		name := "p" + strconv.Itoa(r.IntN(3))
		switch {
		case et.hasIndexName():
			name = strconv.Itoa(r.IntN(5))
		case et == EdgeInternal && r.IntN(2) == 0:
			// A WeakMap entry: from the table (sometimes) or the key.
			table := 2*r.IntN(n) + 1
			if r.IntN(2) == 0 {
				table = 2*from + 1
			}
			name = fmt.Sprintf("%d / part of key (K @%d) -> value (V @%d) pair in WeakMap (table @%d)", r.IntN(9), 2*r.IntN(n)+1, 2*to+1, table)
		}
		edges = append(edges, testEdge{from, to, et, name})
	}
	return newTestSnapshot(t, nodes, edges)
}

func TestDominatorsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5000 {
		// Mostly tiny graphs, where every corner case shows up, and some
		// larger ones for deeper path compression.
		maxNodes := 14
		if i%10 == 0 {
			maxNodes = 60
		}
		s := randomSnapshot(t, r, maxNodes)
		for m := range Semantics(numSemantics) {
			d := s.buildDomTree(m)
			idom, retained := bruteDominators(s, m, d.Self)
			for v := range s.NodeCount() {
				if d.Retained(v) != retained[v] || d.Idom(v) != idom[v] {
					t.Fatalf("graph %d, %v semantics, node %d: idom %d retained %d, want idom %d retained %d\n%s",
						i, m, v, d.Idom(v), d.Retained(v), idom[v], retained[v], dumpGraph(s))
				}
			}
		}
	}
}

func dumpGraph(s *Snapshot) string {
	var out string
	for v := range s.NodeCount() {
		out += fmt.Sprintf("node %d %v %q self %d:", v, s.NodeType(v), s.NodeName(v), s.SelfSize(v))
		first, end := s.EdgeRange(v)
		for e := first; e < end; e++ {
			out += fmt.Sprintf(" -%v %q-> %d", s.EdgeType(e), s.EdgeName(e), s.EdgeTo(e))
		}
		out += "\n"
	}
	return out
}

// TestRetainedBeyond4GB checks the 64-bit path for heaps whose total size
// does not fit in 32 bits.
func TestRetainedBeyond4GB(t *testing.T) {
	const big = 3 << 30
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0}, {NodeObject, "Holder", 8}, {NodeNative, "buffer", big}, {NodeNative, "buffer", big},
	}, []testEdge{{0, 1, EdgeShortcut, "global"}, {1, 2, EdgeInternal, "a"}, {1, 3, EdgeInternal, "b"}})
	d := s.Dominators(SemanticsNode)
	if d.retained64 == nil {
		t.Fatal("a 6 GB heap was not given 64-bit retained sizes")
	}
	for n, want := range []uint64{2*big + 8, 2*big + 8, big, big} {
		if got := d.Retained(n); got != want {
			t.Errorf("Retained(%d) = %d, want %d", n, got, want)
		}
	}
	if c := s.Classes(d); len(c) != 2 || c[0].Retained != 2*big+8 || c[1].Name != "buffer" || c[1].Self != 2*big || c[1].Retained != 2*big {
		t.Errorf("Classes = %+v", c)
	}
}
