package evidence_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/leakls/leakls/evidence"
)

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		count             float64
		kind              string
		bytes             float64
		steps, iterations int
		want              string
	}{
		{10, "entry", 3072, 1, 10, "+1 entry, +307 B per iteration"},
		{39, "IncomingMessage", 94003, 1, 10, "+3.9 IncomingMessage, +9.2 KiB per iteration"},
		{4000, "entry", 64000, 2, 2000, "+1 entry, +16 B per iteration"},
		{4000, "entry", 64000, 2, 0, "+2,000 entries, +31.2 KiB per snapshot step"},
		{0, "entry", 57344, 2, 0, "+28.0 KiB per snapshot step"},
		{5, "entry", -4096, 1, 0, "+5 entries, -4.0 KiB per snapshot step"},
	} {
		if got := evidence.Rate(tc.count, tc.kind, tc.bytes, tc.steps, tc.iterations); got != tc.want {
			t.Errorf("Rate(%v, %q, %v, %d, %d) = %q, want %q", tc.count, tc.kind, tc.bytes, tc.steps, tc.iterations, got, tc.want)
		}
	}
}

// TestWriteText checks the layout of a real series' leak report: the
// verdict first, one line per leak before the details, and paths folded
// up to the holder's owner unless FullPath, which shows every hop.
func TestWriteText(t *testing.T) {
	root, files := series(t)
	rep, err := evidence.Analyze(context.Background(), files, evidence.Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	write := func(o evidence.TextOptions) string {
		var b bytes.Buffer
		rep.WriteText(&b, o)
		return b.String()
	}
	short := write(evidence.TextOptions{Verdict: "Verdict: the test's", Iterations: 2000})
	if !strings.HasPrefix(short, "Verdict: the test's\n") {
		t.Errorf("the verdict is not first:\n%s", short)
	}
	head, _, ok := strings.Cut(short, "\n"+evidence.DetailsHeading+"\n")
	if !ok {
		t.Fatalf("no details:\n%s", short)
	}
	for _, f := range rep.RelFindings() {
		line := fmt.Sprintf("\n  %s:%d:%d %s ", f.File, f.Range.Start.Line+1, f.Range.Start.Col+1, f.Rule)
		if strings.Count(head, line) != 1 || !strings.Contains(head, " per iteration") {
			t.Errorf("the leaks before the details do not list %s once, with its rate:\n%s", line, head)
		}
	}
	full := write(evidence.TextOptions{FullPath: true})
	folded := 0
	for _, g := range rep.Leaks.Growing {
		owner := evidence.OwnerHop(g.Path)
		folded += owner
		for i, h := range g.Path {
			id := fmt.Sprintf("@%d", h.ID)
			if !strings.Contains(full, id) {
				t.Errorf("--full-path does not show hop %d of %s (%s)", i, g.Label, id)
			}
			if i < owner && strings.Contains(short, id) {
				t.Errorf("hop %d of %s (%s), before its owner, is not folded", i, g.Label, id)
			}
		}
	}
	if folded == 0 || !strings.Contains(short, "hops from the roots (--full-path shows them)") || strings.Contains(full, "hops from the roots") {
		t.Errorf("%d hops to fold; folded:\n%s\nfull:\n%s", folded, short, full)
	}
}
