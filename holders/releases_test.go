package holders

import (
	"cmp"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/srcloc"
)

// TestFindAcrossNodeReleases runs the leaking fixture of the analysis
// package under Node 18, 22 and 24 and requires every growth site at the same
// line in each: Node 18 names CommonJS scripts with concatenated strings,
// and V8's layout of closures and scripts changed between them.
func TestFindAcrossNodeReleases(t *testing.T) {
	script := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "fixtures", "leaks.js")
	line := func(text string) int { return testenv.LineOf(t, script, text) - 1 }
	want := []finding.Finding{
		at("LK101", script, line("orderCache.set("), "the module variable orderCache retains 20 Order objects"),
		at("LK102", script, line("bus.on('tick'"), "the listener onTick registered here retains 20 onTick() objects"),
		at("LK103", script, line("setInterval(function poll()"), "the timer callback poll scheduled here retains 20 Timeout objects"),
		at("LK101", script, line("auditLog.push("), "the module variable auditLog retains 20 AuditEntry objects"),
		at("LK103", script, line("setTimeout(function retry()"), "the timer callback retry scheduled here retains 20 Timeout objects"),
	}
	for _, major := range testenv.NodeReleases {
		t.Run(fmt.Sprintf("node%d", major), func(t *testing.T) {
			dir := t.TempDir()
			if out, err := exec.Command(testenv.NodeRelease(t, major), "--expose-gc", script, dir, "20").CombinedOutput(); err != nil {
				t.Fatalf("node %d: %v\n%s", major, err, out)
			}
			rep, final, err := analysis.DiffSeries(context.Background(), filepath.Join(dir, "baseline.heapsnapshot"),
				filepath.Join(dir, "target.heapsnapshot"), filepath.Join(dir, "final.heapsnapshot"), analysis.DiffOptions{})
			if err != nil {
				t.Fatal(err)
			}
			found := Find(context.Background(), final, rep, Options{Resolver: srcloc.NewResolver(filepath.Dir(script))})
			slices.SortFunc(found, func(a, b finding.Finding) int { return cmp.Compare(a.Range.Start.Line, b.Range.Start.Line) })
			checkFindings(t, found, want)
		})
	}
}
