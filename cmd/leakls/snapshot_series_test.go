package main

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/analysis"
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

// TestSnapshotDiffGrowth checks that snapshot diff reports holders that
// grew without new objects, in text and JSON, and exits 1 for them.
func TestSnapshotDiffGrowth(t *testing.T) {
	s := writeSeries(t)
	code, out, errOut := run("snapshot", "diff", "--quiet", s[0], s[1], s[2])
	if code != exitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFindings, errOut)
	}
	for _, want := range []string{"3 leaks in the source", "grew at every step: `upgrade` listeners on this Server: 40 → 2,040 → 4,040", "Map hits: ", "Array samples: ", "var hits"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The holders in the source: the on() call that adds the shared
	// listener on every request, the set() and push() that grow the
	// collections.
	root := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth")
	_, out, _ = run("snapshot", "diff", "--quiet", "--root", root, s[0], s[1], s[2])
	for _, want := range []string{
		"3 leaks in the source",
		fmt.Sprintf("series.js:%d:3: LK102 the listener onUpgrade registered here is added again and again, never removed: `upgrade` listeners on this Server: 40 → 2,040 → 4,040", testenv.LineOf(t, filepath.Join(root, "series.js"), "server.on('upgrade'")),
		fmt.Sprintf("series.js:%d:3: LK101 the module variable hits holds a collection that grew at every step: Map hits: ", testenv.LineOf(t, filepath.Join(root, "series.js"), "hits.set(")),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run("snapshot", "diff", "--quiet", "--format", "sarif", "--root", root, s[0], s[1], s[2])
	if code != exitFindings || !strings.Contains(out, `"ruleId": "LK102"`) || !strings.Contains(out, `"uri": "series.js"`) || !strings.Contains(out, `"leaklsSignature/v1": "`) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
	code, out, errOut = run("snapshot", "diff", "--quiet", "--format", "json", "--root", root, s[0], s[1], s[2])
	var rep struct {
		analysis.LeakReport
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFindings {
		t.Fatalf("json: exit %d, %v; stderr:\n%s", code, err, errOut)
	}
	if len(rep.Growing) != 3 || !slices.Equal(rep.Growing[1].Entries, []int{40, 2040, 4040}) {
		t.Errorf("json growing = %+v", rep.Growing)
	}
	wantFinding(t, rep.Findings, "LK102", "series.js", testenv.LineOf(t, filepath.Join(root, "series.js"), "server.on('upgrade'"))
}

// jsonFinding is the part of a finding in leakls's JSON that tests read.
type jsonFinding struct {
	Rule  string `json:"rule"`
	File  string `json:"file"`
	Range struct {
		Start struct {
			Line int `json:"line"`
		} `json:"start"`
	} `json:"range"`
	Message string `json:"message"`
}

// wantFinding fails t unless found holds a finding of rule at file:line.
func wantFinding(t *testing.T, found []jsonFinding, rule, file string, line int) {
	t.Helper()
	for _, f := range found {
		if f.Rule == rule && f.File == file && f.Range.Start.Line == line {
			return
		}
	}
	t.Errorf("no %s finding at %s:%d in %+v", rule, file, line, found)
}

// TestSnapshotSummaryHeldBy checks that snapshot summary names the
// program's variables that hold its top holders, and places them in the
// source, in text and SARIF.
func TestSnapshotSummaryHeldBy(t *testing.T) {
	s := writeSeries(t)
	root := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth")
	code, out, errOut := run("snapshot", "summary", "--quiet", "--top", "20", "--root", root, s[2])
	if code != exitClean {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"Map (object) @", "held by var hits (series.js)", "Holders in the source:",
		fmt.Sprintf("series.js:%d:3: LK101 the module variable hits holds a Map retaining ", testenv.LineOf(t, filepath.Join(root, "series.js"), "hits.set(")),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run("snapshot", "summary", "--quiet", "--format", "sarif", "--root", root, s[2])
	if code != exitClean || !strings.Contains(out, `"ruleId": "LK101"`) || !strings.Contains(out, `"level": "note"`) {
		t.Errorf("sarif: exit %d\n%s", code, out)
	}
	code, out, _ = run("snapshot", "summary", "--quiet", "--format", "json", "--root", root, s[2])
	var sum struct {
		analysis.Summary
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != exitClean || len(sum.Classes) == 0 {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	wantFinding(t, sum.Findings, "LK101", "series.js", testenv.LineOf(t, filepath.Join(root, "series.js"), "hits.set("))
}
