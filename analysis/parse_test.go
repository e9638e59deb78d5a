package analysis

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseFormats loads two hand-written snapshots of the same graph: one
// in Node 18's layout (6 node fields), one with Node 20's detachedness, the
// fields in another order, an unknown node field, unknown node and edge
// types, an unknown top-level section and the sections in another order.
func TestParseFormats(t *testing.T) {
	for _, file := range []string{"node18.heapsnapshot", "node20-reordered.heapsnapshot"} {
		t.Run(file, func(t *testing.T) {
			s := mustRead(t, Load, filepath.Join("testdata", "parse", file))
			if s.NodeCount() != 6 || s.EdgeCount() != 7 {
				t.Fatalf("%d nodes, %d edges; want 6, 7", s.NodeCount(), s.EdgeCount())
			}
			type node struct {
				t    NodeType
				name string
				id   uint32
				self uint64
			}
			want := []node{
				{NodeSynthetic, "", 1, 0},
				{NodeSynthetic, "(GC roots)", 3, 0},
				{NodeObject, "global", 5, 100},
				{NodeObject, "Foo", 7, 32},
				{NodeString, "h\u00e9llo \U0001F600", 9, 24},
				{NodeString, "lone \uFFFD end \uFFFD", 11, 16},
			}
			if s.Meta().HasDetachedness {
				want[5].t = NodeUnknown // "future type"
			}
			for n, w := range want {
				got := node{s.NodeType(n), s.NodeName(n), s.NodeID(n), s.SelfSize(n)}
				if got != w {
					t.Errorf("node %d = %+v, want %+v", n, got, w)
				}
				if m, ok := s.NodeByID(w.id); !ok || m != n {
					t.Errorf("NodeByID(%d) = %d, %v; want %d", w.id, m, ok, n)
				}
			}
			if _, ok := s.NodeByID(4); ok {
				t.Error("NodeByID(4) found a node that does not exist")
			}
			type edge struct {
				from int
				t    EdgeType
				name string
				to   int
			}
			wantEdges := []edge{
				{0, EdgeElement, "1", 1}, {0, EdgeShortcut, "x", 2}, {0, EdgeElement, "3", 3},
				{1, EdgeHidden, "0", 4}, {2, EdgeProperty, "bar", 3}, {2, EdgeWeak, "x", 5},
				{3, EdgeProperty, "quote \" backslash \\ slash / nl \n tab \t bell \a", 4},
			}
			if s.Meta().HasDetachedness {
				wantEdges[6].t = EdgeUnknown // "future edge"
			}
			for e, w := range wantEdges {
				got := edge{s.EdgeFrom(e), s.EdgeType(e), s.EdgeName(e), s.EdgeTo(e)}
				if got != w {
					t.Errorf("edge %d = %+v, want %+v", e, got, w)
				}
			}
			if loc, ok := s.Location(3); !ok || loc != (Location{ScriptID: 3, Line: 10, Column: 4}) {
				t.Errorf("Location(Foo) = %+v, %v", loc, ok)
			}
			if _, ok := s.Location(2); ok {
				t.Error("global has a location it should not have")
			}
			wantDetached := []uint8{0, 0, 0, 0, 0, 0}
			if s.Meta().HasDetachedness {
				wantDetached = []uint8{0, 0, 1, 2, 0, 0}
			}
			for n, w := range wantDetached {
				if got := s.Detachedness(n); got != w {
					t.Errorf("Detachedness(%d) = %d, want %d", n, got, w)
				}
			}
			// The lone string is held only by a weak edge: an orphan under
			// the root. Foo and the string are shared, so global retains
			// only itself.
			d := s.Dominators(SemanticsNode)
			for n, want := range []uint64{172, 0, 100, 32, 24, 16} {
				if got := d.Retained(n); got != want {
					t.Errorf("Retained(%d) = %d, want %d", n, got, want)
				}
			}
		})
	}
}

// validSnapshot returns the bytes of the Node 18 format case.
func validSnapshot(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "parse", "node18.heapsnapshot"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseErrors feeds broken inputs and checks that each fails with an
// error naming the problem and the byte offset.
func TestParseErrors(t *testing.T) {
	valid := string(validSnapshot(t))
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(valid))
	w.Close()
	replace := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("test input lacks %q", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	for _, tc := range []struct {
		name, input, want string
	}{
		{"empty", "", "at byte 0: the file is empty"},
		{"gzip", gz.String(), "gzip-compressed; gunzip it first"},
		{"not JSON", "hello", "at byte 0: expected '{'"},
		{"JSON array", "[1,2]", "expected '{'"},
		{"other JSON", `{"name":"x","version":1}`, "not a V8 heap snapshot"},
		{"no meta", `{"snapshot":{"node_count":1}}`, "not a V8 heap snapshot"},
		{"fields missing", replace(`"self_size",`, `"size",`), `meta.node_fields has no "self_size" field`},
		{"more nodes declared", replace(`"node_count":6`, `"node_count":7`), "the header declares 7 nodes, the nodes array holds 6"},
		{"fewer nodes declared", replace(`"node_count":6`, `"node_count":5`), "more than the 5 nodes the header declares"},
		{"more edges declared", replace(`"edge_count":7`, `"edge_count":8`), "the header declares 8 edges, the nodes' edge counts add up to 7"},
		{"bogus counts", replace(`"node_count":6`, `"node_count":600000000`), "declares 600000000 nodes and 7 edges, more than a"},
		{"edge into a field", replace(`"edges":[1,1,6`, `"edges":[1,1,7`), "edge 0 points to nodes-array index 7, which is not the start of one of the 6 nodes"},
		{"edge past the end", replace(",6,8,30\n", ",6,8,36\n"), "edge 5 points to nodes-array index 36"},
		{"name out of range", replace(",3,2,7,32,1,0\n", ",3,99,7,32,1,0\n"), "node 3 (id 7) is named by string 99, but the string table holds 9 strings"},
		{"node type out of range", replace(",3,2,7,32,1,0\n", ",99,2,7,32,1,0\n"), "node 3 has type 99, but the header's meta lists"},
		{"edge type out of range", replace(`"edges":[1,1,6`, `"edges":[99,1,6`), "edge 0 has type 99, but the header's meta lists"},
		{"negative number", replace(",3,2,7,32,1,0\n", ",3,2,-7,32,1,0\n"), "non-negative integer"},
		{"fraction", replace(",3,2,7,32,1,0\n", ",3,2,7.5,32,1,0\n"), "expected an integer"},
		{"huge number", replace(",3,2,7,32,1,0\n", ",3,2,7,99999999999,1,0\n"), "does not fit in 32 bits"},
		{"missing comma", replace(",3,2,7,32,1,0\n", ",3,2 7,32,1,0\n"), "expected ',' between numbers"},
		{"no strings", replace(`"strings":`, `"strangs":`), "the file has no strings section"},
		{"trailing garbage", valid + "x", "unexpected data after the snapshot object"},
		{"bad location", replace(`"locations":[18,`, `"locations":[19,`), "location 0 refers to nodes-array index 19"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadReader(strings.NewReader(tc.input), int64(len(tc.input)), LoadOptions{})
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			// Parallel decoding reports the very error sequential decoding does.
			if _, perr := LoadReader(strings.NewReader(tc.input), int64(len(tc.input)), LoadOptions{Workers: 3}); perr == nil || perr.Error() != err.Error() {
				t.Errorf("with 3 workers: %v, with one: %v", perr, err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "at byte ") {
				t.Errorf("error %q, want one containing %q and the byte offset", err, tc.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %v is not a *ParseError", err)
			}
		})
	}
}

// TestParseTruncated cuts a valid snapshot at every byte: each prefix must
// fail cleanly (the whole file is needed), with the offset in the error.
func TestParseTruncated(t *testing.T) {
	valid := validSnapshot(t)
	end := bytes.LastIndexByte(valid, '}')
	nodesEnd := bytes.Index(valid, []byte("],\n\"edges\""))
	for i := range end {
		_, err := LoadReader(bytes.NewReader(valid[:i]), int64(i), LoadOptions{})
		if err == nil {
			t.Fatalf("prefix of %d bytes parsed without error", i)
		}
		if !strings.Contains(err.Error(), "at byte ") {
			t.Fatalf("prefix of %d bytes: error %q does not name the offset", i, err)
		}
		if _, err := readIDs(bytes.NewReader(valid[:i]), int64(i), LoadOptions{}); err == nil && i <= nodesEnd {
			t.Fatalf("ReadIDs of a %d-byte prefix (nodes incomplete) succeeded", i)
		}
	}
}

// TestParseHugeGarbage checks that a 2 GB file of garbage, and a 2 GB file
// whose header claims a huge graph, fail at once without allocating from
// the bogus numbers. The files are sparse: they take no disk space.
func TestParseHugeGarbage(t *testing.T) {
	header := string(validSnapshot(t)[:bytes.Index(validSnapshot(t), []byte(`"nodes"`))])
	header = strings.Replace(header, `"node_count":6`, `"node_count":100000000`, 1)
	for name, prefix := range map[string]string{
		"zeros":      "",
		"big header": header + `"nodes":[`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "garbage.heapsnapshot")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteString(prefix); err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(2 << 30); err != nil {
				t.Skipf("cannot make a sparse 2 GB file here: %v", err)
			}
			f.Close()
			_, err = Load(path, LoadOptions{})
			if err == nil || !strings.Contains(err.Error(), "at byte ") {
				t.Fatalf("Load: %v, want an error with the offset", err)
			}
			if _, err := ReadIDs(path, LoadOptions{}); err == nil {
				t.Fatal("ReadIDs succeeded on garbage")
			}
		})
	}
}

// TestParseProgress checks that Progress reports the bytes read.
func TestParseProgress(t *testing.T) {
	valid := validSnapshot(t)
	var last int64
	_, err := LoadReader(bytes.NewReader(valid), int64(len(valid)), LoadOptions{Progress: func(stage string, done, total int64) {
		if stage != "parse" || total != int64(len(valid)) || done < last {
			t.Errorf("Progress(%q, %d, %d) after %d", stage, done, total, last)
		}
		last = done
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last != int64(len(valid)) {
		t.Errorf("last progress %d, want %d", last, len(valid))
	}
}

// TestNodeOrdinal checks the division by multiplication against the
// division, for the record sizes V8 writes and others, at the ends of the
// 32-bit range and around every multiple near them.
func TestNodeOrdinal(t *testing.T) {
	for nf := 5; nf <= 16; nf++ {
		lay := layout{nodeFields: nf, nodeDiv: ^uint64(0)/uint64(nf) + 1}
		for _, base := range []uint32{0, 1 << 20, 1<<31 - 64, 1<<32 - 64} {
			for i := base; i < base+63; i++ {
				got, start := lay.nodeOrdinal(i)
				if got != i/uint32(nf) || start != (i%uint32(nf) == 0) {
					t.Fatalf("%d fields: nodeOrdinal(%d) = %d, %v", nf, i, got, start)
				}
			}
		}
	}
}
