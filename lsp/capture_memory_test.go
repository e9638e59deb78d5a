package lsp_test

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/internal/sysmem"
	"github.com/leakls/leakls/lsp"
)

// TestCaptureMemoryRefused captures the snapshots of a running program
// with too little memory available for their analysis: the command fails
// with both figures and what to do, and the snapshots stay in the
// workspace.
func TestCaptureMemoryRefused(t *testing.T) {
	dir, _, inspector, _ := startLeaky(t)
	c := newClient(t, lsp.Options{AvailableMemory: func() (sysmem.Available, bool) {
		return sysmem.Available{Bytes: 1 << 20, Source: "test figure"}, true
	}})
	c.initializeIn(dir, nil)
	arg := protocol.LSPAny(`{"inspect": "` + inspector + `", "interval": "10ms"}`)
	err := c.call(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
		Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{arg}}, nil)
	if err == nil {
		t.Fatal("the capture was analysed with 1 MiB available")
	}
	for _, want := range []string{"the analysis needs about ", "and 1.0 MiB is available (test figure)", "run it on a machine with more memory"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	found, _ := filepath.Glob(filepath.Join(dir, ".leakls", "snapshots", "*", "*.heapsnapshot"))
	if len(found) != 3 {
		t.Errorf("snapshots in the workspace: %v, want baseline, target and final", found)
	}
}
