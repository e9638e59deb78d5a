package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/testenv"
)

// TestRunBaseline runs a program with one leak three times: the first run
// writes the baseline of its leak (--update-baseline) and exits 0; the
// second, with that baseline, finds the same signatures, says the leak is
// known and exits 0; the third, on the program with a second leak added,
// exits 1 and names only the new leak among the leaks.
func TestRunBaseline(t *testing.T) {
	app := filepath.Join(captureApps, "twoleaks.js")
	file := filepath.Join(t.TempDir(), "leakls-baseline.json")
	args := func(extra ...string) []string {
		return append(append([]string{"--scenario", scenario(), "--iterations", "8", "--baseline", file}, extra...), "--", "node", app)
	}

	code, first, errs := leaklsRun(t, args("--update-baseline", "--format", "json")...)
	if code != exitClean {
		t.Fatalf("--update-baseline: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitClean, first, errs)
	}
	bl, err := evidence.ReadBaseline(file)
	if err != nil {
		t.Fatal(err)
	}
	written := baselineSignatures(bl)
	if len(written) == 0 {
		b, _ := os.ReadFile(file)
		t.Fatalf("no leak in the baseline:\n%s", b)
	}
	if got := knownSignatures(t, first); !slices.Equal(got, written) {
		t.Errorf("the report's known leaks %v, the baseline's %v", got, written)
	}

	code, second, errs := leaklsRun(t, args("--format", "json")...)
	if code != exitClean {
		t.Fatalf("with the baseline: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitClean, second, errs)
	}
	if got := knownSignatures(t, second); !slices.Equal(got, written) {
		t.Errorf("the second run's signatures %v, the first's %v", got, written)
	}

	t.Setenv("LEAKLS_TEST_SECOND_LEAK", "1")
	code, third, errs := leaklsRun(t, args()...)
	if code != exitFindings {
		t.Fatalf("a second leak: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, third, errs)
	}
	leaks, _, _ := strings.Cut(third, "\nKnown leaks seen")
	leaks, _, _ = strings.Cut(leaks, "\n"+evidence.DetailsHeading+"\n")
	added := fmt.Sprintf("twoleaks.js:%d:5 LK101 audit (Map)", testenv.LineOf(t, app, "audit.set("))
	kept := fmt.Sprintf("twoleaks.js:%d:3 LK101 sessions (Array)", testenv.LineOf(t, app, "sessions.push("))
	if !strings.Contains(leaks, added) || strings.Count(leaks, " LK1") != 1 {
		t.Errorf("the leaks do not name only the new one (%s):\n%s", added, leaks)
	}
	if _, known, _ := strings.Cut(third, "\nKnown leaks seen"); !strings.Contains(known, kept) {
		t.Errorf("the known leak %s is not said to be seen:\n%s", kept, third)
	}
}

// baselineSignatures returns the sorted signatures of bl.
func baselineSignatures(bl *evidence.Baseline) []string {
	var out []string
	for _, e := range bl.Leaks {
		out = append(out, e.Signature)
	}
	slices.Sort(out)
	return out
}

// knownSignatures returns the sorted signatures of the known findings of
// a run's JSON report.
func knownSignatures(t *testing.T, out string) []string {
	t.Helper()
	var doc struct {
		Known struct {
			Findings []struct {
				Signature string `json:"signature"`
			} `json:"findings"`
		} `json:"known"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	var sigs []string
	for _, f := range doc.Known.Findings {
		sigs = append(sigs, f.Signature)
	}
	slices.Sort(sigs)
	return sigs
}
