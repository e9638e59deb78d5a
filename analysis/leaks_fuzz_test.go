package analysis

import (
	"strconv"
	"testing"
)

// graphFromBytes builds a small snapshot from fuzz input: the first byte
// sets the node count, then two bytes per node (type, name) and three per
// edge (from, to, kind). Names and edge kinds are drawn from the ones the
// leak search, the path rules and the source hints look at.
func graphFromBytes(t testing.TB, data []byte) *Snapshot {
	if len(data) == 0 {
		data = []byte{0}
	}
	n := 1 + int(data[0])%24
	data = data[1:]
	types := []NodeType{NodeObject, NodeClosure, NodeArray, NodeHidden, NodeCode, NodeString, NodeConsString, NodeSynthetic, NodeNative, NodeObjectShape, NodeNumber}
	names := []string{"Order", "system / Context", "(map descriptors)", "system / NativeContext", "system / PropertyCell", "global", "", "file.js"}
	edgeNames := []string{"shared", "script", "script_or_debug_info", "context", "source", "name", "code", "table", "previous", "x"}
	edgeTypes := []EdgeType{EdgeProperty, EdgeElement, EdgeInternal, EdgeHidden, EdgeContext, EdgeShortcut, EdgeWeak, EdgeInternal}
	nodes := []testNode{{NodeSynthetic, "", 0}}
	for i := 1; i < n; i++ {
		var tb, nb byte
		if len(data) >= 2 {
			tb, nb, data = data[0], data[1], data[2:]
		}
		nodes = append(nodes, testNode{types[int(tb)%len(types)], names[int(nb)%len(names)], uint32(tb)})
	}
	var edges []testEdge
	for len(data) >= 3 {
		from, to, kind := int(data[0])%n, int(data[1])%n, int(data[2])
		data = data[3:]
		et := edgeTypes[kind%len(edgeTypes)]
		name := edgeNames[(kind/len(edgeTypes))%len(edgeNames)]
		if et.hasIndexName() {
			name = strconv.Itoa(kind % 7)
		}
		edges = append(edges, testEdge{from, to, et, name})
	}
	return newTestSnapshot(t, nodes, edges)
}

// FuzzLeakReport runs the leak search, retainer paths, source hints and
// the summary over arbitrary small graphs: none may panic, and every path
// must be a connected chain of followable edges from the root.
func FuzzLeakReport(f *testing.F) {
	f.Add([]byte{5, 0, 0, 1, 1, 0, 5, 1, 0, 0, 1, 5, 1, 2, 2, 3, 3, 4, 4, 0})
	f.Add([]byte{8, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 0, 1, 5, 1, 2, 18, 2, 3, 8, 3, 4, 3, 4, 5, 19, 5, 6, 41})
	f.Add([]byte{3, 0, 0, 0, 0, 0, 1, 6, 1, 1, 6, 1, 2, 6})
	f.Add([]byte{})
	f.Fuzz(checkLeakReport)
}

// checkLeakReport is the body of FuzzLeakReport.
func checkLeakReport(t *testing.T, data []byte) {
	s := graphFromBytes(t, data)
	paths := NewPaths(s)
	for n := 0; n < s.NodeCount(); n++ {
		edges := paths.Edges(n)
		if paths.Depth(n) != len(edges) && !(n == 0 || !paths.Reachable(n)) {
			t.Fatalf("node %d: depth %d, %d edges", n, paths.Depth(n), len(edges))
		}
		for i, e := range edges {
			from := s.EdgeFrom(e)
			if (i == 0 && from != 0) || (i > 0 && from != s.EdgeTo(edges[i-1])) || pathEdgeRank(s, from, e, s.EdgeTo(e)) == edgeSkipped && i > 0 {
				t.Fatalf("node %d: bad path %v", n, edges)
			}
		}
	}
	src := NewSources(s)
	for n := -1; n <= s.NodeCount(); n++ {
		src.Hint(n)
		src.Variables(n)
		src.Context(n)
	}
	for _, name := range src.Scripts() {
		src.ScriptSource(name)
	}
	// Baseline: the first third of the ids; target: all of them.
	var base []uint32
	for n := 0; n < s.NodeCount()/3; n++ {
		base = append(base, s.NodeID(n))
	}
	for _, sem := range []Semantics{SemanticsNode, SemanticsDevTools} {
		rep := FindLeaks(newIDSet(base), s.IDs(), s, LeakOptions{Semantics: sem, Paths: paths, Sources: src})
		objects := 0
		for _, c := range rep.Clusters {
			objects += c.Objects
			if len(c.Path) == 0 || c.Variable < -1 || c.Variable >= len(c.Path) {
				t.Fatalf("cluster without a path, or its variable outside it: %+v", c)
			}
		}
		if objects != rep.Count {
			t.Fatalf("clusters hold %d objects, report counts %d", objects, rep.Count)
		}
		Summarize(s, sem, 3, nil)
	}
}
