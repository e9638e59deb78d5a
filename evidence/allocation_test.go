package evidence_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/testenv"
)

// TestAllocations runs a program that takes its snapshots with V8's
// allocation tracker on: the cluster of leaked Orders is placed where
// they were allocated, the new expression in handle, called from the
// module's loop, files relative to the root; its finding relates that
// line.
func TestAllocations(t *testing.T) {
	root := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "fixtures")
	program := filepath.Join(root, "orders.js")
	rep, err := evidence.Analyze(context.Background(), snapshots(t, program), evidence.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	frames := orderFrames(t, rep)
	want := []analysis.Frame{
		{Function: "handle", File: "orders.js", Line: testenv.LineOf(t, program, "new Order("), Column: 17, Expression: "new Order()"},
		{Function: "(top level)", File: "orders.js", Line: testenv.LineOf(t, program, "handle(i);"), Column: 32, Expression: "handle()", Calls: "handle"},
	}
	if len(frames) != len(want) {
		t.Fatalf("frames %+v, want %+v", frames, want)
	}
	for i := range want {
		if frames[i] != want[i] {
			t.Errorf("frame %d = %+v, want %+v", i, frames[i], want[i])
		}
	}
	related := 0
	for _, f := range rep.RelFindings() {
		for _, r := range f.Related {
			if r.Kind == finding.RelatedAllocation && r.File == "orders.js" && r.Range.Start.Line+1 == want[0].Line {
				related++
			}
		}
	}
	if related != 1 {
		t.Errorf("%d findings relate the allocation at orders.js:%d, want 1: %+v", related, want[0].Line, rep.Findings)
	}
}

// orderFrames returns the frames of the one allocation stack of the
// cluster of leaked Orders in rep.
func orderFrames(t *testing.T, rep *evidence.Report) []analysis.Frame {
	t.Helper()
	for _, c := range rep.Leaks.Clusters {
		if c.Constructor == "Order" && len(c.Allocations) == 1 {
			return c.Allocations[0].Frames
		}
	}
	t.Fatalf("want one allocation stack of an Order cluster in %+v", rep.Leaks.Clusters)
	return nil
}

// dependencyProgram leaks Orders that a package under node_modules
// allocates for the program, with V8's allocation tracker on; it writes
// baseline, target and final snapshots into the directory given as its
// first argument.
const dependencyProgram = `'use strict';
const inspector = require('node:inspector');
const v8 = require('node:v8');
const { makeOrder } = require('orderlib');

const session = new inspector.Session();
session.connect();
session.post('HeapProfiler.enable');
session.post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });

const orders = [];
function handle(id) {
  orders.push(makeOrder(id));
}

for (const step of ['baseline', 'target', 'final']) {
  for (let i = 0; i < 20; i++) handle(i);
  v8.writeHeapSnapshot(process.argv[2] + '/' + step + '.heapsnapshot');
}
session.disconnect();
`

// dependencyLibrary is node_modules/orderlib/index.js.
const dependencyLibrary = `'use strict';
class Order {
  constructor(id) {
    this.id = id;
  }
}
exports.makeOrder = function makeOrder(id) {
  return new Order(id);
};
`

// TestAllocationsInDependency: objects a package allocates for the
// program are placed first in the program's own code, at its call into
// the package, and then in the package, at the new expression.
func TestAllocationsInDependency(t *testing.T) {
	root := t.TempDir()
	program := filepath.Join(root, "main.js")
	library := filepath.Join(root, "node_modules", "orderlib", "index.js")
	if err := os.MkdirAll(filepath.Dir(library), 0o755); err != nil {
		t.Fatal(err)
	}
	for path, src := range map[string]string{program: dependencyProgram, library: dependencyLibrary} {
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := evidence.Analyze(context.Background(), snapshots(t, program), evidence.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	frames := orderFrames(t, rep)
	if len(frames) < 2 {
		t.Fatalf("frames %+v, want the program's and the package's", frames)
	}
	if f := frames[0]; f.File != "main.js" || f.Line != testenv.LineOf(t, program, "makeOrder(id)") || f.Expression != "makeOrder()" || f.Dependency {
		t.Errorf("first frame %+v, want the call makeOrder() in handle of main.js", f)
	}
	last := frames[len(frames)-1]
	if last.File != "node_modules/orderlib/index.js" || last.Line != testenv.LineOf(t, library, "new Order(") || last.Expression != "new Order()" || !last.Dependency {
		t.Errorf("last frame %+v, want new Order() in node_modules/orderlib/index.js, a dependency", last)
	}
}
