package holders

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/srcloc"
)

// growthFixture returns the path of a program of analysis/testdata/growth
// and the 0-based line of the first of its lines that contains text.
func growthFixture(t *testing.T, program, text string) (string, int) {
	t.Helper()
	path := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth", program)
	return path, testenv.LineOf(t, path, text) - 1
}

// checkFindings compares found with the expected findings, in order:
// rule, file, 0-based line and a message fragment each.
func checkFindings(t *testing.T, found []finding.Finding, want []finding.Finding) {
	t.Helper()
	if len(found) != len(want) {
		t.Errorf("%d findings, want %d", len(found), len(want))
	}
	for i, w := range want {
		if i >= len(found) {
			break
		}
		f := found[i]
		if f.Rule != w.Rule || f.File != w.File || f.Range.Start.Line != w.Range.Start.Line || !strings.Contains(f.Message, w.Message) {
			t.Errorf("finding %d: %s %s:%d %q\nwant %s %s:%d containing %q", i, f.Rule, f.File, f.Range.Start.Line+1, f.Message, w.Rule, w.File, w.Range.Start.Line+1, w.Message)
		}
	}
	for _, f := range found[min(len(want), len(found)):] {
		t.Errorf("unexpected %s %s:%d %s", f.Rule, f.File, f.Range.Start.Line+1, f.Message)
	}
}

// at is an expected finding for checkFindings.
func at(rule, file string, line int, message string) finding.Finding {
	return finding.Finding{Rule: rule, File: file, Range: finding.Range{Start: finding.Pos{Line: line}}, Message: message}
}

// TestFindGrowth runs the growth fixture under real node: it leaks by
// growing holders, without a new object per request, so the snapshots'
// leak report has no cluster, only growing holders. Each must be placed
// at its growth site — the hits.set() and samples.push() that add to the
// module variables, the on() call that adds the shared listener again on
// every request — with the numbers in the message, and the declaration
// of what grows as the related holder location.
func TestFindGrowth(t *testing.T) {
	node := testenv.Node(t)
	dir := t.TempDir()
	script, set := growthFixture(t, "series.js", "hits.set(")
	_, push := growthFixture(t, "series.js", "samples.push(")
	_, hits := growthFixture(t, "series.js", "const hits")
	_, samples := growthFixture(t, "series.js", "const samples")
	_, on := growthFixture(t, "series.js", "server.on('upgrade'")
	_, onUpgrade := growthFixture(t, "series.js", "function onUpgrade")
	if out, err := exec.Command(node, script, dir).CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", script, err, out)
	}
	rep, final, err := analysis.DiffSeries(context.Background(), filepath.Join(dir, "baseline.heapsnapshot"),
		filepath.Join(dir, "target.heapsnapshot"), filepath.Join(dir, "final.heapsnapshot"), analysis.DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Clusters) != 0 {
		t.Errorf("the fixture leaks %d clusters of new objects, want none", len(rep.Clusters))
	}
	found := Find(context.Background(), final, rep, Options{Resolver: srcloc.NewResolver(filepath.Dir(script))})
	checkFindings(t, found, []finding.Finding{
		at("LK101", script, set, "the module variable hits holds a collection that grew at every step: Map hits: "),
		at("LK102", script, on, "the listener onUpgrade registered here is added again and again, never removed: `upgrade` listeners on this Server: 40 → 2,040 → 4,040"),
		at("LK101", script, push, "the module variable samples holds a collection that grew at every step: Array samples: "),
	})
	for i, holder := range []int{hits, onUpgrade, samples} {
		if i < len(found) {
			checkHolder(t, found[i], script, holder)
		}
	}
	for _, f := range found {
		if f.Severity != finding.SeverityError || f.Confirmed == nil || !strings.Contains(f.Message, "confirmed: the static rule") || len(f.Fixes) == 0 {
			t.Errorf("%s %s: severity %v, confirmed by %v, %d fixes; want an error confirmed by the static rule, with its fixes", f.Rule, f.Message, f.Severity, f.Confirmed, len(f.Fixes))
		}
	}
}

// checkHolder checks that a finding's first related location is the
// holder, at the 0-based line of file.
func checkHolder(t *testing.T, f finding.Finding, file string, line int) {
	t.Helper()
	if len(f.Related) == 0 || f.Related[0].Kind != finding.RelatedHolder || f.Related[0].File != file || f.Related[0].Range.Start.Line != line {
		t.Errorf("%s %s:%d: related %v, want first the holder at %s:%d", f.Rule, f.File, f.Range.Start.Line+1, f.Related, file, line+1)
	}
}

// TestFindHeld runs a program that fills a Map until the heap is
// exhausted, under real node with a small heap, and checks the finding on
// the one snapshot V8 writes near the heap limit: the Map's variable,
// though the Map's shortest path runs through the stack, with its share
// of the heap, as information.
func TestFindHeld(t *testing.T) {
	script, sessions := growthFixture(t, "oom.js", "sessions.set(")
	s, err := analysis.Load(nearHeapLimit(t, script), analysis.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	found := FindHeld(context.Background(), s, analysis.SemanticsNode, Options{Resolver: srcloc.NewResolver(filepath.Dir(script))})
	checkFindings(t, found, []finding.Finding{
		at("LK101", script, sessions, "the module variable sessions holds a Map retaining "),
	})
	if len(found) > 0 && (found[0].Severity != finding.SeverityInfo || !regexp.MustCompile(`\(\d+% of the .* heap\) when the snapshot was taken, holding [\d,]+ Object \(`).MatchString(found[0].Message)) {
		t.Errorf("severity %v, message %q; want information with the share of the heap and the sessions in the Map", found[0].Severity, found[0].Message)
	}
}

// nearHeapLimit runs script under real node with a small heap until it
// runs out of memory and returns the path of the one snapshot node writes
// near the heap limit.
func nearHeapLimit(t testing.TB, script string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(testenv.Node(t), "--max-old-space-size=32", "--heapsnapshot-near-heap-limit=1", script)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("%s ran out of memory without failing:\n%s", script, out)
	}
	snaps, _ := filepath.Glob(filepath.Join(dir, "*.heapsnapshot"))
	if len(snaps) != 1 {
		t.Fatalf("node wrote %v near the heap limit, want one snapshot", snaps)
	}
	return snaps[0]
}
