package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/capture"
)

// CommandCaptureSnapshots takes baseline, target and final heap snapshots
// of a program running with --inspect, writes them into the workspace
// under .leakls/snapshots/<time>/ and publishes their evidence like
// leakls.analyzeSnapshots. Its one argument is the inspector or an object:
//
//	"127.0.0.1:9229"
//	{"inspect": "127.0.0.1:9229", "interval": "10s"}
//	{"inspect": "ws://127.0.0.1:9229/…", "phase": "baseline"}
//
// inspect is the inspector, as HOST:PORT or its ws:// URL (loopback only);
// a bare string is {"inspect": string}.
// Without phase, the three snapshots are taken in one call, interval apart
// (default 10s): run the suspect work meanwhile. With phase ("baseline",
// "target", then "final") each call takes one snapshot, so that the user
// runs the work between the calls for as long as it takes; "baseline"
// starts a new capture and "final" ends it with the analysis. A garbage
// collection precedes every snapshot.
//
// A configured run is the other target: the server starts the program,
// drives it with a scenario module and takes the snapshots as `leakls run`
// does (baseline after a warm-up, N actions, target, N actions, final):
//
//	{"run": {"command": ["node", "server.js"], "scenario": "leak.scenario.mjs", "iterations": 10}}
//
// Relative paths are relative to the workspace folder, where the program
// runs. Without an argument the "run" setting is the target.
const CommandCaptureSnapshots = "leakls.captureSnapshots"

// defaultCaptureInterval is the wait between snapshots without a phase.
const defaultCaptureInterval = 10 * time.Second

// captureArgs is the argument of leakls.captureSnapshots.
type captureArgs struct {
	Inspect  string     `json:"inspect,omitempty"`
	Interval string     `json:"interval,omitempty"`
	Phase    string     `json:"phase,omitempty"`
	Run      *runTarget `json:"run,omitempty"`
}

// runTarget is a configured run: the program, started by the server, and
// the scenario module that drives it (see capture.StartScenario).
type runTarget struct {
	Command    []string `json:"command"`
	Scenario   string   `json:"scenario"`
	Iterations int      `json:"iterations,omitempty"` // 0: the scenario's, else 10
}

// capturePhases are the snapshots of a capture, in order.
var capturePhases = []string{capture.PhaseBaseline, capture.PhaseTarget, capture.PhaseFinal}

// captureState is the capture in progress through phase calls. Its
// inspector connection stays open from baseline to final: V8 forgets its
// object ids when the last inspector session stops the heap profiler, so
// snapshots taken through separate connections look like snapshots of two
// processes and cannot be compared.
type captureState struct {
	mu     sync.Mutex      // held for a whole phase call: phases run one at a time
	dir    string          // the capture's directory; "" when none is in progress
	next   int             // index in capturePhases of the phase expected next
	target string          // the inspector of the capture in progress
	client *capture.Client // its connection
}

// reset ends the capture in progress, closing its connection and removing
// the snapshots it left unfinished (with its directory, when that is then
// empty): a capture that failed, was cancelled or was abandoned for a new
// baseline leaves nothing behind.
func (st *captureState) reset() {
	if st.client != nil {
		st.client.Close()
	}
	if st.dir != "" {
		for _, phase := range capturePhases {
			os.Remove(partPath(st.dir, phase))
		}
		os.Remove(st.dir)
	}
	st.dir, st.next, st.target, st.client = "", 0, "", nil
}

// partPath is the file a phase's snapshot is written to until the set is
// complete.
func partPath(dir, phase string) string {
	return filepath.Join(dir, phase+".heapsnapshot.part")
}

// parseCaptureArgs reads the argument of leakls.captureSnapshots.
func parseCaptureArgs(args []protocol.LSPAny, setting *runTarget) (*captureArgs, time.Duration, error) {
	const example = `"127.0.0.1:9229", {"inspect": "127.0.0.1:9229"} or {"run": {"command": ["node", "app.js"], "scenario": "s.mjs"}}`
	var a captureArgs
	switch {
	case len(args) == 0 && setting != nil:
		a.Run = setting
	case len(args) != 1:
		return nil, 0, fmt.Errorf("want one argument, such as %s, or a \"run\" setting; got %d arguments", example, len(args))
	case json.Unmarshal(args[0], &a.Inspect) == nil:
		// A bare string is the inspector, as the editors' capture commands send it.
	default:
		if err := json.Unmarshal(args[0], &a); err != nil {
			return nil, 0, fmt.Errorf("the argument must be the inspector or an object, such as %s: %v", example, err)
		}
	}
	if a.Run != nil {
		if len(a.Run.Command) == 0 || a.Run.Scenario == "" {
			return nil, 0, errors.New(`a run needs "command" (the program and its arguments) and "scenario" (the module whose action drives it)`)
		}
		if a.Run.Iterations < 0 {
			return nil, 0, fmt.Errorf(`"iterations" must be positive, not %d`, a.Run.Iterations)
		}
		return &a, 0, nil
	}
	if a.Inspect == "" {
		return nil, 0, errors.New(`"inspect" or "run" is required: the HOST:PORT of node --inspect or its ws:// URL, or a run`)
	}
	interval := defaultCaptureInterval
	if a.Interval != "" {
		d, err := time.ParseDuration(a.Interval)
		if err != nil || d < 0 {
			return nil, 0, fmt.Errorf(`"interval" must be a duration such as "10s", not %q`, a.Interval)
		}
		interval = d
	}
	switch a.Phase {
	case "", capture.PhaseBaseline, capture.PhaseTarget, capture.PhaseFinal:
	default:
		return nil, 0, fmt.Errorf(`"phase" must be "baseline", "target" or "final", not %q`, a.Phase)
	}
	return &a, interval, nil
}

// captureSnapshots runs leakls.captureSnapshots: it takes the snapshots
// the arguments ask for and, once the final one is written, analyses the
// set and publishes its evidence.
func (s *Server) captureSnapshots(ctx context.Context, a *captureArgs, interval time.Duration) error {
	s.mu.Lock()
	root := s.root
	s.mu.Unlock()
	if root == "" {
		return errors.New("the workspace has no folder to write the snapshots into; open a folder")
	}
	if a.Run != nil {
		return s.captureRun(ctx, root, a.Run)
	}
	st := &s.capture
	st.mu.Lock()
	defer st.mu.Unlock()
	phases, err := st.begin(ctx, root, a)
	if err != nil {
		return err
	}
	prog := s.startProgress(ctx, "leakls: capturing heap snapshots", "connected to "+a.Inspect)
	if err := st.take(ctx, phases, interval, prog); err != nil {
		if ctx.Err() != nil {
			prog.end("cancelled")
		} else {
			prog.end("failed: " + err.Error())
		}
		st.reset()
		return err
	}
	if st.next < len(capturePhases) {
		prog.end(fmt.Sprintf("%s snapshot written; run the suspect work, then capture the %s snapshot", capturePhases[st.next-1], capturePhases[st.next]))
		return nil
	}
	dir := st.dir
	set, err := completeCapture(dir)
	st.reset()
	if err != nil {
		prog.end("failed: " + err.Error())
		return err
	}
	prog.end("snapshots written to " + dir)
	select {
	case err := <-s.analyzeSnapshots(set, true):
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// begin checks that a's phase comes next and returns the phases to take
// now: all three without a phase, else the one named. A new capture gets
// its directory in the workspace at root and its inspector connection.
func (st *captureState) begin(ctx context.Context, root string, a *captureArgs) ([]string, error) {
	phases := capturePhases
	switch {
	case a.Phase == "" || a.Phase == capture.PhaseBaseline:
		st.reset()
		if a.Phase != "" {
			phases = phases[:1]
		}
	case st.dir == "" || capturePhases[st.next] != a.Phase:
		want := capture.PhaseBaseline
		if st.dir != "" {
			want = capturePhases[st.next]
		}
		return nil, fmt.Errorf("phase %q out of order: the next phase is %q", a.Phase, want)
	case st.target != a.Inspect:
		return nil, fmt.Errorf("phase %q of %s, but the capture in progress is of %s: start with phase %q", a.Phase, a.Inspect, st.target, capture.PhaseBaseline)
	default:
		phases = phases[st.next : st.next+1]
	}
	if st.dir != "" {
		return phases, nil
	}
	dir, err := newCaptureDir(root)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, err := capture.Dial(dctx, a.Inspect, false)
	cancel()
	if err != nil {
		return nil, err
	}
	st.dir, st.target, st.client = dir, a.Inspect, c
	return phases, nil
}

// take takes the snapshots of phases, interval apart. Each is written
// under a name the watcher ignores and renamed once the set is complete
// (completeCapture), so that the set is analysed once, not piece by piece
// as files appear.
func (st *captureState) take(ctx context.Context, phases []string, interval time.Duration, prog *progress) error {
	for i, phase := range phases {
		if i > 0 {
			prog.report(fmt.Sprintf("waiting %v before the %s snapshot", interval, phase), st.next*100/len(capturePhases))
			select {
			case <-time.After(interval):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		path := partPath(st.dir, phase)
		pct := st.next * 100 / len(capturePhases)
		err := st.client.TakeHeapSnapshot(ctx, path, func(stage string, done, total int64) {
			prog.report(fmt.Sprintf("%s snapshot: %s", phase, stage), pct)
		})
		if err != nil {
			return err
		}
		st.next++
	}
	return nil
}

// completeCapture renames the snapshots of the capture in dir into place
// and returns their set.
func completeCapture(dir string) (SnapshotSet, error) {
	for _, phase := range capturePhases {
		if err := os.Rename(partPath(dir, phase), filepath.Join(dir, phase+".heapsnapshot")); err != nil {
			return SnapshotSet{}, err
		}
	}
	return SnapshotSet{
		Baseline: filepath.Join(dir, "baseline.heapsnapshot"),
		Target:   filepath.Join(dir, "target.heapsnapshot"),
		Final:    filepath.Join(dir, "final.heapsnapshot"),
	}, nil
}

// newCaptureDir makes the directory of a new capture in the workspace.
func newCaptureDir(root string) (string, error) {
	dir := filepath.Join(root, ".leakls", "snapshots", time.Now().UTC().Format("20060102T150405.000"))
	return dir, os.MkdirAll(dir, 0o755)
}

// captureRun runs the program of r in root under its scenario with the
// scenario driver (capture.Drive: a TypeScript entry point is bundled, the
// run ends when the program exits, the program is stopped at the end),
// and analyses the snapshots.
func (s *Server) captureRun(ctx context.Context, root string, r *runTarget) error {
	dir, err := newCaptureDir(root)
	if err != nil {
		return err
	}
	prog := s.startProgress(ctx, "leakls: capturing heap snapshots", "starting "+strings.Join(r.Command, " "))
	res, err := capture.Drive(ctx, capture.DriveOptions{
		Command: r.Command, WorkDir: root, Scenario: r.Scenario,
		Iterations: r.Iterations, Dir: dir, Progress: prog,
	})
	if err != nil {
		prog.end("failed: " + err.Error())
		return err
	}
	if res.BundleDir != "" {
		defer os.RemoveAll(res.BundleDir)
	}
	prog.end("snapshots written to " + dir)
	select {
	case err := <-s.analyzeSnapshots(SnapshotSet{Baseline: res.Baseline, Target: res.Target, Final: res.Final}, true):
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
