package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// TestAllocationTraces reads the allocation traces of snapshots taken
// with V8's allocation tracker on: the cluster of leaked Orders says they
// were allocated by handle, at the 1-based line and column V8 records for
// the function (the "(" of its parameter list), called from the module's
// top level.
func TestAllocationTraces(t *testing.T) {
	rep, final := loadLeakFixture(t, "orders.js", SemanticsNode)
	if !final.HasAllocationTraces() || final.Meta().TraceNodeCount == 0 {
		t.Fatalf("no allocation traces read (meta %+v)", final.Meta())
	}
	cs := clustersOf(rep, "Order")
	if len(cs) != 1 || len(cs[0].Allocations) == 0 {
		t.Fatalf("want one Order cluster with allocation stacks: %+v", cs)
	}
	c := cs[0]
	a := c.Allocations[0]
	if a.Count != c.Count {
		t.Errorf("the first stack allocated %d of the cluster's %d Orders", a.Count, c.Count)
	}
	top := a.Frames[0]
	line := testenv.LineOf(t, filepath.Join("testdata", "fixtures", "orders.js"), "function handle(")
	if top.Function != "handle" || !strings.HasSuffix(top.File, "orders.js") || top.Line != line || top.Column != len("function handle(") {
		t.Errorf("top frame = %+v, want handle at orders.js:%d:%d", top, line, len("function handle("))
	}
	if top.Calls != "" {
		t.Errorf("the allocating frame calls %q", top.Calls)
	}
	if len(a.Frames) < 2 || a.Frames[1].Function != "" || a.Frames[1].Line != 1 || a.Frames[1].Calls != "handle" {
		t.Errorf("the caller of handle should be the module's top level (line 1), frames %+v", a.Frames)
	}
	for _, f := range a.Frames {
		if strings.HasPrefix(f.File, "node:") || f.File == "" {
			t.Errorf("frame %+v of Node's own code or a built-in kept", f)
		}
	}
}

// TestNoAllocationTraces: snapshots taken without the tracker have no
// traces, and their clusters no allocation stacks.
func TestNoAllocationTraces(t *testing.T) {
	rep, final := loadLeakFixture(t, "leaks.js", SemanticsNode)
	if final.HasAllocationTraces() {
		t.Fatal("allocation traces read from a snapshot taken without the tracker")
	}
	if len(rep.Clusters) == 0 {
		t.Fatal("no clusters")
	}
	for _, c := range rep.Clusters {
		if c.Allocations != nil {
			t.Errorf("cluster %s has allocation stacks %+v", c.Constructor, c.Allocations)
		}
	}
}

// TestParseTraceErrors damages the allocation traces of a real snapshot:
// each damage is a *ParseError that says what is wrong.
func TestParseTraceErrors(t *testing.T) {
	_, _, final := snapshotFiles(fixture(t, "orders.js"))
	data, err := os.ReadFile(final)
	if err != nil {
		t.Fatal(err)
	}
	valid := string(data)
	at := strings.Index(valid, `"trace_tree":[1,0,0,0,[`)
	if at < 0 {
		t.Fatalf("%s has no trace tree of the expected shape", final)
	}
	replace := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("%s lacks %q", final, old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	for _, tc := range []struct {
		name, input, want string
	}{
		{"function out of range", replace(`"trace_tree":[1,0,`, `"trace_tree":[1,999999,`), "refers to function info 999999"},
		{"missing comma", replace(`"trace_tree":[1,0,0,0,[`, `"trace_tree":[1,0,0,0 [`), "expected ',' in a trace node"},
		{"children not last", replace(`"count","size","children"]`, `"count","children","size"]`), `does not end with "children"`},
		{"truncated", valid[:at+len(`"trace_tree":[1,0,0,0,[2,`)], "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadReader(strings.NewReader(tc.input), int64(len(tc.input)), LoadOptions{})
			var pe *ParseError
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.As(err, &pe) {
				t.Errorf("error %v, want a *ParseError containing %q", err, tc.want)
			}
		})
	}
}
