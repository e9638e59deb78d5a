package main

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/testenv"
)

// exampleRun runs the README's demo, the example service driven by its
// scenario, with more args, and returns its exit code and output.
func exampleRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	testenv.Node(t)
	var stdout, stderr bytes.Buffer
	code := runMain(append(append([]string{"run", "--quiet", "--root", "../..",
		"--scenario", "../../examples/service/scenario.mjs", "--iterations", "6"}, args...),
		"--", "node", "../../examples/service/server.js"), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestRunExampleService runs the README's demo. Every leak the scenario
// exercises must be reported once, at the line of the example that grows
// it (startedAt.set() in the request path, not the Map's declaration).
func TestRunExampleService(t *testing.T) {
	code, out, errs := exampleRun(t)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, errs)
	}
	// The report up to the details fits in one screen of 40 lines.
	head, _, ok := strings.Cut(out, "\n"+evidence.DetailsHeading+"\n")
	if n := strings.Count(head, "\n") + 1; !ok || n > 40 {
		t.Errorf("%d lines before the details (found: %v), want at most 40:\n%s", n, ok, head)
	}
	for _, want := range []string{
		"examples/service/metrics.js:16:3: LK101 the module variable startedAt",
		"examples/service/handlers/prices.js:13:3: LK102 the listener registered here",
		"examples/service/handlers/jobs.js:33:3: LK103 the timer callback scheduled here",
	} {
		if n := strings.Count(out, want); n != 1 {
			t.Errorf("report names %q %d times, want once (clusters held at one spot make one finding):\n%s", want, n, out)
		}
	}
	// The Sockets the startedAt Map holds are not held by the server's
	// request listener, which createServer() registers once. (The line may
	// stand in the clusters' allocation stacks: the listener calls handle().)
	if regexp.MustCompile(`router\.js:45:\d+: LK`).MatchString(out) {
		t.Errorf("report names the createServer() call of router.js as a holder:\n%s", out)
	}
}

// TestRunExampleServiceDeterministic runs the README's demo three times:
// each run reports the example's five leaks, each once, and nothing else
// — the same findings every time. Only what is meant to be the same is
// compared: rule, file and line (counts and sizes vary with the garbage
// collector's timing).
func TestRunExampleServiceDeterministic(t *testing.T) {
	want := []spot{
		{"LK103", "examples/service/handlers/jobs.js", 33},
		{"LK103", "examples/service/handlers/jobs.js", 47},
		{"LK102", "examples/service/handlers/prices.js", 13},
		{"LK101", "examples/service/cache.js", 13},
		{"LK101", "examples/service/metrics.js", 16},
	}
	slices.SortFunc(want, cmpSpot)
	for run := range 3 {
		code, out, errs := exampleRun(t, "--format", "json")
		if code != exitFindings {
			t.Fatalf("run %d: exit %d, want %d\nstderr:\n%s", run+1, code, exitFindings, errs)
		}
		if got := jsonSpots(t, out); !slices.Equal(got, want) {
			t.Errorf("run %d: findings %v, want %v", run+1, got, want)
		}
	}
}
