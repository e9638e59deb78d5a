package analysis

import (
	"slices"
	"strings"
	"testing"
)

// pathNames returns the edge names of node n's retainer path.
func pathNames(p *Paths, s *Snapshot, n int) []string {
	var names []string
	for _, e := range p.Edges(n) {
		names = append(names, s.EdgeName(e))
	}
	return names
}

func TestPathRules(t *testing.T) {
	const (
		root = iota
		global
		gcRoots
		held
		a
		weakOnly
		code
		behindCode
		shape
		viaLongWay
		p
		q
		onlyViaShape
		twice
		descriptors
		detailSlot
		valueSlot
		numNodes
	)
	nodes := make([]testNode, numNodes)
	for i := range nodes {
		nodes[i] = testNode{NodeObject, "O", 8}
	}
	nodes[root] = testNode{NodeSynthetic, "", 0}
	nodes[global] = testNode{NodeObject, "global", 8}
	nodes[gcRoots] = testNode{NodeSynthetic, "(GC roots)", 0}
	nodes[code] = testNode{NodeCode, "system / FeedbackVector", 8}
	nodes[shape] = testNode{NodeObjectShape, "system / Map", 8}
	nodes[descriptors] = testNode{NodeArray, "(map descriptors)", 8}
	edges := []testEdge{
		{root, gcRoots, EdgeElement, "1"},
		{root, global, EdgeShortcut, "2"},
		// held: one hop from a synthetic root, two from the user root.
		{gcRoots, held, EdgeElement, "0"},
		{global, a, EdgeProperty, "a"},
		{a, held, EdgeProperty, "held"},
		// weak and code edges do not lead anywhere.
		{global, weakOnly, EdgeWeak, "w"},
		{global, code, EdgeInternal, "feedback"},
		{code, behindCode, EdgeProperty, "y"},
		// a hidden class is a fallback: the longer way through objects wins.
		{global, shape, EdgeInternal, "map"},
		{shape, viaLongWay, EdgeInternal, "constructor"},
		{shape, onlyViaShape, EdgeInternal, "prototype"},
		{a, p, EdgeProperty, "p"},
		{p, q, EdgeProperty, "q"},
		{q, viaLongWay, EdgeProperty, "z"},
		// ties go to the first edge.
		{global, twice, EdgeProperty, "first"},
		{global, twice, EdgeProperty, "second"},
		// descriptor arrays: details slots (index%3 == 1 from 2) skipped.
		{global, descriptors, EdgeInternal, "descriptors"},
		{descriptors, detailSlot, EdgeElement, "4"},
		{descriptors, valueSlot, EdgeElement, "3"},
		// self references are ignored.
		{held, held, EdgeProperty, "self"},
	}
	s := newTestSnapshot(t, nodes, edges)
	paths := NewPaths(s)
	want := map[int][]string{
		global:       {"2"},
		held:         {"2", "a", "held"},
		viaLongWay:   {"2", "a", "p", "q", "z"},
		onlyViaShape: {"2", "map", "prototype"},
		twice:        {"2", "first"},
		valueSlot:    {"2", "descriptors", "3"},
		gcRoots:      {"1"},
	}
	for n, names := range want {
		if got := pathNames(paths, s, n); !equalStrings(got, names) {
			t.Errorf("path of node %d: %v, want %v", n, got, names)
		}
		if d := paths.Depth(n); d != len(names) {
			t.Errorf("depth of node %d: %d, want %d", n, d, len(names))
		}
	}
	for _, n := range []int{weakOnly, code, behindCode, detailSlot} {
		if paths.Reachable(n) || paths.Edges(n) != nil || paths.Depth(n) != -1 {
			t.Errorf("node %d must have no retainer path, got %v", n, pathNames(paths, s, n))
		}
	}
	if paths.Edges(root) != nil || !paths.Reachable(root) || paths.Reachable(-1) || paths.Reachable(numNodes) {
		t.Error("root or out-of-range nodes handled wrongly")
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestPathsOnRealSnapshot(t *testing.T) {
	_, final := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	paths := NewPaths(final)
	reachable := 0
	for n := 1; n < final.NodeCount(); n++ {
		edges := paths.Edges(n)
		if edges == nil {
			continue
		}
		reachable++
		if final.EdgeFrom(edges[0]) != 0 || final.EdgeTo(edges[len(edges)-1]) != n {
			t.Fatalf("node %d: path does not run from the root to the node", n)
		}
		for i, e := range edges {
			if i > 0 && final.EdgeFrom(e) != final.EdgeTo(edges[i-1]) {
				t.Fatalf("node %d: hop %d is not connected", n, i)
			}
			if final.EdgeType(e) == EdgeWeak || (i > 0 && final.EdgeType(e) == EdgeShortcut) {
				t.Fatalf("node %d: path uses a %s edge", n, final.EdgeType(e))
			}
			if final.NodeType(final.EdgeTo(e)) == NodeCode {
				t.Fatalf("node %d: path goes through code", n)
			}
		}
	}
	// Almost the whole heap is reachable; code and what only code holds is not.
	if reachable < final.NodeCount()/2 {
		t.Errorf("only %d of %d nodes have a retainer path", reachable, final.NodeCount())
	}
}

// TestPathsAvoidTransientRoots checks that an object the running native
// code holds in a handle scope, or in an identity map of V8's, gets its
// path through the stack and the variable that holds it, though that path
// is longer; and that an object only a handle holds still gets one.
func TestPathsAvoidTransientRoots(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeSynthetic, "(GC roots)", 0},
		{NodeSynthetic, "(Handle scope)", 0},
		{NodeSynthetic, "(Strong roots)", 0},
		{NodeSynthetic, "(Stack roots)", 0},
		{NodeObject, "system / Context", 32},
		{NodeObject, "EventEmitter", 32},
		{NodeObject, "Object", 16},
		{NodeObject, "Map", 32},
		{NodeObject, "Temp", 16},
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeElement, "1"},
		{1, 3, EdgeElement, "2"},
		{1, 4, EdgeElement, "3"},
		{2, 7, EdgeInternal, "0"},
		{3, 8, EdgeInternal, "56 / IdentityMapBase"},
		{2, 9, EdgeInternal, "1"},
		{4, 5, EdgeInternal, "30"},
		{5, 6, EdgeContext, "bus"},
		{5, 8, EdgeContext, "cache"},
		{6, 7, EdgeProperty, "_events"},
	})
	p := NewPaths(s)
	for n, want := range map[int][]string{
		7: {"1", "3", "30", "bus", "_events"},
		8: {"1", "3", "30", "cache"},
		9: {"1", "1", "1"},
	} {
		if got := pathNames(p, s, n); !slices.Equal(got, want) {
			t.Errorf("%s: path %q, want %q", s.NodeName(n), got, want)
		}
	}
}

func TestHopText(t *testing.T) {
	for _, tc := range []struct {
		hop        Hop
		edge, node string
	}{
		{Hop{Edge: "cache", EdgeType: "property", Name: "Map", Type: "object"}, ".cache", "Map (object)"},
		{Hop{Edge: "3", EdgeType: "element", Name: "", Type: "object"}, "[3]", "(no name) (object)"},
		{Hop{Edge: "sessions", EdgeType: "context", Name: "Map", Type: "object"}, "var sessions", "Map (object)"},
		{Hop{Edge: "context", EdgeType: "internal", Name: "system / Context", Type: "object"}, "internal context", "system / Context (object)"},
		{Hop{Name: "global", Type: "object"}, "", "global (object)"},
		{Hop{Edge: strings.Repeat("é", 30), EdgeType: "internal", Name: "x", Type: "hidden"}, "internal " + strings.Repeat("é", 18) + "...", "x (hidden)"},
	} {
		if got := tc.hop.EdgeText(); got != tc.edge {
			t.Errorf("EdgeText(%+v) = %q, want %q", tc.hop, got, tc.edge)
		}
		if got := tc.hop.Object(); got != tc.node {
			t.Errorf("Object(%+v) = %q, want %q", tc.hop, got, tc.node)
		}
	}
}
