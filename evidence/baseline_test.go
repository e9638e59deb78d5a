package evidence_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/evidence"
)

// TestSignaturesAndBaseline runs the same program twice: its leaks get
// the same signatures, a baseline of the first run's leaks leaves none
// of the second's, and a baseline without one leak leaves that one.
func TestSignaturesAndBaseline(t *testing.T) {
	root, first := series(t)
	second := snapshots(t, filepath.Join(root, "series.js"))
	analyze := func(files []string) *evidence.Report {
		rep, err := evidence.Analyze(context.Background(), files, evidence.Options{Root: root})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	one, two := analyze(first), analyze(second)
	if got, want := signatures(two), signatures(one); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("signatures of the second run %v, of the first %v", got, want)
	}
	for _, g := range one.Leaks.Growing {
		if !slices.Contains(signatures(one), g.Signature) {
			t.Errorf("growing holder %s has signature %q, no finding's", g.Label, g.Signature)
		}
	}

	// The file: sorted, one leak a line, read back as written.
	var buf bytes.Buffer
	if _, err := one.Baseline().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "leakls-baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	bl, err := evidence.ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), `{"signature"`); n != len(bl.Leaks) || n != strings.Count(buf.String(), "\n")-5 {
		t.Errorf("%d entries in %d lines, want one a line:\n%s", len(bl.Leaks), strings.Count(buf.String(), "\n"), buf.String())
	}
	if !slices.IsSortedFunc(bl.Leaks, func(a, b evidence.BaselineEntry) int { return strings.Compare(a.Signature, b.Signature) }) {
		t.Errorf("baseline not sorted:\n%s", buf.String())
	}

	two.ApplyBaseline(bl)
	if two.HasLeaks() || len(two.Findings) != 0 || len(two.Known) != len(one.Findings) {
		t.Errorf("with the first run's baseline: leaks %v, %d findings left, %d known", two.HasLeaks(), len(two.Findings), len(two.Known))
	}
	var text bytes.Buffer
	two.WriteText(&text, evidence.TextOptions{})
	if !strings.Contains(text.String(), "Known leaks seen") {
		t.Errorf("the text does not list the known leaks:\n%s", text.String())
	}

	// Without the listener's entry, the listener is the one leak left.
	listener := ""
	for _, f := range one.Findings {
		if f.Rule == "LK102" {
			listener = f.Signature
		}
	}
	bl.Leaks = slices.DeleteFunc(bl.Leaks, func(e evidence.BaselineEntry) bool { return e.Signature == listener })
	three := analyze(second)
	three.ApplyBaseline(bl)
	if !three.HasLeaks() || len(three.Findings) != 1 || three.Findings[0].Rule != "LK102" {
		t.Errorf("baseline without the listener: leaks %v, findings %+v", three.HasLeaks(), three.Findings)
	}
}

// signatures returns the sorted signatures of rep's findings.
func signatures(rep *evidence.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Signature)
	}
	slices.Sort(out)
	return out
}

// TestReadBaselineErrors checks that a file that is not a baseline, or
// of another version, is refused with what to do.
func TestReadBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"not json":      "signature 1234\n",
		"other version": `{"version": 2, "leaks": []}`,
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".json")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := evidence.ReadBaseline(path); err == nil || !strings.Contains(err.Error(), "--update-baseline") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
