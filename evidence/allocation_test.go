package evidence_test

import (
	"context"
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
	var orders *analysis.Cluster
	for i, c := range rep.Leaks.Clusters {
		if c.Constructor == "Order" {
			orders = &rep.Leaks.Clusters[i]
		}
	}
	if orders == nil || len(orders.Allocations) != 1 {
		t.Fatalf("want one allocation stack of the Order cluster in %+v", rep.Leaks.Clusters)
	}
	frames := orders.Allocations[0].Frames
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
