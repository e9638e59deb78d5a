package main

import (
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/sysmem"
)

// TestPlanMemory gives planMemory the snapshots of a real series and an
// available-memory figure: too little is refused before anything is
// loaded, with both figures and what to do; enough is accepted. A
// three-snapshot diff needs less than loading its three files in full.
func TestPlanMemory(t *testing.T) {
	files := writeSnapshots(t, "leaks.js")
	t.Setenv("GOMEMLIMIT", "1GiB") // keep this test process's limit as it is
	figure := func(n int64) func() (sysmem.Available, bool) {
		return func() (sysmem.Available, bool) { return sysmem.Available{Bytes: n, Source: "test figure"}, true }
	}
	err := planMemory(files[:], figure(1<<20))
	if err == nil {
		t.Fatal("a plan needing more than 1 MiB was accepted with 1 MiB available")
	}
	for _, want := range []string{"the analysis needs about ", "and 1.0 MiB is available (test figure)", "run it on a machine with more memory"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if err := planMemory(files[:], figure(1<<40)); err != nil {
		t.Errorf("refused with 1 TiB available: %v", err)
	}
	if err := planMemory(files[:], func() (sysmem.Available, bool) { return sysmem.Available{}, false }); err != nil {
		t.Errorf("refused with no figure: %v", err)
	}
	// Find the figure at which the three-snapshot plan just fits: loading
	// the same three files as a two-file plan each must need more.
	lo, hi := int64(0), int64(1<<40)
	for lo+1 < hi {
		m := (lo + hi) / 2
		if planMemory(files[:], figure(m)) == nil {
			hi = m
		} else {
			lo = m
		}
	}
	if err := planMemory(files[1:], figure(hi)); err == nil {
		t.Errorf("two snapshots loaded in full fit in the %d bytes three as a diff need", hi)
	}
}
