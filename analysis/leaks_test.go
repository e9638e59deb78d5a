package analysis

import (
	"cmp"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// fixtureLine returns the 1-based line of the first line of the fixture
// program that contains text.
func fixtureLine(t *testing.T, program, text string) int {
	t.Helper()
	return testenv.LineOf(t, filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "fixtures", program), text)
}

func leakRow(rep *LeakReport, class string) (ClassLeak, bool) {
	for _, r := range rep.Leaked {
		if r.Constructor == class {
			return r, true
		}
	}
	return ClassLeak{}, false
}

// clusterOf returns the clusters of constructor class.
func clustersOf(rep *LeakReport, class string) []Cluster {
	var out []Cluster
	for _, c := range rep.Clusters {
		if c.Constructor == class {
			out = append(out, c)
		}
	}
	return out
}

// hasHop reports whether path has a hop over an edge of type edgeType
// named edge.
func hasHop(path []Hop, edgeType, edge string) bool {
	return slices.ContainsFunc(path, func(h Hop) bool { return h.EdgeType == edgeType && h.Edge == edge })
}

func TestLeaksExactCountsPerConstructor(t *testing.T) {
	for _, sem := range []Semantics{SemanticsNode, SemanticsDevTools} {
		t.Run(sem.String(), func(t *testing.T) {
			rep, _ := loadLeakFixture(t, "leaks.js", sem, "20")
			checkLeakCounts(t, rep)
		})
	}
}

// TestLeaksAcrossNodeReleases runs the leaking fixture under Node 18, 22
// and 24, whose snapshots differ in layout and in how scripts are named,
// and requires the same exact counts and the same holders on the paths.
func TestLeaksAcrossNodeReleases(t *testing.T) {
	for _, major := range testenv.NodeReleases {
		t.Run(fmt.Sprintf("node%d", major), func(t *testing.T) {
			rep, final := loadLeakFixtureUnder(t, testenv.NodeRelease(t, major), "leaks.js", SemanticsNode, "20")
			checkLeakCounts(t, rep)
			src := NewSources(final)
			for _, c := range rep.Clusters {
				if c.Variable < 0 {
					t.Errorf("%s: no variable on the path:\n%s", c.Constructor, formatPath(c.Path))
				}
				if c.Constructor != "Order" {
					continue
				}
				// The script name of an object's constructor, which Node 18
				// builds as a concatenated string.
				h, ok := src.Hint(c.Path[len(c.Path)-1].Node)
				if !ok || !strings.HasSuffix(h.ScriptName, filepath.Join("fixtures", "leaks.js")) {
					t.Errorf("Order's script is %q, want leaks.js", h.ScriptName)
				}
			}
		})
	}
}

// checkLeakCounts checks the leak report of fixtures/leaks.js: exactly
// fixtureN objects of each leaking kind, nothing that died, consistent
// totals and clusters sorted by retained size.
func checkLeakCounts(t *testing.T, rep *LeakReport) {
	t.Helper()
	want := map[string]int{
		"Order": fixtureN, "Subscriber": fixtureN, "Poller": fixtureN,
		"AuditEntry": fixtureN, "PendingReq": fixtureN,
		"onTick()": fixtureN, "poll()": fixtureN, "retry()": fixtureN,
		"Timeout": 2 * fixtureN, // one interval and one timeout per request
		"Array":   fixtureN,     // Order.lines
		"Object":  fixtureN,     // PendingReq.body
	}
	for class, n := range want {
		row, ok := leakRow(rep, class)
		if !ok || row.Count != n {
			t.Errorf("%s: count %d (present %v), want %d", class, row.Count, ok, n)
		}
		if ok && (row.SelfSize == 0 || row.RetainedSize < row.SelfSize) {
			t.Errorf("%s: sizes self %d retained %d", class, row.SelfSize, row.RetainedSize)
		}
	}
	if len(rep.Leaked) != len(want) {
		t.Errorf("leaked table has %d rows, want %d: %+v", len(rep.Leaked), len(want), rep.Leaked)
	}
	// The WeakMap entries and the garbage died with their keys.
	for _, class := range []string{"Session", "SessionData", "Scratch"} {
		if row, ok := leakRow(rep, class); ok {
			t.Errorf("%s reported as leaked: %+v", class, row)
		}
	}
	total := 0
	for _, r := range rep.Leaked {
		total += r.Count
	}
	if rep.Count != total {
		t.Errorf("report count %d, rows add up to %d", rep.Count, total)
	}
	if !slices.IsSortedFunc(rep.Clusters, func(a, b Cluster) int { return cmp.Compare(b.RetainedSize, a.RetainedSize) }) {
		t.Errorf("clusters not sorted by retained size")
	}
}

func TestLeakClustersShowHolders(t *testing.T) {
	rep, _ := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	const program = "leaks.js"
	check := func(class string, count int, nested []string, holders [][2]string, variable string, line int) {
		t.Helper()
		cs := clustersOf(rep, class)
		if len(cs) == 0 {
			t.Errorf("no cluster of %s", class)
			return
		}
		var c Cluster
		for _, x := range cs {
			ok := true
			for _, n := range nested {
				ok = ok && slices.ContainsFunc(x.Nested, func(r ClassLeak) bool { return r.Constructor == n && r.Count == fixtureN })
			}
			if ok {
				c = x
			}
		}
		if c.Count != count {
			t.Errorf("%s (nesting %v): cluster count %d, want %d; clusters: %+v", class, nested, c.Count, count, cs)
			return
		}
		if len(c.IDs) == 0 || c.Objects != count*(1+len(nested)) {
			t.Errorf("%s: ids %v, objects %d", class, c.IDs, c.Objects)
		}
		if v := c.Variable; v < 0 || v >= len(c.Path) || c.Path[v].EdgeType != "context" || c.Path[v].Edge != variable {
			t.Errorf("%s: variable hop %d, want %q:\n%s", class, v, variable, formatPath(c.Path))
		}
		for _, h := range holders {
			if !hasHop(c.Path, h[0], h[1]) {
				t.Errorf("%s: path lacks %s edge %q:\n%s", class, h[0], h[1], formatPath(c.Path))
			}
		}
		last := c.Path[len(c.Path)-1]
		if last.Name != strings.TrimSuffix(class, "()") {
			t.Errorf("%s: path ends at %q", class, last.Name)
		}
		if line != 0 {
			if !strings.HasSuffix(last.File, "/analysis/testdata/fixtures/"+program) || last.Line != line {
				t.Errorf("%s: last hop at %s:%d, want %s:%d", class, last.File, last.Line, program, line)
			}
		}
		if c.Path[0].Node != 0 && c.Path[0].ID == 0 {
			t.Errorf("%s: path does not start at a root child: %+v", class, c.Path[0])
		}
	}
	check("Order", fixtureN, []string{"Array"}, [][2]string{{"context", "orderCache"}, {"internal", "table"}}, "orderCache", fixtureLine(t, program, "class Order {")+1) // the constructor
	check("onTick()", fixtureN, []string{"Subscriber"}, [][2]string{{"context", "bus"}, {"property", "_events"}, {"property", "tick"}}, "bus", fixtureLine(t, program, "function onTick()"))
	check("AuditEntry", fixtureN, nil, [][2]string{{"context", "auditLog"}}, "auditLog", 0)
	check("Timeout", fixtureN, []string{"poll()", "Poller"}, [][2]string{{"context", "timerListMap"}}, "timerListMap", 0)
	check("Timeout", fixtureN, []string{"retry()", "PendingReq", "Object"}, [][2]string{{"context", "timerListMap"}}, "timerListMap", 0)
}

func TestNoLeaksInCorrectProgram(t *testing.T) {
	for _, sem := range []Semantics{SemanticsNode, SemanticsDevTools} {
		rep, _ := loadLeakFixture(t, "noleak.js", sem, "20")
		if rep.Count != 0 || len(rep.Clusters) != 0 || len(rep.Leaked) != 0 {
			t.Errorf("%s: leaks reported in noleak.js: %+v", sem, rep.Leaked)
		}
	}
}

func TestLeakReportDeterministic(t *testing.T) {
	a, final := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	b, tg, _ := snapshotFiles(fixture(t, "leaks.js", "20"))
	base, _ := ReadIDs(b, LoadOptions{})
	target, _ := ReadIDs(tg, LoadOptions{})
	again := FindLeaks(base, target, final, LeakOptions{Paths: NewPaths(final), Sources: NewSources(final)})
	if !reflect.DeepEqual(a, again) {
		t.Error("two runs over the same snapshots differ")
	}
}

func TestNoLeaksAgainstItself(t *testing.T) {
	_, final := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	ids := final.IDs()
	if rep := FindLeaks(ids, ids, final, LeakOptions{}); rep.Count != 0 {
		t.Errorf("target = baseline must leak nothing, got %d", rep.Count)
	}
}

func formatPath(path []Hop) string {
	var b strings.Builder
	for _, h := range path {
		b.WriteString("  " + h.EdgeType + " " + h.Edge + " -> " + h.Type + " " + h.Name + "\n")
	}
	return b.String()
}

// TestLeakMinCount checks that MinCount counts the objects a cluster
// holds, nested ones included: a cluster of N listeners that each keep a
// Subscriber holds 2N objects and stays with MinCount N+1, while the
// clusters of N objects holding nothing else are dropped.
func TestLeakMinCount(t *testing.T) {
	all, final := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	b, tg, _ := snapshotFiles(fixture(t, "leaks.js", "20"))
	base, _ := ReadIDs(b, LoadOptions{})
	target, _ := ReadIDs(tg, LoadOptions{})
	kept := FindLeaks(base, target, final, LeakOptions{MinCount: fixtureN})
	kept.OmittedClusters, kept.OmittedObjects = 0, 0
	if !reflect.DeepEqual(all, kept) {
		t.Error("MinCount = N dropped clusters of N objects")
	}
	most := 0
	for _, c := range all.Clusters {
		most = max(most, c.Objects)
	}
	none := FindLeaks(base, target, final, LeakOptions{MinCount: most + 1})
	if none.Count != 0 || none.SelfSize != 0 || none.RetainedSize != 0 || len(none.Leaked) != 0 || len(none.Clusters) != 0 {
		t.Errorf("MinCount above every cluster's objects kept %d objects in %d clusters", none.Count, len(none.Clusters))
	}
	if none.OmittedClusters != len(all.Clusters) {
		t.Errorf("omitted %d clusters; want %d", none.OmittedClusters, len(all.Clusters))
	}

	some := FindLeaks(base, target, final, LeakOptions{MinCount: fixtureN + 1})
	for _, c := range all.Clusters {
		held := slices.ContainsFunc(some.Clusters, func(k Cluster) bool { return k.IDs[0] == c.IDs[0] })
		if want := c.Objects > fixtureN; held != want {
			t.Errorf("MinCount = N+1: cluster of %d objects holding %d kept = %v, want %v", c.Count, c.Objects, held, want)
		}
	}
	if len(some.Clusters) == 0 || len(some.Clusters) == len(all.Clusters) {
		t.Errorf("MinCount = N+1 kept %d of %d clusters; the fixture has clusters with and without nested objects", len(some.Clusters), len(all.Clusters))
	}
}

// TestLeaksIgnoreUntrackedIDs checks that an embedder node whose even id
// happens to be in the target and not in the baseline is not reported:
// V8 makes such ids from addresses of per-snapshot graph nodes, so the
// match says nothing about the object's age. A JS object in the same
// position is reported.
func TestLeaksIgnoreUntrackedIDs(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeObject, "Holder", 16},
		{NodeNative, "Node / std::basic_string", 24},
		{NodeObject, "Order", 32},
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeInternal, "name"},
		{1, 3, EdgeProperty, "order"},
	})
	s.nodeID[2] = 1581545056 // an id as V8 gives Node's strings
	base := newIDSet([]uint32{s.NodeID(0), s.NodeID(1)})
	target := s.IDs()
	rep := FindLeaks(base, target, s, LeakOptions{})
	var classes []string
	for _, r := range rep.Leaked {
		classes = append(classes, r.Constructor)
	}
	if !slices.Equal(classes, []string{"Order"}) {
		t.Errorf("leaked classes %q, want only Order", classes)
	}
}

// TestLeaksIgnoreInternedStrings checks that a new string only V8's table
// of internalized strings holds (a name interned for code that ran) is not
// reported, while a new string a program object holds is.
func TestLeaksIgnoreInternedStrings(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeSynthetic, "(GC roots)", 0},
		{NodeSynthetic, "(Internalized strings)", 0},
		{NodeString, "newPath", 24},
		{NodeObject, "Holder", 16},
		{NodeString, "kept", 24},
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeElement, "1"},
		{2, 3, EdgeInternal, "0"},
		{0, 4, EdgeElement, "2"},
		{4, 5, EdgeProperty, "name"},
		{2, 5, EdgeInternal, "1"},
	})
	base := newIDSet([]uint32{s.NodeID(0), s.NodeID(1), s.NodeID(2), s.NodeID(4)})
	rep := FindLeaks(base, s.IDs(), s, LeakOptions{})
	if rep.Count != 1 || len(rep.Clusters) != 1 || rep.Clusters[0].IDs[0] != s.NodeID(5) {
		t.Errorf("leaked %d objects in %+v; want only the string the Holder keeps", rep.Count, rep.Clusters)
	}
}

// TestNodeOwnedClusters checks that the clusters held only by Node's own
// code (the stderr stream, created on first use between baseline and
// target, and what Node loads for it) are marked Node, and the program's
// leak (Orders in a module array) is not.
func TestNodeOwnedClusters(t *testing.T) {
	rep, _ := loadLeakFixture(t, "nodeobjects.js", SemanticsNode, "20")
	var orders, node int
	for _, c := range rep.Clusters {
		switch {
		case c.Constructor == "Order":
			orders += c.Count
			if c.Node {
				t.Errorf("the program's Orders are marked as Node's own:\n%s", formatPath(c.Path))
			}
		case c.Node:
			node++
		default:
			t.Errorf("a cluster of %d %s is not marked as Node's own:\n%s", c.Count, c.Constructor, formatPath(c.Path))
		}
	}
	if orders != 20 || node == 0 {
		t.Errorf("%d Orders and %d clusters of Node's, want 20 and at least one", orders, node)
	}
}
