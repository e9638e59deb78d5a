package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// writeSeries runs analysis/testdata/growth/series.js under real node and
// returns the paths of its baseline, target and final snapshots.
func writeSeries(t *testing.T) [3]string {
	t.Helper()
	node := testenv.Node(t)
	dir := t.TempDir()
	script := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth", "series.js")
	if out, err := exec.Command(node, script, dir).CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, out)
	}
	return [3]string{filepath.Join(dir, "baseline.heapsnapshot"), filepath.Join(dir, "target.heapsnapshot"), filepath.Join(dir, "final.heapsnapshot")}
}

// TestSnapshotDiffRefusesMismatchedSeries checks that snapshot diff stops
// with exit 2 and says what to do when the snapshots are not one
// process's series in order, and still compares a good pair.
func TestSnapshotDiffRefusesMismatchedSeries(t *testing.T) {
	a, b := writeSeries(t), writeSeries(t)
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"two processes", []string{a[0], b[1], a[2]}, "come from different processes"},
		{"two processes, two snapshots", []string{a[0], b[1]}, "come from different processes"},
		{"wrong order", []string{a[1], a[0], a[2]}, a[1] + " was taken after " + a[0]},
		{"same file twice", []string{a[0], a[1], a[1]}, a[1] + " is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(append([]string{"snapshot", "diff", "--quiet"}, tc.files...)...)
			if code != exitError {
				t.Fatalf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, exitError, out, errOut)
			}
			if !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "in the order BASELINE TARGET FINAL") {
				t.Errorf("stderr lacks %q and what to do:\n%s", tc.want, errOut)
			}
			if out != "" {
				t.Errorf("numbers printed for a mismatched series:\n%s", out)
			}
		})
	}
	if code, out, errOut := run("snapshot", "diff", "--quiet", a[0], a[2]); code != exitClean || !strings.Contains(out, "new") {
		t.Errorf("a good pair: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
