package evidence_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/testenv"
)

// series runs analysis/testdata/growth/series.js under real node and
// returns the workspace of its script and the paths of its baseline,
// target and final snapshots.
func series(t *testing.T) (root string, files []string) {
	t.Helper()
	root = filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth")
	return root, snapshots(t, filepath.Join(root, "series.js"))
}

// snapshots runs program under real node with a directory for its
// snapshots and returns the paths of the baseline, target and final
// snapshots it writes there.
func snapshots(t *testing.T, program string) []string {
	t.Helper()
	node := testenv.Node(t)
	dir := t.TempDir()
	if out, err := exec.Command(node, program, dir).CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", filepath.Base(program), err, out)
	}
	var files []string
	for _, name := range []string{"baseline", "target", "final"} {
		files = append(files, filepath.Join(dir, name+".heapsnapshot"))
	}
	return files
}

// TestAnalyze runs the pipeline on the snapshots of one real series.
func TestAnalyze(t *testing.T) {
	root, files := series(t)
	t.Run("set sizes", func(t *testing.T) { testSetSizes(t, root, files) })
	t.Run("progress", func(t *testing.T) { testProgress(t, root, files) })
	t.Run("cancelled", func(t *testing.T) { testCancelled(t, root, files) })
}

// testSetSizes checks what each size of set gives: a summary with its
// holders in the source, a class comparison or a pair's leak report, a
// series' leak report with its growing holders placed in the source, and
// a clear refusal of a series that repeats a file or is out of order.
func testSetSizes(t *testing.T, root string, files []string) {
	ctx := context.Background()
	opts := evidence.Options{Root: root, Top: 10}

	one, err := evidence.Analyze(ctx, files[2:], opts)
	if err != nil {
		t.Fatal(err)
	}
	if one.Summary == nil || len(one.Summary.Holders) != 10 || len(one.HeldBy) != 10 || one.Leaks != nil {
		t.Fatalf("one snapshot: summary %v, %d held-by lists, leaks %v", one.Summary != nil, len(one.HeldBy), one.Leaks)
	}
	wantFinding(t, one, "LK101", "series.js", testenv.LineOf(t, filepath.Join(root, "series.js"), "hits.set("))

	two, err := evidence.Analyze(ctx, []string{files[0], files[2]}, opts)
	if err != nil || two.Comparison == nil || two.Leaks != nil || len(two.Findings) != 0 {
		t.Fatalf("two snapshots: %v, %+v", err, two)
	}
	opts.PairLeaks = true
	pair, err := evidence.Analyze(ctx, []string{files[0], files[2]}, opts)
	if err != nil || pair.Leaks == nil || pair.Comparison != nil || len(pair.Leaks.Growing) != 3 {
		t.Fatalf("two snapshots as a leak report: %v, %+v", err, pair)
	}
	opts.PairLeaks = false

	three, err := evidence.Analyze(ctx, files, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !three.HasLeaks() || len(three.Leaks.Growing) != 3 {
		t.Fatalf("three snapshots: %+v", three.Leaks)
	}
	wantFinding(t, three, "LK102", "series.js", testenv.LineOf(t, filepath.Join(root, "series.js"), "server.on('upgrade'"))
	for _, g := range three.Leaks.Growing {
		for _, h := range g.Path {
			if filepath.IsAbs(h.File) && strings.HasPrefix(h.File, root) {
				t.Errorf("hop %+v of %s keeps an absolute path under the root", h, g.Label)
			}
		}
	}

	if _, err := evidence.Analyze(ctx, append(files, files[0]), opts); err == nil || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("four files, one of them twice: %v", err)
	}
	var mismatch *analysis.MismatchError
	if _, err := evidence.Analyze(ctx, []string{files[1], files[0], files[2]}, opts); !errors.As(err, &mismatch) || mismatch.Kind != analysis.WrongOrder {
		t.Errorf("a series out of order: %v", err)
	}
}

// wantFinding fails t unless rep has a finding of rule at file:line
// (1-based), its file relative to the root.
func wantFinding(t *testing.T, rep *evidence.Report, rule, file string, line int) {
	t.Helper()
	for _, f := range rep.RelFindings() {
		if f.Rule == rule && f.File == file && f.Range.Start.Line+1 == line {
			return
		}
	}
	t.Errorf("no %s finding at %s:%d in %+v", rule, file, line, rep.Findings)
}

// testProgress checks that every file's loading is reported under its
// own name, and the holder search as a stage of the final snapshot.
func testProgress(t *testing.T, root string, files []string) {
	var mu sync.Mutex
	stages := map[string][]string{}
	_, err := evidence.Analyze(context.Background(), files, evidence.Options{Root: root, Progress: func(file string) func(string, int64, int64) {
		return func(stage string, done, total int64) {
			mu.Lock()
			defer mu.Unlock()
			stages[file] = append(stages[file], stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if len(stages[f]) == 0 {
			t.Errorf("no progress for %s: %v", f, stages)
		}
	}
	if last := stages[files[2]]; last[len(last)-1] != "tracing holders to source" {
		t.Errorf("the final snapshot's last stage is %q", last[len(last)-1])
	}
}

// testCancelled checks that a cancelled analysis returns ctx's error and
// no report.
func testCancelled(t *testing.T, root string, files []string) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if rep, err := evidence.Analyze(ctx, files, evidence.Options{Root: root}); !errors.Is(err, context.Canceled) || rep != nil {
		t.Errorf("cancelled: %v, %v", rep, err)
	}
}
