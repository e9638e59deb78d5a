package analysis

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the parser: it must never panic, and
// whatever it accepts must be a graph every algorithm can run on. The seed
// corpus (run by plain "go test") holds the format cases, a few broken
// inputs and a real snapshot written by node.
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
	real, err := os.ReadFile(realSnapshot(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
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
