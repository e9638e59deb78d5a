package analysis

import (
	"strings"
	"testing"
)

// growthOf runs FindGrowth over a series written by testdata/growth/series.js.
func growthOf(t *testing.T, name string, args ...string) []Growth {
	t.Helper()
	b, tg, f := growthSeries(t, name, args...)
	final := mustRead(t, Load, f)
	earlier := []*Fingerprint{fingerprint(t, b), fingerprint(t, tg)}
	fp := final.Fingerprint()
	fp.Path = f
	if err := CheckSeries(append(earlier, fp)...); err != nil {
		t.Fatal(err)
	}
	return FindGrowth(earlier, final, GrowthOptions{})
}

// TestFindGrowth checks, on real snapshots, that holders growing without
// new objects are found with their numbers: a listener array growing with
// a shared handler, a Map of small integers, an array of small integers.
func TestFindGrowth(t *testing.T) {
	got := growthOf(t, "a")
	for _, g := range got {
		t.Logf("%s  (%v B; held by %s)", g.Summary(), g.Bytes, g.Holder.Name)
	}
	want := map[string]bool{
		"`upgrade` listeners on this Server: 40 → 2,040 → 4,040": false,
		"Map hits: ":      false,
		"Array samples: ": false,
	}
	for _, g := range got {
		for w := range want {
			if strings.HasPrefix(g.Summary(), w) {
				want[w] = true
				if g.Variable < 0 && !strings.Contains(w, "listeners") {
					t.Errorf("%s: no variable on the path", w)
				}
			}
		}
	}
	for w, ok := range want {
		if !ok {
			t.Errorf("no growing holder %q", w)
		}
	}
}

// TestFindGrowthQuiet checks that a series in which the program does no
// work reports nothing: what Node grows on its own stays under the
// default thresholds.
func TestFindGrowthQuiet(t *testing.T) {
	for _, g := range growthOf(t, "quiet", "quiet") {
		t.Errorf("a holder of a program doing nothing is reported: %s", g.Summary())
	}
}

// TestDiffFilesGrowth checks that DiffFiles reports the growing holders
// of a real series, which allocates no object that leaks.
func TestDiffFilesGrowth(t *testing.T) {
	b, tg, f := growthSeries(t, "a")
	rep, err := DiffFiles(b, tg, f, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Growing) != 3 || rep.Growing[0].Label != "Map hits" {
		var got []string
		for _, g := range rep.Growing {
			got = append(got, g.Summary())
		}
		t.Errorf("growing holders %q, want the Map hits first of three", got)
	}
}
