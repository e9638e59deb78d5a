package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/capture"
	"github.com/leakls/leakls/internal/testenv"
)

// relatedFinding is the part of a finding in JSON that these tests read:
// its related locations, each read as a finding (file, range, message)
// with its kind.
type relatedFinding struct {
	Related []struct {
		Kind string `json:"kind"`
		jsonFinding
	} `json:"related"`
}

// runAllocations runs leakls run --format json with args and returns the
// clusters of its report and the related locations of its findings.
func runAllocations(t *testing.T, args ...string) ([]analysis.Cluster, []relatedFinding) {
	t.Helper()
	code, out, errs := leaklsRun(t, append([]string{"--format", "json", "--scenario", scenario(), "--iterations", "4"}, args...)...)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errs)
	}
	var rep struct {
		Clusters []analysis.Cluster `json:"clusters"`
		Findings []relatedFinding   `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	return rep.Clusters, rep.Findings
}

// allocationOf returns the allocating frame of the most common stack of
// the cluster of class.
func allocationOf(t *testing.T, clusters []analysis.Cluster, class string) analysis.Frame {
	t.Helper()
	for _, c := range clusters {
		if c.Constructor == class {
			if len(c.Allocations) == 0 || c.Allocations[0].Count != c.Count {
				t.Fatalf("cluster of %s: allocations %+v, want one stack for its %d objects", class, c.Allocations, c.Count)
			}
			return c.Allocations[0].Frames[0]
		}
	}
	t.Fatalf("no cluster of %s in %+v", class, clusters)
	return analysis.Frame{}
}

// hasAllocationRelated reports whether a finding relates the allocation
// at file:line (1-based).
func hasAllocationRelated(found []relatedFinding, file string, line int) bool {
	for _, f := range found {
		for _, r := range f.Related {
			if r.Kind == "allocation" && r.File == file && r.Range.Start.Line == line {
				return true
			}
		}
	}
	return false
}

// TestRunAllocationSite: leakls run tracks allocations by default, and a
// leaked class's allocation site is the new expression in the program's
// CommonJS source.
func TestRunAllocationSite(t *testing.T) {
	app := filepath.Join(captureApps, "leaky.js")
	clusters, found := runAllocations(t, "--", "node", app)
	f := allocationOf(t, clusters, "Session")
	line := testenv.LineOf(t, app, "sessions.push(new Session(")
	if f.File != "leaky.js" || f.Line != line || f.Column != 19 || f.Expression != "new Session()" || f.Dependency {
		t.Errorf("allocation site %+v, want new Session() at leaky.js:%d:19", f, line)
	}
	if !hasAllocationRelated(found, "leaky.js", line) {
		t.Errorf("no finding relates the allocation at leaky.js:%d: %+v", line, found)
	}
}

// TestRunAllocationSiteTypeScript: the allocation site of TypeScript
// bundled by esbuild is placed through the source map in the original
// file.
func TestRunAllocationSiteTypeScript(t *testing.T) {
	clusters, found := runAllocations(t, "--", filepath.Join(captureApps, "tsapp", "server.ts"))
	f := allocationOf(t, clusters, "Entry")
	line := testenv.LineOf(t, filepath.Join(captureApps, "tsapp", "cache.ts"), "new Entry(")
	if f.File != "tsapp/cache.ts" || f.Line != line || f.Expression != "new Entry()" {
		t.Errorf("allocation site %+v, want new Entry() at tsapp/cache.ts:%d", f, line)
	}
	if !hasAllocationRelated(found, "tsapp/cache.ts", line) {
		t.Errorf("no finding relates the allocation at tsapp/cache.ts:%d: %+v", line, found)
	}
}

// TestRunWithoutAllocationTracking: --track-allocations=false runs as
// before, and the report, from snapshots without traces, says nothing
// about allocation sites.
func TestRunWithoutAllocationTracking(t *testing.T) {
	code, out, errs := leaklsRun(t, "--track-allocations=false", "--scenario", scenario(), "--iterations", "4", "--", "node", filepath.Join(captureApps, "leaky.js"))
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errs)
	}
	if !strings.Contains(out, "4 × Session") || strings.Contains(out, "allocated (") || strings.Contains(out, "allocated here") {
		t.Errorf("report without allocation tracking:\n%s", out)
	}
}

// TestCaptureTrackAllocations: leakls capture leaves the allocation
// tracker off unless --track-allocations is given, and then its
// snapshots carry allocation traces.
func TestCaptureTrackAllocations(t *testing.T) {
	p := launchApp(t, "leaky.js")
	for _, track := range []bool{false, true} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		code := runMain([]string{"capture", "--quiet", "--inspect", p.Inspector, "--out", dir, "--track-allocations=" + strconv.FormatBool(track)}, &stdout, &stderr)
		if code != exitClean {
			t.Fatalf("--track-allocations=%v: exit %d\nstderr:\n%s", track, code, stderr.String())
		}
		s, err := analysis.Load(strings.TrimSpace(stdout.String()), analysis.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if s.HasAllocationTraces() != track {
			t.Errorf("--track-allocations=%v: the snapshot has allocation traces: %v", track, s.HasAllocationTraces())
		}
	}
}

// launchApp starts the test program app of captureApps with the inspector
// on, and stops it at the end of the test.
func launchApp(t *testing.T, app string) *capture.Process {
	t.Helper()
	testenv.Node(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := capture.Launch(ctx, capture.LaunchOptions{Command: []string{"node", filepath.Join(captureApps, app)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	return p
}
