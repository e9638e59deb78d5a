package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// spot is where a finding is, as a test compares it across runs: the
// rule, the file and the line, what a run gives the same every time (the
// counts and sizes in the message vary with the garbage collector).
type spot struct {
	Rule, File string
	Line       int
}

func (s spot) String() string { return fmt.Sprintf("%s:%d %s", s.File, s.Line, s.Rule) }

// runSpots runs leakls run with args in JSON and returns its exit code
// and the spots of its findings, in the report's order.
func runSpots(t *testing.T, args ...string) (int, []spot) {
	t.Helper()
	code, out, errs := leaklsRun(t, append([]string{"--format", "json"}, args...)...)
	if code != exitClean && code != exitFindings {
		t.Fatalf("exit %d\nstderr:\n%s", code, errs)
	}
	return code, jsonSpots(t, out)
}

// jsonSpots returns the spots of the findings of a JSON report, in its
// order: by file, line, column and rule (finding.Sort), the same on every
// run.
func jsonSpots(t *testing.T, out string) []spot {
	t.Helper()
	var doc struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	spots := []spot{}
	for _, f := range doc.Findings {
		spots = append(spots, spot{f.Rule, filepath.ToSlash(f.File), f.Range.Start.Line})
	}
	return spots
}

func cmpSpot(a, b spot) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Rule, b.Rule))
}

// markedLeaks returns the leaks a test program declares: the lines
// marked "// leak: RULE", as spots of file (named relative to the root).
func markedLeaks(t *testing.T, path, file string) []spot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	mark := regexp.MustCompile(`// leak: (LK\d+)`)
	var spots []spot
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if m := mark.FindStringSubmatch(sc.Text()); m != nil {
			spots = append(spots, spot{m[1], file, line})
		}
	}
	return spots
}

// TestRunKnownLeaks runs a program with five leaks of different kinds
// among the objects Node makes on its own (console output, util.inspect
// colours, a diagnostics channel, a keep-alive agent, cleared timers): the
// findings are those five leaks, each once, at the lines that grow them,
// and nothing else.
func TestRunKnownLeaks(t *testing.T) {
	want := markedLeaks(t, filepath.Join(captureApps, "kleaks.js"), "kleaks.js")
	if len(want) != 5 {
		t.Fatalf("kleaks.js marks %d leaks, want 5", len(want))
	}
	slices.SortFunc(want, cmpSpot)
	code, got := runSpots(t, "--scenario", scenario(), "--", "node", filepath.Join(captureApps, "kleaks.js"))
	if code != exitFindings || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings %v; want %d and %v", code, got, exitFindings, want)
	}
}

// TestRunQuietUnderLoad runs the twin of kleaks.js that leaks nothing,
// with both cores busy, three times: Node's own objects never make a
// leak verdict, whatever the timing.
func TestRunQuietUnderLoad(t *testing.T) {
	node := testenv.Node(t)
	for range 2 {
		burn := exec.Command(node, "-e", "for(;;);")
		if err := burn.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			burn.Process.Kill()
			burn.Wait()
		})
	}
	t.Setenv("LEAKLS_TEST_FIXED", "1")
	for run := range 3 {
		code, got := runSpots(t, "--scenario", scenario(), "--iterations", "4", "--", "node", filepath.Join(captureApps, "kleaks.js"))
		if code != exitClean || len(got) > 0 {
			t.Errorf("run %d of a program without leaks: exit %d, findings %v; want %d and none", run+1, code, got, exitClean)
		}
	}
}

// TestRunSnapshotsSeries runs the program with five leaks taking four
// snapshots: the five leaks grow at every step, so they are all reported,
// each cluster with its objects counted per step.
func TestRunSnapshotsSeries(t *testing.T) {
	want := markedLeaks(t, filepath.Join(captureApps, "kleaks.js"), "kleaks.js")
	slices.SortFunc(want, cmpSpot)
	code, out, errs := leaklsRun(t, "--format", "json", "--snapshots", "4", "--iterations", "4", "--scenario", scenario(), "--", "node", filepath.Join(captureApps, "kleaks.js"))
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstderr:\n%s", code, exitFindings, errs)
	}
	if got := jsonSpots(t, out); !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	var doc struct {
		Iterations int `json:"iterations"`
		Clusters   []struct {
			Constructor string `json:"constructor"`
			Node        bool   `json:"node"`
			Steps       []int  `json:"steps"`
		} `json:"clusters"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Iterations != 4 {
		t.Errorf("iterations %d, want 4", doc.Iterations)
	}
	for _, c := range doc.Clusters {
		if len(c.Steps) != 2 || slices.Contains(c.Steps, 0) {
			t.Errorf("cluster of %s: steps %v, want objects in both steps", c.Constructor, c.Steps)
		}
	}
}

func TestRunSnapshotsFlag(t *testing.T) {
	code, _, errs := leaklsRun(t, "--snapshots", "2", "--scenario", scenario(), "--", "node", filepath.Join(captureApps, "kleaks.js"))
	if code != exitError || !strings.Contains(errs, "--snapshots must be 3 or more") {
		t.Errorf("--snapshots 2: exit %d, stderr %q", code, errs)
	}
}
