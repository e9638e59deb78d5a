package lsp_test

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
)

func uriOf(s string) uri.URI { return uri.URI(s) }

func TestLifecycle(t *testing.T) {
	c := newClient(t, lsp.Options{})
	err := c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{}, nil)
	if rpcCode(err) != -32002 {
		t.Fatalf("hover before initialize: got %v, want error -32002 (server not initialized)", err)
	}
	res := c.initialize(nil)
	if res.ServerInfo.Name != "leakls" {
		t.Errorf("serverInfo.name = %q, want leakls", res.ServerInfo.Name)
	}
	if res.Capabilities.PositionEncoding != protocol.PositionEncodingKindUTF16 {
		t.Errorf("positionEncoding = %q for a client that offers none, want utf-16", res.Capabilities.PositionEncoding)
	}
	if err := c.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: got %v, want InvalidRequest", err)
	}
	if err := c.call("leakls/noSuchMethod", nil, nil); rpcCode(err) != jsonrpc2.MethodNotFound {
		t.Errorf("unknown method: got %v, want MethodNotFound", err)
	}
	c.mustCall(protocol.MethodShutdown, nil, nil)
	if err := c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{}, nil); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: got %v, want InvalidRequest", err)
	}
	c.notify(protocol.MethodExit, nil)
	if err := <-c.done; err != nil {
		t.Errorf("Serve after shutdown and exit = %v, want nil", err)
	}
	c.done <- nil
}

func TestExitWithoutShutdown(t *testing.T) {
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	c.notify(protocol.MethodExit, nil)
	if err := <-c.done; !errors.Is(err, lsp.ErrNoShutdown) {
		t.Errorf("Serve after exit without shutdown = %v, want ErrNoShutdown", err)
	}
	c.done <- nil
}

func TestPositionEncodingNegotiation(t *testing.T) {
	for _, tc := range []struct {
		offer []protocol.PositionEncodingKind
		want  protocol.PositionEncodingKind
	}{
		{nil, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16}, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF32, protocol.PositionEncodingKindUTF16}, protocol.PositionEncodingKindUTF32},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
	} {
		c := newClient(t, lsp.Options{})
		res := c.initialize(&protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
			General: &protocol.GeneralClientCapabilities{PositionEncodings: tc.offer},
		}})
		if got := res.Capabilities.PositionEncoding; got != tc.want {
			t.Errorf("offer %v: negotiated %q, want %q", tc.offer, got, tc.want)
		}
	}
}

// TestServeExitCodes runs the real leakls binary: exit code 0 after
// shutdown and exit, 1 after exit alone, and nothing but protocol bytes on
// stdout.
func TestServeExitCodes(t *testing.T) {
	bin := testenv.BuildLeakls(t)
	for _, tc := range []struct {
		name     string
		shutdown bool
		want     int
	}{
		{"shutdown then exit", true, 0},
		{"exit without shutdown", false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startServe(t, bin)
			c := dialProcess(t, srv.stdin, srv.stdout)
			c.initialize(nil)
			if tc.shutdown {
				c.mustCall(protocol.MethodShutdown, nil, nil)
			}
			c.notify(protocol.MethodExit, nil)
			if code, err := srv.exit(t); code != tc.want {
				t.Errorf("exit code %d (%v), want %d", code, err, tc.want)
			}
		})
	}
}

// serveProcess is a running leakls serve, its stdin and stdout piped to the
// test.
type serveProcess struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout io.ReadCloser
}

// startServe starts bin serve with the flags given.
func startServe(t *testing.T, bin string, flags ...string) *serveProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve"}, flags...)...)
	cmd.Stderr = os.Stderr
	in, out := testenv.StartPiped(t, cmd)
	return &serveProcess{cmd, in, out}
}

// exit waits for the process to exit after the exit notification and
// returns its exit code and Wait's error. The test keeps its end of stdin
// open, as Neovim does: the server must exit on the notification, not on
// EOF.
func (p *serveProcess) exit(t *testing.T) (int, error) {
	t.Helper()
	waited := make(chan error, 1)
	go func() { waited <- p.cmd.Wait() }()
	select {
	case err := <-waited:
		return p.cmd.ProcessState.ExitCode(), err
	case <-time.After(waitTimeout):
		p.cmd.Process.Kill()
		<-waited
		t.Fatal("the server did not exit after the exit notification while its stdin stayed open")
		return 0, nil
	}
}
