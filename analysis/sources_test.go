package analysis

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// nodeNamed returns the first node of type typ named name.
func nodeNamed(t *testing.T, s *Snapshot, typ NodeType, name string) int {
	t.Helper()
	for n := 0; n < s.NodeCount(); n++ {
		if s.NodeType(n) == typ && s.NodeName(n) == name {
			return n
		}
	}
	t.Fatalf("no %s node named %q", typ, name)
	return -1
}

func TestSourceHints(t *testing.T) {
	_, s := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	src := NewSources(s)
	const program = "leaks.js"
	isFixture := func(name string) bool { return strings.HasSuffix(name, "/analysis/testdata/fixtures/"+program) }

	onTick := nodeNamed(t, s, NodeClosure, "onTick")
	h, ok := src.Hint(onTick)
	if !ok || !isFixture(h.ScriptName) || h.Function != "onTick" || h.Line+1 != fixtureLine(t, program, "function onTick()") {
		t.Errorf("onTick hint: %+v %v", h, ok)
	}
	// The column points at the parameter list.
	if line := "  bus.on('tick', function onTick() { return sub.id; });"; h.Column != strings.Index(line, "()") {
		t.Errorf("onTick column %d, want %d", h.Column, strings.Index(line, "()"))
	}

	order := nodeNamed(t, s, NodeObject, "Order")
	h, ok = src.Hint(order)
	if !ok || !isFixture(h.ScriptName) || h.Function != "Order" || h.Line+1 != fixtureLine(t, program, "class Order {")+1 {
		t.Errorf("Order hint: %+v %v", h, ok)
	}

	// bus is an EventEmitter: its constructor lives in node:events.
	ctx := src.Context(onTick)
	if ctx < 0 || s.NodeName(ctx) != "system / Context" {
		t.Fatalf("onTick has no context: %d", ctx)
	}
	vars := src.Variables(ctx)
	if !slices.ContainsFunc(vars, func(v Variable) bool { return v.Name == "sub" && s.NodeName(v.Node) == "Subscriber" }) {
		t.Errorf("onTick's context variables: %+v", vars)
	}
	module := -1
	for n := 0; n < s.NodeCount() && module < 0; n++ {
		if s.NodeName(n) == "system / Context" && slices.ContainsFunc(src.Variables(n), func(v Variable) bool { return v.Name == "orderCache" }) {
			module = n
		}
	}
	if module < 0 {
		t.Fatal("no context holds orderCache")
	}
	var bus int = -1
	for _, v := range src.Variables(module) {
		if v.Name == "bus" {
			bus = v.Node
		}
	}
	h, ok = src.Hint(bus)
	if !ok || h.ScriptName != "node:events" || h.Function != "EventEmitter" {
		t.Errorf("bus hint: %+v %v", h, ok)
	}
	h, ok = src.Hint(module)
	if !ok || !isFixture(h.ScriptName) || h.HasPosition() {
		t.Errorf("module context hint: %+v %v", h, ok)
	}

	scripts := src.Scripts()
	var fixtureScript string
	for _, name := range scripts {
		if isFixture(name) {
			fixtureScript = name
		}
	}
	if fixtureScript == "" {
		t.Fatalf("scripts lack %s: %v", program, scripts)
	}
	text, ok := src.ScriptSource(fixtureScript)
	if !ok || !strings.HasPrefix(text, "// leaks.js: a Node program") {
		t.Errorf("script source: %q %v", shorten(text, 60), ok)
	}
	if _, ok := src.ScriptSource("/no/such/script.js"); ok {
		t.Error("source of an unknown script")
	}
	for _, n := range []int{-1, s.NodeCount(), 0} {
		if h, ok := src.Hint(n); ok {
			t.Errorf("hint for node %d: %+v", n, h)
		}
	}
}

func TestCompareTwoSnapshots(t *testing.T) {
	b, tg, _ := snapshotFiles(fixture(t, "leaks.js", "20"))
	base := mustRead(t, Load, b)
	target := mustRead(t, Load, tg)
	c := Compare(base, target)
	row := func(class string) ClassDelta {
		for _, r := range c.Classes {
			if r.Constructor == class {
				return r
			}
		}
		return ClassDelta{Constructor: class}
	}
	for _, class := range []string{"Order", "Subscriber", "Poller", "AuditEntry", "PendingReq"} {
		if r := row(class); r.New != fixtureN || r.Deleted != 0 || r.Delta != fixtureN || r.AllocSize == 0 || r.SizeDelta != int64(r.AllocSize) {
			t.Errorf("%s: %+v", class, r)
		}
	}
	if r := row("Timeout"); r.New != 2*fixtureN {
		t.Errorf("Timeout: %+v", r)
	}
	for _, class := range []string{"Session", "SessionData", "Scratch"} {
		if r := row(class); r.New != 0 {
			t.Errorf("%s counted as new: %+v", class, r)
		}
	}
	var sum int64
	for _, r := range c.Classes {
		sum += r.SizeDelta
		if r.New == 0 && r.Deleted == 0 {
			t.Errorf("unchanged class listed: %+v", r)
		}
	}
	if sum != c.SizeDelta {
		t.Errorf("size delta %d, rows add up to %d", c.SizeDelta, sum)
	}
	if same := Compare(target, target); same.New != 0 || same.Deleted != 0 || len(same.Classes) != 0 {
		t.Errorf("a snapshot compared with itself: %+v", same)
	}
}

func TestSummary(t *testing.T) {
	_, s := loadLeakFixture(t, "leaks.js", SemanticsNode, "20")
	for _, sem := range []Semantics{SemanticsNode, SemanticsDevTools} {
		sum := Summarize(s, sem, 5, nil)
		if sum.Nodes != s.NodeCount() || sum.Edges != s.EdgeCount() || sum.TotalSize == 0 || sum.Semantics != sem.String() {
			t.Errorf("%s: header %+v", sem, sum)
		}
		if len(sum.Classes) != 5 || len(sum.Holders) != 5 {
			t.Fatalf("%s: %d classes, %d holders", sem, len(sum.Classes), len(sum.Holders))
		}
		d := s.Dominators(sem)
		for i, h := range sum.Holders {
			if i > 0 && h.RetainedSize > sum.Holders[i-1].RetainedSize {
				t.Errorf("%s: holders not sorted", sem)
			}
			if h.RetainedSize != d.Retained(h.Node) || h.RetainedSize > sum.TotalSize {
				t.Errorf("%s: holder %+v", sem, h)
			}
			if len(h.Path) == 0 || h.Path[len(h.Path)-1].ID != h.ID {
				t.Errorf("%s: holder %s @%d: path does not end at it", sem, h.Name, h.ID)
			}
		}
		// No other candidate retains more than the last holder.
		last := sum.Holders[len(sum.Holders)-1].RetainedSize
		for n := 1; n < s.NodeCount(); n++ {
			if (reportable(s, n) || s.NodeName(n) == "system / Context") && d.Retained(n) > last && !slices.ContainsFunc(sum.Holders, func(h Holder) bool { return h.Node == n }) {
				t.Errorf("%s: node %d (%d bytes) missing from the holders", sem, n, d.Retained(n))
			}
		}
	}
}

func TestESMScriptsAreURLs(t *testing.T) {
	rep, _ := loadLeakFixture(t, "esmleak.mjs", SemanticsNode, "20")
	cs := clustersOf(rep, "Invoice")
	if len(cs) != 1 || cs[0].Count != fixtureN {
		t.Fatalf("Invoice clusters: %+v", cs)
	}
	path := cs[0].Path
	if !hasHop(path, "context", "invoices") {
		t.Errorf("path lacks the invoices variable:\n%s", formatPath(path))
	}
	last := path[len(path)-1]
	if !strings.HasPrefix(last.File, "file:///") || !strings.HasSuffix(last.File, "/analysis/testdata/fixtures/esmleak.mjs") ||
		last.Line != fixtureLine(t, "esmleak.mjs", "class Invoice {")+1 {
		t.Errorf("Invoice at %s:%d", last.File, last.Line)
	}
}

// TestContents checks that a holder's contents are grouped by class
// through the V8 arrays between them, not through the objects themselves.
func TestContents(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeObject, "Map", 32},
		{NodeArray, "", 100},
		{NodeObject, "Session", 40},
		{NodeObject, "Session", 40},
		{NodeString, "body", 1000},
		{NodeClosure, "onTick", 64},
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeInternal, "table"},
		{2, 3, EdgeInternal, "1"},
		{2, 4, EdgeInternal, "2"},
		{3, 5, EdgeProperty, "body"},
		{1, 6, EdgeProperty, "listener"},
	})
	d := s.Dominators(SemanticsNode)
	got := Contents(s, d, 1, 0)
	want := []ClassLeak{
		{Constructor: "Session", Count: 2, SelfSize: 80, RetainedSize: 1080},
		{Constructor: "onTick()", Count: 1, SelfSize: 64, RetainedSize: 64},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Contents = %+v, want %+v", got, want)
	}
	if got := Contents(s, d, 1, 1); len(got) != 1 || got[0].Constructor != "Session" {
		t.Errorf("top 1: %+v", got)
	}
}

// TestStringValue checks the text of concatenated strings: parts in
// order, nested on either side, and the node name when a part is missing.
func TestStringValue(t *testing.T) {
	s := newTestSnapshot(t, []testNode{
		{NodeSynthetic, "", 0},
		{NodeConsString, "(concatenated string)", 32}, // ((/srv/ + app/) + leaks.js)
		{NodeConsString, "(concatenated string)", 32},
		{NodeString, "/srv/", 16},
		{NodeString, "app/", 16},
		{NodeString, "leaks.js", 16},
		{NodeConsString, "(concatenated string)", 32}, // lost its second part
		{NodeString, "plain", 16},
	}, []testEdge{
		{0, 1, EdgeElement, "1"},
		{1, 2, EdgeInternal, "first"},
		{1, 5, EdgeInternal, "second"},
		{2, 3, EdgeInternal, "first"},
		{2, 4, EdgeInternal, "second"},
		{0, 6, EdgeElement, "2"},
		{6, 3, EdgeInternal, "first"},
		{0, 7, EdgeElement, "3"},
	})
	for n, want := range map[int]string{1: "/srv/app/leaks.js", 2: "/srv/app/", 6: "(concatenated string)", 7: "plain"} {
		if got := s.StringValue(n); got != want {
			t.Errorf("StringValue(%d) = %q, want %q", n, got, want)
		}
	}
}
