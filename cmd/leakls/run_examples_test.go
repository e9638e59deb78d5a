package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/leakls/leakls/evidence"
	"github.com/leakls/leakls/internal/testenv"
)

// TestRunExampleService runs the README's demo: the example service driven
// by its scenario. Every leak the scenario exercises must be reported at
// the line of the example that grows it (startedAt.set() in the request
// path, not the Map's declaration).
func TestRunExampleService(t *testing.T) {
	testenv.Node(t)
	var stdout, stderr bytes.Buffer
	code := runMain([]string{"run", "--quiet", "--root", "../..",
		"--scenario", "../../examples/service/scenario.mjs", "--iterations", "6",
		"--", "node", "../../examples/service/server.js"}, &stdout, &stderr)
	out := stdout.String()
	if code != exitFindings {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFindings, out, stderr.String())
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
