package lsp_test

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
)

// TestCaptureSnapshots captures baseline, target and final snapshots of a
// leaking HTTP server started by the test with --inspect, one phase per
// command, sending requests between the phases; the evidence is
// published on the push() that grows the array that keeps the sessions, and
// the snapshots are in the workspace.
func TestCaptureSnapshots(t *testing.T) {
	dir, src, inspector, base := startLeaky(t)

	yes := true
	c := newClient(t, lsp.Options{})
	res := c.initializeIn(dir, &protocol.InitializeParams{
		Capabilities: protocol.ClientCapabilities{Window: &protocol.WindowClientCapabilities{WorkDoneProgress: &yes}},
	})
	if !slices.Contains(res.Capabilities.ExecuteCommandProvider.Commands, lsp.CommandCaptureSnapshots) {
		t.Errorf("%s is not advertised: %v", lsp.CommandCaptureSnapshots, res.Capabilities.ExecuteCommandProvider.Commands)
	}
	uri := "file://" + filepath.Join(dir, "leaky.js")
	c.open(uri, "javascript", src)

	capture := func(phase string) error {
		arg := protocol.LSPAny(`{"inspect": "` + inspector + `", "phase": "` + phase + `"}`)
		return c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
			Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{arg}}, nil)
	}
	if err := capture("target"); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("target before baseline: %v, want an out-of-order error", err)
	}
	for i, phase := range []string{"baseline", "target", "final"} {
		if err := capture(phase); err != nil {
			t.Fatalf("%s: %v", phase, err)
		}
		if i < 2 {
			for range 200 {
				get(t, base)
			}
		}
	}
	p := c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID))
	d := find(t, p, holders.RetainedByVariable.ID)
	if want := growthLine(src); d.Range.Start.Line != want {
		t.Errorf("evidence at %+v, want the sessions.push() that grows the array on line %d", d.Range, want)
	}
	found, _ := filepath.Glob(filepath.Join(dir, ".leakls", "snapshots", "*", "*.heapsnapshot"))
	if len(found) != 3 {
		t.Errorf("snapshots in the workspace: %v, want baseline, target and final", found)
	}
	c.waitFor("begin and end of the capture progress", func() bool {
		s := strings.Join(c.progress, " ")
		return strings.Contains(s, "begin") && strings.Contains(s, "end")
	})

	bad := protocol.LSPAny(`{"inspect": "127.0.0.1:9229", "phase": "middle"}`)
	if err := c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
		Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{bad}}, nil); err == nil || !strings.Contains(err.Error(), "phase") {
		t.Errorf("an unknown phase: %v, want an error naming the phase", err)
	}
}

// startLeaky copies capture/testdata/leaky.js, a leaking HTTP server,
// into a new workspace dir and starts it (see startInspected); src is its
// text.
// growthLine returns the 0-based line of leaky.js's source src that grows
// its sessions array: where its evidence is published.
func growthLine(src string) uint32 {
	return uint32(slices.IndexFunc(strings.Split(src, "\n"), func(line string) bool { return strings.Contains(line, "sessions.push(") }))
}

func startLeaky(t *testing.T) (dir, src, inspector, base string) {
	t.Helper()
	node := testenv.Node(t)
	dir = t.TempDir()
	data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "capture", "testdata", "leaky.js"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "leaky.js"), string(data))
	inspector, base = startInspected(t, node, dir, "leaky.js")
	return dir, string(data), inspector, base
}

// startInspected starts node on script in dir with the inspector on a free
// loopback port and returns the inspector's ws:// URL and the http:// URL
// the script prints. The process is killed when the test ends.
func startInspected(t *testing.T, node, dir, script string) (inspector, base string) {
	t.Helper()
	cmd := exec.Command(node, "--inspect=127.0.0.1:0", script)
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	find := func(r io.Reader, re *regexp.Regexp, out chan<- string) {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if m := re.FindString(sc.Text()); m != "" {
				out <- m
				break
			}
		}
		io.Copy(io.Discard, r)
	}
	ws, web := make(chan string, 1), make(chan string, 1)
	go find(stderr, regexp.MustCompile(`ws://\S+`), ws)
	go find(stdout, regexp.MustCompile(`http://\S+`), web)
	for inspector == "" || base == "" {
		select {
		case inspector = <-ws:
		case base = <-web:
		case <-time.After(30 * time.Second):
			t.Fatalf("node %s printed no inspector and http URLs", script)
		}
	}
	return inspector, base
}

// get requests url and checks that it answers.
func get(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// TestCaptureRun captures through a configured run: the "run" setting
// names the leaking server and the scenario that drives it; the command,
// given no argument, starts the server in the workspace, runs the phases
// and publishes the evidence on the holder's line.
func TestCaptureRun(t *testing.T) {
	testenv.Node(t)
	dir := t.TempDir()
	var src string
	for _, name := range []string{"leaky.js", "scenario.mjs"} {
		data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "capture", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), string(data))
		if name == "leaky.js" {
			src = string(data)
		}
	}
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, &protocol.InitializeParams{
		InitializationOptions: protocol.LSPAny(`{"run": {"command": ["node", "leaky.js"], "scenario": "scenario.mjs", "iterations": 30}}`),
	})
	uri := "file://" + filepath.Join(dir, "leaky.js")
	c.open(uri, "javascript", src)
	if err := c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: lsp.CommandCaptureSnapshots}, nil); err != nil {
		t.Fatal(err)
	}
	d := find(t, c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID)), holders.RetainedByVariable.ID)
	if want := growthLine(src); d.Range.Start.Line != want {
		t.Errorf("evidence at %+v, want the sessions.push() that grows the array on line %d", d.Range, want)
	}

	// A run whose scenario is missing fails at once, naming it, without
	// starting the program.
	arg := protocol.LSPAny(`{"run": {"command": ["node", "leaky.js"], "scenario": "missing.mjs"}}`)
	err := c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
		Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{arg}}, nil)
	if err == nil || !strings.Contains(err.Error(), "scenario") || !strings.Contains(err.Error(), "missing.mjs") {
		t.Errorf("a run with a missing scenario: %v", err)
	}
}

// TestCaptureInterval captures the three snapshots in one call, an
// interval apart, while the test sends requests to the leaking server:
// with an object argument, and with the inspector alone as a bare string,
// as the editors' capture commands send it (which waits the default 10 s
// between snapshots).
func TestCaptureInterval(t *testing.T) {
	for _, tc := range []struct {
		name, arg string // arg: a JSON format for the inspector
		timeout   time.Duration
	}{
		{"object", `{"inspect": %q, "interval": "700ms"}`, waitTimeout},
		{"bare string", `%q`, 3 * waitTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, src, inspector, base := startLeaky(t)
			c := newClient(t, lsp.Options{})
			c.initializeIn(dir, nil)
			uri := "file://" + filepath.Join(dir, "leaky.js")
			c.open(uri, "javascript", src)

			stop := make(chan struct{})
			traffic := make(chan error, 1)
			go func() {
				for {
					select {
					case <-stop:
						traffic <- nil
						return
					default:
					}
					resp, err := http.Get(base)
					if err != nil {
						traffic <- err
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
			arg := protocol.LSPAny(fmt.Sprintf(tc.arg, inspector))
			err := c.callWithin(tc.timeout, protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
				Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{arg}}, nil)
			close(stop)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-traffic; err != nil {
				t.Fatalf("requests to the server: %v", err)
			}
			d := find(t, c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID)), holders.RetainedByVariable.ID)
			if want := growthLine(src); d.Range.Start.Line != want {
				t.Errorf("evidence at %+v, want the sessions.push() that grows the array on line %d", d.Range, want)
			}
			found, _ := filepath.Glob(filepath.Join(dir, ".leakls", "snapshots", "*", "*"))
			if len(found) != 3 || slices.ContainsFunc(found, func(f string) bool { return !strings.HasSuffix(f, ".heapsnapshot") }) {
				t.Errorf("files of the capture: %v, want baseline, target and final .heapsnapshot", found)
			}
		})
	}
}

// TestCaptureCancel cancels a capture, given the inspector as a bare
// string, once its baseline snapshot is written: the request answers
// RequestCancelled and the unfinished capture leaves no file behind.
func TestCaptureCancel(t *testing.T) {
	dir, _, inspector, _ := startLeaky(t)
	c := newClient(t, lsp.Options{})
	yes := true
	c.initializeIn(dir, &protocol.InitializeParams{
		Capabilities: protocol.ClientCapabilities{Window: &protocol.WindowClientCapabilities{WorkDoneProgress: &yes}},
	})
	errc := make(chan error, 1)
	id := atomic.LoadInt64(&c.calls) + 1
	go func() {
		errc <- c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
			Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{protocol.LSPAny(fmt.Sprintf("%q", inspector))}}, nil)
	}()
	c.waitFor("the capture to wait for the target snapshot", func() bool {
		return slices.ContainsFunc(c.progress, func(p string) bool { return strings.Contains(p, "before the target snapshot") })
	})
	c.notify(protocol.MethodCancelRequest, &protocol.CancelParams{ID: protocol.Integer(id)})
	if err := <-errc; rpcCode(err) != protocol.CodeRequestCancelled {
		t.Fatalf("cancelled capture returned %v, want error %d", err, protocol.CodeRequestCancelled)
	}
	if found, _ := filepath.Glob(filepath.Join(dir, ".leakls", "snapshots", "*", "*")); len(found) != 0 {
		t.Errorf("the cancelled capture left %v", found)
	}
}
