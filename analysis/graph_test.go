package analysis

import (
	"slices"
	"testing"

	"github.com/leakls/leakls/internal/strtab"
)

// testNode and testEdge describe a small graph for building a Snapshot in
// memory, without going through JSON.
type testNode struct {
	t    NodeType
	name string
	self uint32
}

type testEdge struct {
	from, to int
	t        EdgeType
	name     string // for element and hidden edges, the decimal index
}

// newTestSnapshot builds a Snapshot from nodes (node 0 is the root) and
// edges, which may come in any order. Node ids are 2*ordinal+1.
func newTestSnapshot(t testing.TB, nodes []testNode, edges []testEdge) *Snapshot {
	t.Helper()
	s := &Snapshot{}
	var table strtab.Table[uint32]
	for i, n := range nodes {
		s.nodeType = append(s.nodeType, n.t)
		s.nodeName = append(s.nodeName, table.Index(n.name))
		s.nodeID = append(s.nodeID, uint32(2*i+1))
		s.selfSize = append(s.selfSize, n.self)
	}
	sorted := slices.Clone(edges)
	slices.SortStableFunc(sorted, func(a, b testEdge) int { return a.from - b.from })
	s.firstEdge = make([]uint32, len(nodes)+1)
	for _, e := range sorted {
		s.firstEdge[e.from+1]++
		s.edgeType = append(s.edgeType, e.t)
		s.edgeTarget = append(s.edgeTarget, uint32(e.to))
		if e.t.hasIndexName() {
			var v uint32
			for _, c := range e.name {
				v = v*10 + uint32(c-'0')
			}
			s.edgeName = append(s.edgeName, v)
		} else {
			s.edgeName = append(s.edgeName, table.Index(e.name))
		}
	}
	for i := 1; i <= len(nodes); i++ {
		s.firstEdge[i] += s.firstEdge[i-1]
	}
	s.strOff = []int{0}
	for _, v := range table.Strings {
		s.strs += v
		s.strOff = append(s.strOff, len(s.strs))
	}
	s.meta.NodeCount, s.meta.EdgeCount, s.meta.StringCount = len(nodes), len(sorted), len(s.strOff)-1
	if err := s.checkNames(); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRetainers(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0}, {NodeObject, "A", 10}, {NodeObject, "B", 20},
	}, []testEdge{
		{0, 1, EdgeElement, "1"}, {1, 2, EdgeProperty, "b"}, {0, 2, EdgeShortcut, "x"}, {2, 1, EdgeWeak, "back"}, {1, 2, EdgeProperty, "b2"},
	})
	var got []string
	for n := range s.NodeCount() {
		first, end := s.RetainerRange(n)
		for i := first; i < end; i++ {
			e := s.RetainerEdge(i)
			if s.RetainerNode(i) != s.EdgeFrom(e) {
				t.Errorf("retainer %d: node %d, but edge %d comes from %d", i, s.RetainerNode(i), e, s.EdgeFrom(e))
			}
			got = append(got, s.NodeName(s.EdgeFrom(e))+"-"+s.EdgeName(e)+"->"+s.NodeName(s.EdgeTo(e)))
		}
	}
	want := []string{"-1->A", "B-back->A", "-x->B", "A-b->B", "A-b2->B"}
	if !slices.Equal(got, want) {
		t.Errorf("retainers = %q, want %q", got, want)
	}
	// EdgesTo yields the same edges in the same order.
	var to []string
	for n := range s.NodeCount() {
		for e := range s.EdgesTo(n) {
			to = append(to, s.NodeName(s.EdgeFrom(e))+"-"+s.EdgeName(e)+"->"+s.NodeName(s.EdgeTo(e)))
		}
	}
	if !slices.Equal(to, want) {
		t.Errorf("EdgesTo = %q, want %q", to, want)
	}
}
