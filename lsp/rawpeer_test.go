package lsp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// rawPeer talks to a server frame by frame through jsonrpc2's batch client,
// so that a test can send bodies no jsonrpc2 client would write and see
// every message the server sends, answers with id null included. A
// goroutine reads the server's frames as they come, so that the server
// never blocks on a write while the test writes.
type rawPeer struct {
	t      testing.TB
	frames *jsonrpc2.BatchClient
	in     chan jsonrpc2.Message // closed when the stream ends
	seen   []jsonrpc2.Message    // read and not yet taken by await
	done   chan error            // Serve's result, for a server in this process
}

// newRawPeer starts a server with opts over a pipe and connects a raw peer
// to it.
func newRawPeer(t testing.TB, opts lsp.Options) *rawPeer {
	t.Helper()
	srvEnd, cliEnd := net.Pipe()
	srv := lsp.New(opts)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), srvEnd) }()
	p := dialRaw(t, cliEnd)
	p.done = done
	return p
}

// dialRaw connects a raw peer to a server on rwc.
func dialRaw(t testing.TB, rwc io.ReadWriteCloser) *rawPeer {
	frames, err := jsonrpc2.NewBatchClient(jsonrpc2.NewHeaderStream(rwc))
	if err != nil {
		t.Fatal(err)
	}
	p := &rawPeer{t: t, frames: frames, in: make(chan jsonrpc2.Message, 1<<12)}
	go func() {
		defer close(p.in)
		for {
			body, _, err := frames.ReadFrame(context.Background())
			if err != nil {
				return
			}
			msg, err := jsonrpc2.DecodeMessage(bytes.Clone(body))
			if err != nil {
				t.Errorf("the server sent a message jsonrpc2 cannot decode (%v): %q", err, body)
				continue
			}
			p.in <- msg
		}
	}()
	t.Cleanup(func() { frames.Close() })
	return p
}

// send writes body as one frame.
func (p *rawPeer) send(body []byte) {
	p.t.Helper()
	if _, err := p.frames.WriteFrame(context.Background(), body); err != nil {
		p.t.Fatalf("writing %.200q: %v", body, err)
	}
}

// await returns the first message, in the order the server sent them, that
// satisfies cond and that no earlier await took; it reads more messages
// while none does.
func (p *rawPeer) await(what string, cond func(jsonrpc2.Message) bool) jsonrpc2.Message {
	p.t.Helper()
	if i := slices.IndexFunc(p.seen, cond); i >= 0 {
		m := p.seen[i]
		p.seen = slices.Delete(p.seen, i, i+1)
		return m
	}
	deadline := time.After(waitTimeout)
	for {
		select {
		case m, ok := <-p.in:
			if !ok {
				p.t.Fatalf("the server closed the stream while the test waited for %s", what)
			}
			if cond(m) {
				return m
			}
			p.seen = append(p.seen, m)
		case <-deadline:
			p.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// response waits for the answer with id.
func (p *rawPeer) response(id jsonrpc2.ID) *jsonrpc2.Response {
	p.t.Helper()
	return p.await(fmt.Sprintf("the answer to %v", id), func(m jsonrpc2.Message) bool {
		r, ok := m.(*jsonrpc2.Response)
		return ok && r.ID() == id
	}).(*jsonrpc2.Response)
}

// errorAnswer waits for an error answer with id and code.
func (p *rawPeer) errorAnswer(id jsonrpc2.ID, code jsonrpc2.Code) *jsonrpc2.Response {
	p.t.Helper()
	return p.await(fmt.Sprintf("an answer with id %v and error %d", id, code), func(m jsonrpc2.Message) bool {
		r, ok := m.(*jsonrpc2.Response)
		return ok && r.ID() == id && rpcCode(r.Err()) == code
	}).(*jsonrpc2.Response)
}

// call sends a request with id and waits for its answer.
func (p *rawPeer) call(id int64, method string, params any) *jsonrpc2.Response {
	p.t.Helper()
	p.send(encodeCall(p.t, id, method, params))
	return p.response(jsonrpc2.NewNumberID(id))
}

// diagnostics waits for a publication for uri at version.
func (p *rawPeer) diagnostics(uri string, version int32) *protocol.PublishDiagnosticsParams {
	p.t.Helper()
	var got protocol.PublishDiagnosticsParams
	p.await("diagnostics of "+uri, func(m jsonrpc2.Message) bool {
		n, ok := m.(*jsonrpc2.Notification)
		if !ok || n.Method() != protocol.MethodTextDocumentPublishDiagnostics {
			return false
		}
		var pub protocol.PublishDiagnosticsParams
		if err := protocol.Unmarshal(n.Params(), &pub); err != nil {
			p.t.Errorf("publishDiagnostics: %v", err)
			return false
		}
		v, _ := pub.Version.Get()
		if string(pub.URI) != uri || v != version {
			return false
		}
		got = pub
		return true
	})
	return &got
}

// log waits for a window/logMessage containing sub.
func (p *rawPeer) log(sub string) {
	p.t.Helper()
	p.await("a log message with "+sub, func(m jsonrpc2.Message) bool {
		n, ok := m.(*jsonrpc2.Notification)
		if !ok || n.Method() != protocol.MethodWindowLogMessage {
			return false
		}
		var lm protocol.LogMessageParams
		return protocol.Unmarshal(n.Params(), &lm) == nil && strings.Contains(lm.Message, sub)
	})
}

// start initializes the session and opens uri with text at version 1.
func (p *rawPeer) start(uri, text string) {
	p.t.Helper()
	if r := p.call(1, protocol.MethodInitialize, &protocol.InitializeParams{}); r.Err() != nil {
		p.t.Fatalf("initialize: %v", r.Err())
	}
	p.send(encodeNotification(p.t, protocol.MethodInitialized, &protocol.InitializedParams{}))
	p.send(encodeNotification(p.t, protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: uriOf(uri), LanguageID: "javascript", Version: 1, Text: text,
	}}))
}

// stop sends shutdown and exit.
func (p *rawPeer) stop() {
	p.t.Helper()
	if r := p.call(1<<40, protocol.MethodShutdown, nil); r.Err() != nil {
		p.t.Errorf("shutdown: %v", r.Err())
	}
	p.send(encodeNotification(p.t, protocol.MethodExit, nil))
}

// served waits for Serve's result.
func (p *rawPeer) served() error {
	p.t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(waitTimeout):
		p.t.Fatal("the server did not stop after exit")
		return nil
	}
}
