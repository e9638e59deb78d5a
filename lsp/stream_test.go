package lsp_test

import (
	"context"
	"errors"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
)

// malformedFrames are well-framed bodies that are not valid JSON-RPC 2.0
// messages, with the answer JSON-RPC asks for: a parse error for a body
// that is not JSON, an invalid request for the rest, for the request's id
// when it can be read.
var malformedFrames = []struct {
	name string
	body string
	code jsonrpc2.Code
	id   jsonrpc2.ID
}{
	{"body not JSON", `{"jsonrpc":"2.0","id":50,"method":"textDocument/hover","params":{`, jsonrpc2.ParseError, jsonrpc2.ID{}},
	{"object id", `{"jsonrpc":"2.0","id":{"n":51},"method":"textDocument/hover","params":{}}`, jsonrpc2.InvalidRequest, jsonrpc2.ID{}},
	{"fractional id", `{"jsonrpc":"2.0","id":52.5,"method":"textDocument/hover","params":{}}`, jsonrpc2.InvalidRequest, jsonrpc2.ID{}},
	{"jsonrpc 1.0", `{"jsonrpc":"1.0","id":53,"method":"textDocument/hover","params":{}}`, jsonrpc2.InvalidRequest, jsonrpc2.NewNumberID(53)},
	{"jsonrpc 1.0, string id", `{"jsonrpc":"1.0","id":"fifty-four","method":"shutdown"}`, jsonrpc2.InvalidRequest, jsonrpc2.NewStringID("fifty-four")},
	{"jsonrpc 1.0 notification", `{"jsonrpc":"1.0","method":"textDocument/didChange","params":{}}`, jsonrpc2.InvalidRequest, jsonrpc2.ID{}},
	{"no jsonrpc member", `{"id":55,"method":"shutdown"}`, jsonrpc2.InvalidRequest, jsonrpc2.NewNumberID(55)},
	{"not an object", `56`, jsonrpc2.InvalidRequest, jsonrpc2.ID{}},
	{"broken batch", `[{"jsonrpc":"2.0","id":57,"method":"shutdown"}`, jsonrpc2.ParseError, jsonrpc2.ID{}},
	{"malformed response", `{"jsonrpc":"2.0","id":58,"result":1,"error":{"code":1,"message":"x"}}`, jsonrpc2.InvalidRequest, jsonrpc2.ID{}},
}

// survivesMalformedFrames sends each malformed frame to the server behind p
// and checks its answer, that the server still answers the request after
// it, and that it still analyses edits.
func survivesMalformedFrames(t *testing.T, p *rawPeer) {
	uri := "file://" + filepath.Join(t.TempDir(), "doc.js")
	p.start(uri, "let x = 1;\n// leakls-ignore\nx++;\n")
	if pub := p.diagnostics(uri, 1); len(pub.Diagnostics) == 0 {
		t.Fatalf("no diagnostics for version 1")
	}
	hover := &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Position: pos(1, 4),
	}}
	for i, m := range malformedFrames {
		p.send([]byte(m.body))
		p.errorAnswer(m.id, m.code)
		if r := p.call(int64(100+i), protocol.MethodTextDocumentHover, hover); r.Err() != nil {
			t.Errorf("hover after %s: %v", m.name, r.Err())
		}
	}
	p.log("skipped a malformed message")
	p.send(encodeNotification(t, protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: rng(0, 0, 0, 0), Text: "\n"}},
	}))
	pub := p.diagnostics(uri, 2)
	if len(pub.Diagnostics) == 0 || pub.Diagnostics[0].Range.Start.Line != 2 {
		t.Errorf("diagnostics of version 2: %+v, want the LK000 finding moved to line 2", pub.Diagnostics)
	}
	p.stop()
}

// TestMalformedFrames checks over a pipe that a malformed message is
// answered and skipped, and that the session ends normally afterwards.
func TestMalformedFrames(t *testing.T) {
	p := newRawPeer(t, lsp.Options{Log: testLog{t}})
	survivesMalformedFrames(t, p)
	if err := p.served(); err != nil {
		t.Errorf("Serve = %v after shutdown and exit, want nil", err)
	}
}

// TestServeMalformedFrames does the same with the real leakls serve, as an
// editor starts it: the process must answer, carry on, and exit with 0.
func TestServeMalformedFrames(t *testing.T) {
	srv := startServe(t, testenv.BuildLeakls(t))
	survivesMalformedFrames(t, dialRaw(t, pipes{srv.stdout, srv.stdin}))
	if code, err := srv.exit(t); code != 0 {
		t.Errorf("leakls serve exited with %d (%v), want 0", code, err)
	}
}

// TestBrokenHeaderEndsSession checks the one malformed input that may end
// the stream: a header without Content-Length, after which the next message
// cannot be found. Serve reports the connection's failure.
func TestBrokenHeaderEndsSession(t *testing.T) {
	srvEnd, cliEnd := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- lsp.New(lsp.Options{Log: testLog{t}}).Serve(context.Background(), srvEnd) }()
	go io.Copy(io.Discard, cliEnd)
	if _, err := cliEnd.Write([]byte("Content-Type: application/json\r\n\r\n{}")); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil || errors.Is(err, lsp.ErrNoShutdown) {
			t.Errorf("Serve = %v after a broken header, want the connection's failure", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the server kept reading after a header without Content-Length")
	}
	cliEnd.Close()
}
