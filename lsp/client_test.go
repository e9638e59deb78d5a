package lsp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// waitTimeout bounds every wait for the server; it is a deadlock guard, not
// a performance assertion.
const waitTimeout = 20 * time.Second

// client is a real JSON-RPC client (go.lsp.dev/jsonrpc2) connected to a real
// server over an in-memory pipe. It records what the server sends.
type client struct {
	t    testing.TB
	conn jsonrpc2.Conn
	done chan error // Serve's result

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every recorded message
	diags    map[string][]published
	logs     []string
	progress []string // $/progress values as "kind: message", in order
	settings json.RawMessage
	cfgAsks  int
	calls    int64    // calls made; jsonrpc2 numbers them 1, 2, … on a connection
	sent     []string // methods of the messages written to the server, in order

	refreshes int // workspace/codeLens/refresh requests received
}

// published is one textDocument/publishDiagnostics as received.
type published struct {
	version     int32
	hasVersion  bool
	diagnostics []protocol.Diagnostic
	raw         string // the diagnostics array as JSON
}

// newClient starts a server with opts and connects a client to it.
func newClient(t testing.TB, opts lsp.Options) *client {
	t.Helper()
	srvEnd, cliEnd := net.Pipe()
	if opts.Log == nil {
		opts.Log = testLog{t}
	}
	srv := lsp.New(opts)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), srvEnd) }()
	c := connect(t, cliEnd)
	c.done = done
	t.Cleanup(func() {
		c.conn.Close()
		select {
		case <-c.done:
		case <-time.After(waitTimeout):
			t.Errorf("server did not stop after the client closed the connection")
		}
	})
	return c
}

// dialProcess connects a client to a server process through its stdin and
// stdout.
func dialProcess(t testing.TB, stdin io.WriteCloser, stdout io.ReadCloser) *client {
	c := connect(t, pipes{stdout, stdin})
	t.Cleanup(func() { c.conn.Close() })
	return c
}

// pipes joins a process's stdout (read) and stdin (write) into one stream.
type pipes struct {
	io.ReadCloser
	w io.WriteCloser
}

func (p pipes) Write(b []byte) (int, error) { return p.w.Write(b) }

func (p pipes) Close() error {
	p.w.Close()
	return p.ReadCloser.Close()
}

// connect starts a client on rwc.
func connect(t testing.TB, rwc io.ReadWriteCloser) *client {
	c := &client{t: t, changed: make(chan struct{}), diags: map[string][]published{}}
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewHeaderStream(&recorder{rwc, c}), jsonrpc2.WithCodec(lsp.Codec{}))
	c.conn.Go(context.Background(), c.handle)
	return c
}

// recorder notes the method of every message the client writes, once the
// write has returned (on a pipe: once the server has read it).
type recorder struct {
	io.ReadWriteCloser
	c *client
}

func (r *recorder) Write(p []byte) (int, error) {
	n, err := r.ReadWriteCloser.Write(p)
	const key = `"method":"`
	if i := bytes.Index(p, []byte(key)); i >= 0 {
		rest := p[i+len(key):]
		if j := bytes.IndexByte(rest, '"'); j >= 0 {
			r.c.mu.Lock()
			r.c.sent = append(r.c.sent, string(rest[:j]))
			close(r.c.changed)
			r.c.changed = make(chan struct{})
			r.c.mu.Unlock()
		}
	}
	return n, err
}

// testLog sends the server's log to the test log.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// handle records server-to-client messages and answers server requests.
func (c *client) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	c.mu.Lock()
	defer func() {
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}()
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var raw struct {
			URI         string          `json:"uri"`
			Diagnostics json.RawMessage `json:"diagnostics"`
		}
		var p protocol.PublishDiagnosticsParams
		if err := json.Unmarshal(req.Params(), &raw); err != nil {
			c.t.Errorf("publishDiagnostics: %v", err)
			return nil, nil
		}
		if err := protocol.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("publishDiagnostics: %v", err)
			return nil, nil
		}
		v, ok := p.Version.Get()
		c.diags[raw.URI] = append(c.diags[raw.URI], published{version: v, hasVersion: ok, diagnostics: p.Diagnostics, raw: string(raw.Diagnostics)})
	case protocol.MethodWindowLogMessage:
		var p protocol.LogMessageParams
		_ = protocol.Unmarshal(req.Params(), &p)
		c.logs = append(c.logs, p.Message)
	case protocol.MethodProgress:
		var p struct {
			Value struct {
				Kind    string `json:"kind"`
				Message string `json:"message"`
			} `json:"value"`
		}
		_ = json.Unmarshal(req.Params(), &p)
		c.progress = append(c.progress, p.Value.Kind+": "+p.Value.Message)
	case protocol.MethodWindowWorkDoneProgressCreate:
		return nil, nil
	case protocol.MethodWorkspaceCodeLensRefresh:
		c.refreshes++
		return nil, nil
	case protocol.MethodWorkspaceConfiguration:
		c.cfgAsks++
		var p protocol.ConfigurationParams
		_ = protocol.Unmarshal(req.Params(), &p)
		out := make([]json.RawMessage, len(p.Items))
		for i := range out {
			out[i] = c.settings
			if out[i] == nil {
				out[i] = json.RawMessage("null")
			}
		}
		return out, nil
	default:
		if req.IsCall() {
			return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "test client: %s", req.Method())
		}
	}
	return nil, nil
}

// call sends a request and decodes its result.
func (c *client) call(method string, params, result any) error {
	return c.callWithin(waitTimeout, method, params, result)
}

// callWithin is call for a request that may take up to d.
func (c *client) callWithin(d time.Duration, method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	atomic.AddInt64(&c.calls, 1)
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

// mustCall is call that fails the test on error.
func (c *client) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// notify sends a notification.
func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// initialize runs initialize and initialized with caps.
func (c *client) initialize(p *protocol.InitializeParams) *protocol.InitializeResult {
	c.t.Helper()
	if p == nil {
		p = &protocol.InitializeParams{}
	}
	var res protocol.InitializeResult
	c.mustCall(protocol.MethodInitialize, p, &res)
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return &res
}

// waitFor waits until cond (called with c.mu held) holds.
func (c *client) waitFor(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.After(waitTimeout)
	for {
		c.mu.Lock()
		ok := cond()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			c.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// waitDiagnostics waits for a publication for uri that satisfies cond and
// returns it.
func (c *client) waitDiagnostics(uri string, cond func(published) bool) published {
	c.t.Helper()
	var got published
	c.waitFor("diagnostics of "+uri, func() bool {
		list := c.diags[uri]
		if len(list) == 0 {
			return false
		}
		got = list[len(list)-1]
		return cond(got)
	})
	return got
}

// open sends didOpen.
func (c *client) open(uri, lang, text string) {
	c.t.Helper()
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: uriOf(uri), LanguageID: protocol.LanguageKind(lang), Version: 1, Text: text},
	})
}

// shutdown sends shutdown and exit and returns Serve's result.
func (c *client) shutdown() error {
	c.t.Helper()
	c.mustCall(protocol.MethodShutdown, nil, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case err := <-c.done:
		c.done <- err // for Cleanup
		return err
	case <-time.After(waitTimeout):
		c.t.Fatal("server did not stop after exit")
		return nil
	}
}

// rpcCode returns the JSON-RPC error code of err, or 0.
func rpcCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// waitLog waits for a window/logMessage containing sub.
func (c *client) waitLog(sub string) {
	c.t.Helper()
	c.waitFor("a log message with "+sub, func() bool {
		for _, l := range c.logs {
			if strings.Contains(l, sub) {
				return true
			}
		}
		return false
	})
}
