package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/sysmem"
)

// tooLittleMemory makes the commands see 1 MiB of available memory until
// the test ends.
func tooLittleMemory(t *testing.T) {
	t.Helper()
	availableMemory = func() (sysmem.Available, bool) {
		return sysmem.Available{Bytes: 1 << 20, Source: "test figure"}, true
	}
	t.Cleanup(func() { availableMemory = sysmem.Read })
}

// refused checks that a command refused to analyse for want of memory,
// with both figures and what to do.
func refused(t *testing.T, what string, code int, stderr string) {
	t.Helper()
	if code != exitError {
		t.Errorf("%s: exit %d, want %d\n%s", what, code, exitError, stderr)
	}
	for _, want := range []string{"the analysis needs about ", "and 1.0 MiB is available (test figure)", "run it on a machine with more memory"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("%s: stderr lacks %q:\n%s", what, want, stderr)
		}
	}
}

// TestMemoryRefused gives the snapshot commands the snapshots of a real
// series and too little available memory: each refuses before loading.
func TestMemoryRefused(t *testing.T) {
	files := writeSnapshots(t, "leaks.js")
	tooLittleMemory(t)
	for _, args := range [][]string{
		{"snapshot", "summary", files[2]},
		{"snapshot", "diff", files[0], files[1], files[2]},
		{"snapshot", "diff", files[0], files[2]},
		{"snapshot", "path", files[2], "--id", "1"},
	} {
		code, _, stderr := run(args...)
		refused(t, strings.Join(args[:2], " "), code, stderr)
	}
}

// TestRunMemoryRefused runs a leaking program with too little available
// memory for the analysis: the run refuses it once the snapshots are
// taken and keeps them, saying where, for an analysis elsewhere.
func TestRunMemoryRefused(t *testing.T) {
	tooLittleMemory(t)
	code, _, errs := leaklsRun(t, "--scenario", scenario(), "--iterations", "2", "--", "node", filepath.Join(captureApps, "leaky.js"))
	refused(t, "run", code, errs)
	_, dir, ok := strings.Cut(errs, "the snapshots are in ")
	dir, _, _ = strings.Cut(dir, ",")
	if !ok {
		t.Fatalf("the error does not say where the snapshots are:\n%s", errs)
	}
	defer os.RemoveAll(dir)
	if files, _ := filepath.Glob(filepath.Join(dir, "*.heapsnapshot")); len(files) != 3 {
		t.Errorf("%s holds %q, want the 3 snapshots", dir, files)
	}
}

// TestCaptureMemoryRefused takes three snapshots of a running program
// with too little available memory for their analysis: capture writes
// them and then refuses to analyse them.
func TestCaptureMemoryRefused(t *testing.T) {
	p := launchApp(t, "leaky.js")
	dir := t.TempDir()
	tooLittleMemory(t)
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"capture", "--quiet", "--inspect", p.Inspector, "--out", dir, "--count", "3", "--interval", "10ms"}, &stdout, &stderr)
	refused(t, "capture", code, stderr.String())
	if files, _ := filepath.Glob(filepath.Join(dir, "*.heapsnapshot")); len(files) != 3 {
		t.Errorf("capture wrote %q, want 3 snapshots", files)
	}
}
