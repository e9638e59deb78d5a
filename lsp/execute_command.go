package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Commands the server executes (workspace/executeCommand).
const (
	// CommandAnalyzeSnapshots analyses heap snapshots and publishes their
	// evidence. Its arguments are the snapshot paths in the order they were
	// taken (baseline, target, optionally final), or one snapshot alone,
	// as strings or as one array; without arguments the set found last in
	// the workspace is analysed again.
	CommandAnalyzeSnapshots = "leakls.analyzeSnapshots"
	// CommandClearSnapshotFindings removes all snapshot evidence.
	CommandClearSnapshotFindings = "leakls.clearSnapshotFindings"
)

// commands are the commands the server runs.
var commands = []string{CommandAnalyzeSnapshots, CommandCaptureSnapshots, CommandClearSnapshotFindings}

// commands returns the commands the session can run: capturing needs a
// workspace folder to write the snapshots into.
func (s *Server) commands() []string {
	if s.root == "" {
		return slices.DeleteFunc(slices.Clone(commands), func(c string) bool { return c == CommandCaptureSnapshots })
	}
	return commands
}

// executeCommand runs a leakls command.
func (s *Server) executeCommand(ctx context.Context, _ string, p *protocol.ExecuteCommandParams) (any, error) {
	switch p.Command {
	case CommandAnalyzeSnapshots:
		set, err := s.snapshotSetArg(p.Arguments)
		if err != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: %v", p.Command, err)
		}
		done := s.analyzeSnapshots(set, true)
		detach(ctx)
		select {
		case err := <-done:
			if err != nil {
				return nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "%s: %v", p.Command, err)
			}
			return nil, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	case CommandCaptureSnapshots:
		s.mu.Lock()
		setting := s.settings.run
		s.mu.Unlock()
		a, interval, err := parseCaptureArgs(p.Arguments, setting)
		if err != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: %v", p.Command, err)
		}
		detach(ctx)
		if err := s.captureSnapshots(ctx, a, interval); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err() // cancelled: answered RequestCancelled, not as a failure
			}
			return nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "%s: %v", p.Command, err)
		}
		return nil, nil
	case CommandClearSnapshotFindings:
		s.clearSnapshotFindings()
		return nil, nil
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unknown command %q (the commands are %s, %s and %s)", p.Command, CommandAnalyzeSnapshots, CommandCaptureSnapshots, CommandClearSnapshotFindings)
}

// snapshotSetArg reads the snapshot paths of leakls.analyzeSnapshots.
func (s *Server) snapshotSetArg(args []protocol.LSPAny) (SnapshotSet, error) {
	var paths []string
	for _, a := range args {
		var one string
		var many []string
		switch {
		case json.Unmarshal(a, &one) == nil:
			paths = append(paths, one)
		case json.Unmarshal(a, &many) == nil:
			paths = append(paths, many...)
		default:
			return SnapshotSet{}, fmt.Errorf("argument %s is neither a path nor an array of paths", a)
		}
	}
	for i, p := range paths {
		if path := s.findingPath(p); path != "" {
			paths[i] = path
		}
	}
	switch len(paths) {
	case 0:
		s.mu.Lock()
		set := s.snap.lastSet
		s.mu.Unlock()
		if set.Final == "" && set.Target == "" {
			return set, fmt.Errorf("no snapshot set was found in the workspace; pass the snapshot paths (baseline, target[, final], or one snapshot)")
		}
		return set, nil
	case 1:
		return SnapshotSet{Final: paths[0]}, nil
	case 2:
		return SnapshotSet{Baseline: paths[0], Target: paths[1]}, nil
	case 3:
		return SnapshotSet{Baseline: paths[0], Target: paths[1], Final: paths[2]}, nil
	}
	return SnapshotSet{}, fmt.Errorf("got %d snapshot paths; pass 1 (a single snapshot), 2 (baseline, target) or 3 (baseline, target, final)", len(paths))
}
