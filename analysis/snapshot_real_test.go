package analysis

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// realProgram is run by real node to write the snapshot the tests check.
// A module-level Map caches 500 Session objects (each with a 2 KB string
// and a nested object); a WeakMap holds values keyed by objects that are
// otherwise unreachable; a listener closure captures a request.
const realProgram = `
const v8 = require('v8');
class Session {
  constructor(i) {
    this.id = i;
    this.body = [i, 'x'.repeat(2048)].join('');
    this.meta = { created: i, tags: ['a' + i] };
  }
}
const sessionCache = new Map();
for (let i = 0; i < 500; i++) sessionCache.set(i, new Session(i));
globalThis.sessionCache = sessionCache;
const weak = new WeakMap();
for (let i = 0; i < 50; i++) weak.set({ key: i }, { value: 'v'.repeat(100) + i });
globalThis.weak = weak;
const { EventEmitter } = require('events');
globalThis.bus = new EventEmitter();
const req = { url: '/x', payload: 'p'.repeat(4096) };
globalThis.bus.on('tick', function onTick() { return req.url; });
v8.writeHeapSnapshot(process.argv[1]);
`

var real testenv.Once[string]

// realSnapshot returns the path of a snapshot written by real node from
// realProgram, once per test binary.
func realSnapshot(t testing.TB) string {
	t.Helper()
	node := testenv.Node(t)
	path, err := real.Do("", func() (string, error) {
		dir, err := os.MkdirTemp(fixtureRoot, "real-") // removed by TestMain
		if err != nil {
			return "", err
		}
		path := filepath.Join(dir, "real.heapsnapshot")
		if out, err := exec.Command(node, "-e", realProgram, path).CombinedOutput(); err != nil {
			return "", fmt.Errorf("%v\n%s", err, out)
		}
		return path, nil
	})
	if err != nil {
		t.Fatalf("writing a snapshot with node: %v", err)
	}
	return path
}

// findNode returns the first node of type t named name.
func findNode(t *testing.T, s *Snapshot, typ NodeType, name string) int {
	t.Helper()
	for n := range s.NodeCount() {
		if s.NodeType(n) == typ && s.NodeName(n) == name {
			return n
		}
	}
	t.Fatalf("no %v node named %q", typ, name)
	return -1
}

// property returns the target of n's property edge called name.
func property(t *testing.T, s *Snapshot, n int, name string) int {
	t.Helper()
	first, end := s.EdgeRange(n)
	for e := first; e < end; e++ {
		if t := s.EdgeType(e); (t == EdgeProperty || t == EdgeInternal || t == EdgeContext) && s.EdgeName(e) == name {
			return s.EdgeTo(e)
		}
	}
	t.Fatalf("node %d (%s) has no edge %q", n, s.NodeName(n), name)
	return -1
}

func TestRealSnapshot(t *testing.T) {
	path := realSnapshot(t)
	s := mustRead(t, Load, path)
	m := s.Meta()
	if !m.HasDetachedness || !m.HasLocations || len(m.NodeFields) != 7 {
		t.Errorf("meta = %+v, want Node 20's 7 node fields with detachedness and locations", m)
	}
	if s.NodeName(0) != "" || s.NodeType(0) != NodeSynthetic || s.NodeID(0) != 1 {
		t.Errorf("node 0 is %v %q id %d, want the synthetic root with id 1", s.NodeType(0), s.NodeName(0), s.NodeID(0))
	}

	global := -1
	first, end := s.EdgeRange(0)
	for e := first; e < end; e++ {
		if s.EdgeType(e) == EdgeShortcut {
			global = s.EdgeTo(e)
		}
	}
	if global < 0 || s.NodeName(global) != "global" {
		t.Fatalf("the root has no shortcut edge to global")
	}
	cache := property(t, s, global, "sessionCache")
	if s.NodeType(cache) != NodeObject || s.NodeName(cache) != "Map" {
		t.Fatalf("sessionCache is %v %q", s.NodeType(cache), s.NodeName(cache))
	}

	// Under both semantics the Map dominates each of its Sessions, and its
	// retained size holds them all: 500 × (2 KB string + the objects).
	var sessions []int
	for n := range s.NodeCount() {
		if s.NodeType(n) == NodeObject && s.NodeName(n) == "Session" {
			sessions = append(sessions, n)
		}
	}
	if len(sessions) != 500 {
		t.Fatalf("%d Session objects, want 500", len(sessions))
	}
	for _, sem := range []Semantics{SemanticsNode, SemanticsDevTools} {
		d := s.Dominators(sem)
		var sum uint64
		for _, n := range sessions {
			if !dominates(d, cache, n) {
				t.Fatalf("%v: the Map does not dominate Session %d", sem, s.NodeID(n))
			}
			sum += d.Retained(n)
		}
		if r := d.Retained(cache); r < sum || sum < 500*2048 {
			t.Errorf("%v: Map retains %d, its Sessions %d (want ≥ %d)", sem, r, sum, 500*2048)
		}
		var total uint64
		for n := range s.NodeCount() {
			total += d.Self(n)
		}
		if d.Retained(0) != total {
			t.Errorf("%v: the root retains %d, the heap totals %d", sem, d.Retained(0), total)
		}
		classes := s.Classes(d)
		var session *ClassStat
		for i := range classes {
			if classes[i].Name == "Session" {
				session = &classes[i]
			}
		}
		if session == nil || session.Count != 500 || session.Retained != sum {
			t.Errorf("%v: Session class = %+v, want 500 objects retaining %d", sem, session, sum)
		}
	}

	// A WeakMap does not retain values whose keys nothing else holds (50
	// values of over 100 bytes each).
	weakMap := property(t, s, global, "weak")
	for _, sem := range []Semantics{SemanticsNode, SemanticsDevTools} {
		if r := s.Dominators(sem).Retained(weakMap); r > 5000 {
			t.Errorf("%v: the WeakMap retains %d bytes; its entries' keys are unreachable", sem, r)
		}
	}

	// The listener closure has its source position: line 21 (0-based) of
	// the -e script, at the parameter list's "(".
	onTick := findNode(t, s, NodeClosure, "onTick")
	loc, ok := s.Location(onTick)
	lines := strings.Split(realProgram, "\n")
	if !ok || int(loc.Line) >= len(lines) || !strings.HasPrefix(lines[loc.Line][loc.Column:], "()") {
		t.Errorf("onTick location = %+v, %v", loc, ok)
	}

	dist := s.Distances()
	if dist[global] != 1 || dist[cache] != 2 || dist[0] != BaseSystemDistance {
		t.Errorf("distances: global %d, cache %d, root %d", dist[global], dist[cache], dist[0])
	}
	for _, n := range sessions {
		if dist[n] <= dist[cache] || dist[n] > 10 {
			t.Fatalf("Session %d at distance %d", s.NodeID(n), dist[n])
		}
	}

	ids := mustRead(t, ReadIDs, path)
	all := s.IDs()
	if ids.Len() != all.Len() || ids.MaxID() != all.MaxID() {
		t.Errorf("ReadIDs: %d ids up to %d; Load: %d up to %d", ids.Len(), ids.MaxID(), all.Len(), all.MaxID())
	}
	for n := range s.NodeCount() {
		if id := s.NodeID(n); !ids.Has(id) {
			t.Fatalf("ReadIDs lacks id %d", id)
		}
		if m, ok := s.NodeByID(s.NodeID(n)); !ok || s.NodeID(m) != s.NodeID(n) {
			t.Fatalf("NodeByID(%d) = %d, %v", s.NodeID(n), m, ok)
		}
	}
	if ids.Has(ids.MaxID() + 2) {
		t.Error("IDSet has an id past its maximum")
	}
}

// dominates reports whether a dominates b in d.
func dominates(d *DomTree, a, b int) bool {
	for b != 0 {
		if b == a {
			return true
		}
		b = d.Idom(b)
	}
	return a == 0
}

// TestTruncatedSnapshot cuts a real snapshot short in each of its sections
// (a copy or a download that stopped, a process killed while writing):
// loading it, and reading it as a baseline, must fail with a message that
// says the file is truncated, never load part of it as if it were whole.
func TestTruncatedSnapshot(t *testing.T) {
	data, err := os.ReadFile(realSnapshot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{`"snapshot"`, `"nodes"`, `"edges"`, `"strings"`} {
		at := bytes.Index(data, []byte(section))
		if at < 0 {
			t.Fatalf("no %s section in the snapshot", section)
		}
		cut := data[:at+len(section)+64]
		if _, err := LoadReader(bytes.NewReader(cut), int64(len(cut)), LoadOptions{}); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("Load of the snapshot cut in %s: %v, want an error that says it is truncated", section, err)
		}
		if section == `"strings"` {
			continue // the id set is read from the nodes alone
		}
		if _, err := readIDs(bytes.NewReader(cut), int64(len(cut)), LoadOptions{}); err == nil || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("ReadIDs of the snapshot cut in %s: %v, want an error that says it is truncated", section, err)
		}
	}
}
