package analysis

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/internal/strtab"
)

// FuzzLoad feeds arbitrary bytes to the parser: it must never panic, and
// whatever it accepts must be a graph every algorithm can run on. The seed
// corpus (run by plain "go test") holds the format cases, a few broken
// inputs and the first nodes of a real snapshot written by node.
func FuzzLoad(f *testing.F) {
	entries, err := filepath.Glob(filepath.Join("testdata", "parse", "*.heapsnapshot"))
	if err != nil || len(entries) == 0 {
		f.Fatalf("no format cases in testdata/parse: %v", err)
	}
	for _, path := range entries {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte(`{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],"node_types":[["synthetic"]],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["weak"]]},"node_count":1,"edge_count":1},"nodes":[0,0,1,0,1],"edges":[0,0,0],"strings":[""]}`))
	real, err := Load(realSnapshot(f), LoadOptions{})
	if err != nil {
		f.Fatal(err)
	}
	small := shrinkSnapshot(f, real, 300)
	if _, err := LoadReader(bytes.NewReader(small), int64(len(small)), LoadOptions{}); err != nil {
		f.Fatalf("the shrunk real snapshot does not load: %v", err)
	}
	f.Add(small)
	f.Add([]byte("\x1f\x8b\x08"))
	f.Add([]byte(`{"snapshot":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadReader(bytes.NewReader(data), int64(len(data)), LoadOptions{})
		if err != nil {
			return
		}
		for m := range Semantics(numSemantics) {
			d := s.Dominators(m)
			s.Classes(d)
			if d.Idom(0) != 0 {
				t.Fatalf("%v: the root's dominator is %d", m, d.Idom(0))
			}
		}
		s.Distances()
		for n := range s.NodeCount() {
			s.NodeName(n)
			s.Location(n)
			first, end := s.RetainerRange(n)
			for i := first; i < end; i++ {
				if e := s.RetainerEdge(i); s.EdgeTo(e) != n || s.EdgeFrom(e) != s.RetainerNode(i) {
					t.Fatalf("reverse edge %d of node %d is edge %d from %d to %d", i, n, e, s.EdgeFrom(e), s.EdgeTo(e))
				}
			}
			first, end = s.EdgeRange(n)
			for e := first; e < end; e++ {
				s.EdgeName(e)
			}
		}
		if _, err := readIDs(bytes.NewReader(data), int64(len(data)), LoadOptions{}); err != nil {
			t.Fatalf("Load accepted the input but ReadIDs failed: %v", err)
		}
	})
}

// shrinkSnapshot writes the first n nodes of s and the edges among them as
// a snapshot in Node 20's layout: a small real heap for the fuzzer, which a
// whole 4 MB snapshot would slow to a crawl.
func shrinkSnapshot(t testing.TB, s *Snapshot, n int) []byte {
	t.Helper()
	var strs strtab.Table[int32]
	intern := func(v string) int { return int(strs.Index(v)) }
	const fields = 7
	nodes, edges, locations := []int{}, []int{}, []int{}
	for v := range n {
		first, end := s.EdgeRange(v)
		count := 0
		for e := first; e < end; e++ {
			to := s.EdgeTo(e)
			if to >= n {
				continue
			}
			count++
			name, ok := s.EdgeIndex(e)
			if !ok {
				name = uint32(intern(s.EdgeName(e)))
			}
			edges = append(edges, int(s.EdgeType(e))-1, int(name), to*fields)
		}
		nodes = append(nodes, max(int(s.NodeType(v))-1, 0), intern(s.NodeName(v)), int(s.NodeID(v)), int(s.SelfSize(v)), count, 0, int(s.Detachedness(v)))
		if loc, ok := s.Location(v); ok {
			locations = append(locations, v*fields, int(loc.ScriptID), int(loc.Line), int(loc.Column))
		}
	}
	type meta struct {
		NodeFields     []string `json:"node_fields"`
		NodeTypes      []any    `json:"node_types"`
		EdgeFields     []string `json:"edge_fields"`
		EdgeTypes      []any    `json:"edge_types"`
		LocationFields []string `json:"location_fields"`
	}
	// Struct fields keep V8's section order ("snapshot" first).
	doc := struct {
		Snapshot struct {
			Meta      meta `json:"meta"`
			NodeCount int  `json:"node_count"`
			EdgeCount int  `json:"edge_count"`
		} `json:"snapshot"`
		Nodes     []int    `json:"nodes"`
		Edges     []int    `json:"edges"`
		Locations []int    `json:"locations"`
		Strings   []string `json:"strings"`
	}{Nodes: nodes, Edges: edges, Locations: locations, Strings: strs.Strings}
	doc.Snapshot.Meta = meta{
		NodeFields:     []string{"type", "name", "id", "self_size", "edge_count", "trace_node_id", "detachedness"},
		NodeTypes:      []any{nodeTypeNames[1:], "string", "number", "number", "number", "number", "number"},
		EdgeFields:     []string{"type", "name_or_index", "to_node"},
		EdgeTypes:      []any{edgeTypeNames[1:], "string_or_number", "node"},
		LocationFields: []string{"object_index", "script_id", "line", "column"},
	}
	doc.Snapshot.NodeCount, doc.Snapshot.EdgeCount = n, len(edges)/3
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
