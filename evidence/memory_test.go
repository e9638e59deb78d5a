package evidence_test

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/sysmem"
)

// figure returns an available-memory figure of n bytes.
func figure(n int64) func() (sysmem.Available, bool) {
	return func() (sysmem.Available, bool) { return sysmem.Available{Bytes: n, Source: "test figure"}, true }
}

// TestPlanMemory gives PlanMemory and Analyze the snapshots of a real
// series and figures of available memory: too little is refused before
// anything is loaded, with both figures and what to do; the figure the
// error names as needed is enough. A series needs less than loading its
// files in full, and at least loading its final snapshot.
func TestPlanMemory(t *testing.T) {
	root, files := series(t)
	opts := evidence.Options{Root: root, Available: figure(1 << 20)}
	rep, err := evidence.Analyze(context.Background(), files, opts)
	var memErr *evidence.MemoryError
	if !errors.As(err, &memErr) || rep != nil {
		t.Fatalf("Analyze with 1 MiB available: %v, %v; want a *MemoryError", rep, err)
	}
	for _, want := range []string{"the analysis needs about ", "and 1.0 MiB is available (test figure)", "run it on a machine with more memory"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	opts.Available = figure(memErr.Need)
	if _, err := evidence.PlanMemory(files, opts); err != nil {
		t.Errorf("refused with the %d bytes it said it needs: %v", memErr.Need, err)
	}
	opts.Available = figure(memErr.Need - 1)
	if _, err := evidence.PlanMemory(files, opts); err == nil {
		t.Errorf("accepted with a byte less than the %d it said it needs", memErr.Need)
	}
	opts.Available = func() (sysmem.Available, bool) { return sysmem.Available{}, false }
	if _, err := evidence.PlanMemory(files, opts); err != nil {
		t.Errorf("refused with no figure: %v", err)
	}

	need := func(files []string, pairLeaks bool) int64 {
		t.Helper()
		peak, err := evidence.PlanMemory(files, evidence.Options{Available: figure(1 << 50), PairLeaks: pairLeaks})
		if err != nil || peak <= 0 {
			t.Fatalf("PlanMemory(%q): %d, %v", files, peak, err)
		}
		return peak
	}
	full := need(files[:1], false) + need(files[1:2], false) + need(files[2:], false)
	if s := need(files, false); s >= full || s < need(files[2:], false) {
		t.Errorf("the series needs %d bytes, loading its files in full %d, its final %d", s, full, need(files[2:], false))
	}
	if pair, compared := need(files[1:], true), need(files[1:], false); pair >= compared {
		t.Errorf("a pair diffed for leaks needs %d bytes, compared %d", pair, compared)
	}
}

// TestMemoryLimit checks that Options.MemoryLimit sets the Go runtime's
// soft memory limit to the estimate, unless GOMEMLIMIT is set.
func TestMemoryLimit(t *testing.T) {
	_, files := series(t)
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	opts := evidence.Options{Available: figure(1 << 50), MemoryLimit: true}
	t.Setenv("GOMEMLIMIT", "1GiB")
	if _, err := evidence.PlanMemory(files, opts); err != nil || debug.SetMemoryLimit(-1) != old {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d (%v)", debug.SetMemoryLimit(-1), err)
	}
	t.Setenv("GOMEMLIMIT", "")
	peak, err := evidence.PlanMemory(files, opts)
	if want := max(peak, 256<<20); err != nil || debug.SetMemoryLimit(-1) != want {
		t.Errorf("the limit is %d, want %d (%v)", debug.SetMemoryLimit(-1), want, err)
	}
}
