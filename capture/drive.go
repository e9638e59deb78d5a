package capture

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// DriveOptions configure Drive.
type DriveOptions struct {
	// Command is the program and its arguments. A TypeScript entry point
	// ("src/server.ts …" or "node [flags] src/server.ts …") is bundled
	// with esbuild first and run with node --enable-source-maps.
	Command []string
	// WorkDir is the program's working directory ("": the caller's);
	// relative paths of Command and Scenario are resolved in it.
	WorkDir string
	// Scenario is the scenario module (see StartScenario) that drives
	// the program; ActionCmd, when Scenario is "", is the shell command
	// run as each action (see ShellAction).
	Scenario, ActionCmd string
	// URL is the program's base URL for the action ("": the first http://
	// URL it prints, or ReadyURL); ReadyURL, when set, is polled until it
	// answers (default: URL, when set).
	URL, ReadyURL string
	// Iterations is the number of actions between snapshots (0: the
	// scenario's iterations export, else 10); Warmup the number before
	// the baseline.
	Iterations, Warmup int
	// Snapshots is the number of snapshots to take (see RunOptions).
	Snapshots int
	// Timeout bounds the wait for the program to be ready and for its
	// inspector to accept the connection (default 30 seconds).
	Timeout time.Duration
	// Dir, ActionTimeout and Progress are those of RunOptions.
	Dir           string
	ActionTimeout time.Duration
	Progress      Progress
	// SkipAllocationTracking leaves V8's allocation tracker off. By
	// default it is started (Client.TrackAllocations) before the warm-up,
	// so that the snapshots say where the leaked objects were allocated.
	SkipAllocationTracking bool
	// Log receives the output of the program and of the actions (nil:
	// discarded).
	Log io.Writer
}

// Drive runs a program under a repeated action and takes the snapshots of
// a leak hunt: it bundles a TypeScript entry point, launches the program
// (Launch), starts the scenario or shell action, connects to the
// program's inspector, starts tracking allocations, runs the phases (Run),
// and stops the program. The
// run ends with an error as soon as the program exits. The caller removes
// Result.BundleDir once the snapshots are analysed (their positions point
// into the bundle).
func Drive(ctx context.Context, opts DriveOptions) (res *Result, err error) {
	if opts.Scenario == "" && opts.ActionCmd == "" {
		return nil, errors.New("nothing drives the program: give a scenario module or an action command")
	}
	scenario := opts.Scenario
	if scenario != "" && opts.WorkDir != "" && !filepath.IsAbs(scenario) {
		scenario = filepath.Join(opts.WorkDir, scenario)
	}
	if scenario != "" { // before the program is started and waited for
		if _, err := os.Stat(scenario); err != nil {
			return nil, fmt.Errorf("scenario: %w", err)
		}
	}
	command, bundle, err := prepareTypeScript(opts.Command, opts.WorkDir)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil && bundle != "" {
			os.RemoveAll(bundle)
		}
	}()
	timeout := cmp.Or(opts.Timeout, 30*time.Second)
	reportStage(opts.Progress, "run", "starting "+filepath.Base(command[0]))
	proc, err := Launch(ctx, LaunchOptions{Command: command, Dir: opts.WorkDir, ReadyURL: cmp.Or(opts.ReadyURL, opts.URL),
		Timeout: timeout, Stdout: opts.Log, Stderr: opts.Log})
	if err != nil {
		return nil, err
	}
	defer proc.Stop()
	proc.URL = cmp.Or(opts.URL, proc.URL)
	action, iterations, err := startAction(scenario, &opts, proc.URL)
	if err != nil {
		return nil, err
	}
	defer action.Close()
	dctx, cancel := context.WithTimeout(ctx, timeout)
	c, err := Dial(dctx, proc.Inspector, false)
	cancel()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if !opts.SkipAllocationTracking {
		if err := c.TrackAllocations(ctx); err != nil {
			return nil, fmt.Errorf("start tracking allocations: %w", err)
		}
	}
	res, err = runUntilExit(ctx, proc, c, RunOptions{Action: action, Iterations: iterations, Warmup: opts.Warmup, Snapshots: opts.Snapshots,
		Dir: opts.Dir, ActionTimeout: opts.ActionTimeout, Progress: opts.Progress})
	if err != nil {
		return nil, err
	}
	res.BundleDir = bundle
	return res, nil
}

// startAction starts the scenario module (or, without one, makes the shell
// action of opts) against the program at url, and returns it with the
// number of iterations per phase.
func startAction(scenario string, opts *DriveOptions, url string) (Action, int, error) {
	if scenario == "" {
		return &ShellAction{Command: opts.ActionCmd, URL: url, Log: opts.Log}, cmp.Or(opts.Iterations, 10), nil
	}
	s, err := StartScenario(scenario, url, opts.Log)
	if err != nil {
		return nil, 0, err
	}
	return s, cmp.Or(opts.Iterations, s.Iterations, 10), nil
}

// runUntilExit runs the phases, ending the run when the program ends.
func runUntilExit(ctx context.Context, proc *Process, c *Client, opts RunOptions) (*Result, error) {
	rctx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	go func() {
		select {
		case <-proc.Ended():
			cancelRun(errors.New("the program exited during the run"))
		case <-rctx.Done():
		}
	}()
	res, err := Run(rctx, c, opts)
	if err != nil && context.Cause(rctx) != nil && ctx.Err() == nil {
		return nil, fmt.Errorf("%w: %w", context.Cause(rctx), err)
	}
	return res, err
}
