package lsp_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/staticcheck"
)

// checkWith wraps a real staticcheck.Checker: files whose name contains a
// key of special run its function first.
func checkWith(special map[string]func(ctx context.Context)) lsp.CheckFunc {
	checker := staticcheck.NewChecker(0)
	return func(ctx context.Context, req staticcheck.Request) (*staticcheck.Result, error) {
		for key, f := range special {
			if strings.Contains(req.Files[0].Path, key) {
				f(ctx)
			}
		}
		return checker.Check(ctx, req)
	}
}

// TestPanicRecovery checks that a panic while analysing one file is
// recovered: the file gets a diagnostic saying so, the log has the stack,
// and the server goes on serving other files.
func TestPanicRecovery(t *testing.T) {
	c := newClient(t, lsp.Options{Check: checkWith(map[string]func(context.Context){
		"boom": func(context.Context) { panic("rule exploded") },
	})})
	c.initialize(nil)
	dir := t.TempDir()
	bad := "file://" + filepath.Join(dir, "boom.js")
	c.open(bad, "javascript", "let a = 1;\n")
	p := c.waitDiagnostics(bad, func(p published) bool { return len(p.diagnostics) > 0 })
	if msg := messageOf(p.diagnostics[0]); !strings.Contains(msg, "internal error: rule exploded") {
		t.Errorf("diagnostic of the failed file: %s", p.raw)
	}
	c.waitFor("the panic in the log", func() bool {
		for _, l := range c.logs {
			if strings.Contains(l, "internal error analysing") && strings.Contains(l, "goroutine") {
				return true
			}
		}
		return false
	})
	good := "file://" + filepath.Join(dir, "fine.js")
	c.open(good, "javascript", "// leakls-ignore\n")
	c.waitDiagnostics(good, hasRule("LK000"))
}

// TestCancelRequest cancels a hover that waits for an analysis that does
// not finish, with $/cancelRequest, and expects the RequestCancelled error.
func TestCancelRequest(t *testing.T) {
	c := newClient(t, lsp.Options{Check: checkWith(map[string]func(context.Context){
		"slow": func(ctx context.Context) { <-ctx.Done() },
	})})
	c.initialize(nil)
	uri := "file://" + filepath.Join(t.TempDir(), "slow.js")
	c.open(uri, "javascript", "let a = 1;\n")
	errc := make(chan error, 1)
	id := atomic.LoadInt64(&c.calls) + 1
	go func() {
		errc <- c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)},
		}}, nil)
	}()
	c.waitFor("the hover request to be written", func() bool { return slices.Contains(c.sent, protocol.MethodTextDocumentHover) })
	c.notify(protocol.MethodCancelRequest, &protocol.CancelParams{ID: protocol.Integer(id)})
	if err := <-errc; rpcCode(err) != protocol.CodeRequestCancelled {
		t.Fatalf("cancelled hover returned %v, want error %d", err, protocol.CodeRequestCancelled)
	}
	// The read loop was not held by the waiting request.
	var res protocol.InitializeResult
	if err := c.call(protocol.MethodInitialize, &protocol.InitializeParams{}, &res); rpcCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("the server did not answer after the cancellation: %v", err)
	}
}

// TestMalformedMessages sends params of the wrong shape: requests are
// answered with InvalidParams, notifications are logged, and the
// connection survives both.
func TestMalformedMessages(t *testing.T) {
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	err := c.call(protocol.MethodTextDocumentHover, json.RawMessage(`{"textDocument": 5, "position": "x"}`), nil)
	if rpcCode(err) != jsonrpc2.InvalidParams {
		t.Errorf("hover with bad params: %v, want InvalidParams", err)
	}
	c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(`{"contentChanges": 7}`))
	c.notify(protocol.MethodTextDocumentDidChange, json.RawMessage(`{"textDocument": {"uri": "file:///nowhere.js", "version": 2}, "contentChanges": []}`))
	c.notify(protocol.MethodCancelRequest, json.RawMessage(`{"id": {}}`))
	uri := "file://" + filepath.Join(t.TempDir(), "after.js")
	c.open(uri, "javascript", "// leakls-ignore\n")
	c.waitDiagnostics(uri, hasRule("LK000"))
	c.waitFor("logs of the bad notifications", func() bool {
		var invalid, notOpen bool
		for _, l := range c.logs {
			invalid = invalid || strings.Contains(l, "textDocument/didChange: invalid params")
			notOpen = notOpen || strings.Contains(l, "which is not open")
		}
		return invalid && notOpen
	})
}

// TestSkippedFiles checks that huge and binary documents are not analysed,
// with a log line saying why.
func TestSkippedFiles(t *testing.T) {
	c := newClient(t, lsp.Options{})
	c.initialize(nil)
	dir := t.TempDir()
	huge := "// leakls-ignore\n" + strings.Repeat("let x = 1;\n", 500_000)
	c.open("file://"+filepath.Join(dir, "huge.js"), "javascript", huge)
	c.open("file://"+filepath.Join(dir, "blob.js"), "javascript", "// leakls-ignore\n\x00\x01\x02")
	c.waitFor("log lines for both files", func() bool {
		var big, bin bool
		for _, l := range c.logs {
			big = big || strings.Contains(l, "huge.js: it is") && strings.Contains(l, "larger than")
			bin = bin || strings.Contains(l, "blob.js: it looks binary")
		}
		return big && bin
	})
	for _, name := range []string{"huge.js", "blob.js"} {
		p := c.waitDiagnostics("file://"+filepath.Join(dir, name), func(published) bool { return true })
		if p.raw != "[]" {
			t.Errorf("%s: published %s, want []", name, p.raw)
		}
	}
}
