package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/internal/testenv"
)

// captureApps is the directory of the test programs of leakls run.
const captureApps = "../../capture/testdata"

// leaklsRun runs leakls run with args and returns its exit code and output.
func leaklsRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	testenv.Node(t)
	var stdout, stderr bytes.Buffer
	code := runMain(append([]string{"run", "--quiet", "--root", captureApps}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func scenario() string { return filepath.Join(captureApps, "scenario.mjs") }

func TestRunLeakyAndFixed(t *testing.T) {
	app := filepath.Join(captureApps, "leaky.js")
	code, out, errs := leaklsRun(t, "--scenario", scenario(), "--iterations", "4", "--", "node", app)
	if code != exitFindings {
		t.Fatalf("leaky app: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errs)
	}
	line := testenv.LineOf(t, app, "sessions.push(")
	for _, want := range []string{fmt.Sprintf("leaky.js:%d:5: LK101 the module variable sessions retains 4 Session objects", line), "Verdict: leak: 1 cluster(s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("leaky app: report lacks %q:\n%s", want, out)
		}
	}

	t.Setenv("LEAKLS_TEST_FIXED", "1")
	code, out, errs = leaklsRun(t, "--scenario", scenario(), "--iterations", "4", "--", "node", app)
	if code != exitClean {
		t.Fatalf("fixed app: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitClean, out, errs)
	}
	if !strings.Contains(out, "Verdict: no leak") || strings.Contains(out, "Session") {
		t.Errorf("fixed app: report:\n%s", out)
	}
}

func TestRunTypeScript(t *testing.T) {
	code, out, errs := leaklsRun(t, "--scenario", scenario(), "--iterations", "4", "--", filepath.Join(captureApps, "tsapp", "server.ts"))
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errs)
	}
	if !strings.Contains(out, "tsapp/cache.ts:10:5: LK104 the property entries of Cache retains 4 Entry objects") {
		t.Errorf("the report does not lead to the TypeScript source:\n%s", out)
	}
}

func TestRunActionCmdOffHeap(t *testing.T) {
	node := testenv.Node(t)
	fetch := node + ` -e 'fetch(process.env.LEAKLS_URL).then(r => r.text())'`
	code, out, errs := leaklsRun(t, "--format", "json", "--action-cmd", fetch, "--iterations", "3", "--warmup", "1", "--", "node", filepath.Join(captureApps, "offheap.js"))
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errs)
	}
	var got struct {
		Trend struct {
			OffHeap            bool  `json:"offHeap"`
			ArrayBuffersGrowth int64 `json:"arrayBuffersGrowth"`
			Floors             []struct {
				Phase string `json:"phase"`
			} `json:"floors"`
		} `json:"trend"`
		Leaking  bool           `json:"leaking"`
		Findings *[]jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	if got.Findings == nil {
		t.Errorf("no findings array (the holders in the source) in:\n%s", out)
	}
	// Six actions each keep a 256 KiB Buffer.
	if !got.Trend.OffHeap || !got.Leaking || got.Trend.ArrayBuffersGrowth < 6*256<<10 {
		t.Errorf("trend %+v, leaking %v: want off-heap growth of at least 1.5 MiB", got.Trend, got.Leaking)
	}
	if len(got.Trend.Floors) != 3 || got.Trend.Floors[0].Phase != "baseline" || got.Trend.Floors[2].Phase != "final" {
		t.Errorf("floors %+v: want baseline, target, final", got.Trend.Floors)
	}
}

func TestRunErrors(t *testing.T) {
	code, _, errs := leaklsRun(t, "--scenario", scenario(), "--", "node", filepath.Join(captureApps, "early.js"))
	if code != exitError || !strings.Contains(errs, "exited before") || !strings.Contains(errs, "config file missing") {
		t.Errorf("early exit: exit %d, stderr:\n%s", code, errs)
	}
	code, _, errs = leaklsRun(t, "--scenario", scenario(), "--", "node", "-e", "0")
	if code != exitError || !strings.Contains(errs, "exited before") || !strings.Contains(errs, "(exit status 0)") {
		t.Errorf("early exit with status 0: exit %d, stderr:\n%s", code, errs)
	}
	code, _, errs = leaklsRun(t, "--timeout", "1s", "--scenario", scenario(), "--", "node", filepath.Join(captureApps, "never.js"))
	if code != exitError || !strings.Contains(errs, "no http:// URL within 1s") {
		t.Errorf("never ready: exit %d, stderr:\n%s", code, errs)
	}
	code, _, errs = leaklsRun(t, "--", "node", "x.js")
	if code != exitError || !strings.Contains(errs, "exactly one of --scenario") {
		t.Errorf("no action: exit %d, stderr:\n%s", code, errs)
	}
	// A missing scenario is reported before the program is started (which
	// never prints a URL here: the error would otherwise come after
	// --timeout).
	missing := filepath.Join(t.TempDir(), "missing.mjs")
	code, _, errs = leaklsRun(t, "--timeout", "1m", "--scenario", missing, "--", "node", filepath.Join(captureApps, "never.js"))
	if code != exitError || !strings.Contains(errs, "--scenario: stat "+missing+": no such file") {
		t.Errorf("missing scenario: exit %d, stderr:\n%s", code, errs)
	}
	// So is --update-baseline without the file it writes: never.js would
	// otherwise run until --timeout.
	code, _, errs = leaklsRun(t, "--timeout", "1m", "--update-baseline", "--scenario", scenario(), "--", "node", filepath.Join(captureApps, "never.js"))
	if code != exitError || !strings.Contains(errs, "--update-baseline writes the --baseline FILE") {
		t.Errorf("--update-baseline alone: exit %d, stderr:\n%s", code, errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.mjs")
	if err := os.WriteFile(bad, []byte("export const x = 1;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = leaklsRun(t, "--scenario", bad, "--", "node", filepath.Join(captureApps, "leaky.js"))
	if code != exitError || !strings.Contains(errs, "exports no action(ctx)") {
		t.Errorf("scenario without action: exit %d, stderr:\n%s", code, errs)
	}
}

func TestCaptureCommand(t *testing.T) {
	testenv.Node(t)
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"capture", "--inspect", "10.0.0.1:9229"}, &stdout, &stderr)
	if code != exitError || !strings.Contains(stderr.String(), "--allow-remote") {
		t.Errorf("remote inspector: exit %d, stderr %s", code, stderr.String())
	}
}

func TestCaptureThreeSnapshots(t *testing.T) {
	p := launchApp(t, "leaky.js")
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"capture", "--quiet", "--inspect", p.Inspector, "--out", dir, "--count", "3", "--interval", "10ms"}, &stdout, &stderr)
	if code != exitClean {
		t.Fatalf("exit %d, want %d (nothing ran between the snapshots)\nstdout:\n%s\nstderr:\n%s", code, exitClean, stdout.String(), stderr.String())
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.heapsnapshot"))
	if err != nil || len(files) != 3 {
		t.Fatalf("snapshots written: %q (%v), want 3", files, err)
	}
	for _, f := range files {
		if !strings.Contains(stdout.String(), f+"\n") {
			t.Errorf("stdout does not list %s:\n%s", f, stdout.String())
		}
	}
	if !strings.Contains(stdout.String(), "No leaks:") {
		t.Errorf("no leak report after the three files:\n%s", stdout.String())
	}
}

// TestRunInterrupted sends Ctrl-C (SIGINT) during an action: the run ends
// with an error and the program's whole process group is gone.
func TestRunInterrupted(t *testing.T) {
	testenv.Node(t)
	dir := t.TempDir()
	pidFile, marker := filepath.Join(dir, "pid"), filepath.Join(dir, "marker")
	t.Setenv("LEAKLS_TEST_PIDFILE", pidFile)
	t.Setenv("LEAKLS_TEST_MARKER", marker)
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := leaklsRun(t, "--scenario", filepath.Join(captureApps, "hang.mjs"), "--", "node", filepath.Join(captureApps, "spawner.js"))
		done <- result{code, out, errs}
	}()
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("the run ended before the action started: exit %d\n%s", r.code, r.errs)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.code != exitError || !strings.Contains(r.errs, "interrupted") {
		t.Errorf("exit %d, want %d with the interruption named; stderr:\n%s", r.code, exitError, r.errs)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pgid, err := strconv.Atoi(string(data))
	if err != nil {
		t.Fatal(err)
	}
	// The leader has been waited for; the child, killed with the group,
	// is reaped by init shortly after.
	for range 200 {
		if errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("process group %d still has processes after the interrupted run", pgid)
}

// TestRunURLPolled runs a program that prints no URL: --url is polled
// until it answers, and the run completes with its report. The verdict is
// not what this tests: on a loaded machine the keep-alive connections of
// the scenario's fetch leave objects that only Node's code holds, and with
// two iterations they can reach the one-per-iteration bar for Node-owned
// clusters.
func TestRunURLPolled(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	server := fmt.Sprintf(`require('node:http').createServer((q, s) => s.end()).listen(%d, '127.0.0.1')`, port)
	code, out, errs := leaklsRun(t, "--url", fmt.Sprintf("http://127.0.0.1:%d/", port), "--scenario", scenario(), "--iterations", "2", "--warmup", "1", "--", "node", "-e", server)
	if code == exitError || !strings.Contains(out, "Verdict: ") {
		t.Errorf("exit %d, want a report with its verdict\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}

// TestGrowingClusters checks the verdict's count: a cluster grows with the
// iterations when it retains the threshold per iteration and is not one
// only Node's own code holds.
func TestGrowingClusters(t *testing.T) {
	rep := &analysis.LeakReport{Clusters: []analysis.Cluster{
		{Constructor: "Order", Count: 10, RetainedSize: 4096},               // the program's leak
		{Constructor: "Socket", Count: 1, RetainedSize: 2300, Node: true},   // the stderr stream
		{Constructor: "Socket", Count: 10, RetainedSize: 23000, Node: true}, // a keep-alive pool's sockets
		{Constructor: "Closure", Count: 1, RetainedSize: 4096},              // a chain of closures
		{Constructor: "Object", Count: 10, RetainedSize: 100},               // too small
	}}
	if got := growingClusters(rep, 10, 256); got != 2 {
		t.Errorf("growingClusters = %d, want 2 (the Orders, the closure chain)", got)
	}
}
