package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"runtime/debug"
	"sync"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// codeServerNotInitialized is the JSON-RPC error for a request that arrives
// before initialize.
const codeServerNotInitialized jsonrpc2.Code = -32002

// method is the server side of one LSP method: it decodes the params and
// calls the method's handler. uri is the textDocument.uri of the params
// exactly as the client wrote it ("" when there is none); the decoded
// protocol types canonicalise URIs, and the server must echo the client's
// spelling.
type method func(ctx context.Context, s *Server, uri string, params jsonrpc2.RawMessage) (any, error)

// call adapts a request handler to a method.
func call[P, R any](f func(s *Server, ctx context.Context, uri string, p *P) (R, error)) method {
	return func(ctx context.Context, s *Server, uri string, raw jsonrpc2.RawMessage) (any, error) {
		var p P
		if len(raw) > 0 {
			if err := protocol.Unmarshal(raw, &p); err != nil {
				return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
			}
			if c, ok := any(&p).(checkedParams); ok {
				if err := c.check(raw); err != nil {
					return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
				}
			}
		}
		return f(s, ctx, uri, &p)
	}
}

// checkedParams are params that the protocol's decoder reads too leniently:
// check refuses, from the raw params, what it would have misread.
type checkedParams interface {
	check(raw jsonrpc2.RawMessage) error
}

// notification adapts a notification handler to a method.
func notification[P any](f func(s *Server, ctx context.Context, uri string, p *P) error) method {
	return call(func(s *Server, ctx context.Context, uri string, p *P) (any, error) {
		return nil, f(s, ctx, uri, p)
	})
}

// methods is the table of LSP methods the server implements; each handler
// lives in its own file, named after the method.
var methods = map[string]method{
	protocol.MethodInitialize:                      call((*Server).initialize),
	protocol.MethodInitialized:                     notification((*Server).initialized),
	protocol.MethodShutdown:                        call((*Server).shutdown),
	protocol.MethodExit:                            notification((*Server).exit),
	protocol.MethodTextDocumentDidOpen:             notification((*Server).didOpen),
	protocol.MethodTextDocumentDidChange:           notification((*Server).didChange),
	protocol.MethodTextDocumentDidClose:            notification((*Server).didClose),
	protocol.MethodTextDocumentDidSave:             notification((*Server).didSave),
	protocol.MethodWorkspaceDidChangeConfiguration: notification((*Server).didChangeConfiguration),
	protocol.MethodWorkspaceExecuteCommand:         call((*Server).executeCommand),
	protocol.MethodTextDocumentCodeAction:          call((*Server).codeAction),
	protocol.MethodTextDocumentHover:               call((*Server).hover),
	protocol.MethodTextDocumentCodeLens:            call((*Server).codeLens),
	protocol.MethodTextDocumentDefinition:          call((*Server).definition),
	protocol.MethodSetTrace:                        notification((*Server).setTrace),
}

// handler returns the connection's jsonrpc2 handler. It runs on the read
// loop, one message at a time, so notifications (didChange above all) are
// applied strictly in arrival order; requests that take time detach with
// detach once they have captured the state they read. It recovers panics (a
// panic in a handler would otherwise fail the whole connection), honours
// $/cancelRequest, and never returns an error for a notification, which
// jsonrpc2 would treat as fatal to the connection.
func (s *Server) handler() jsonrpc2.Handler {
	var cancels cancelTable
	return func(reqCtx context.Context, req *jsonrpc2.Request) (result any, err error) {
		name := req.Method()
		defer func() {
			if r := recover(); r != nil {
				s.logf(protocol.MessageTypeError, "internal error handling %s: %v\n%s", name, r, debug.Stack())
				result, err = nil, nil
				if req.IsCall() {
					err = jsonrpc2.Errorf(jsonrpc2.InternalError, "leakls: internal error handling %s: %v", name, r)
				}
			}
		}()
		if name == protocol.MethodCancelRequest {
			var p protocol.CancelParams
			if err := protocol.Unmarshal(req.Params(), &p); err != nil {
				s.logf(protocol.MessageTypeWarning, "ignoring malformed $/cancelRequest: %v", err)
				return nil, nil
			}
			switch id := p.ID.(type) {
			case protocol.Integer:
				cancels.cancel(jsonrpc2.NewNumberID(int64(id)))
			case protocol.String:
				cancels.cancel(jsonrpc2.NewStringID(string(id)))
			}
			return nil, nil
		}
		// The request context of jsonrpc2 v1.0.1 is pooled and recycled when
		// the handler returns, so no context may be derived from it (a
		// context.WithCancel child watches its parent from a goroutine that
		// outlives the handler). Requests get their own cancellable context
		// from the session's, and detach reaches jsonrpc2.Async through it.
		ctx := context.WithValue(s.ctx, detachKey{}, func() { jsonrpc2.Async(reqCtx) })
		if req.IsCall() {
			var cancel context.CancelFunc
			ctx, cancel = context.WithCancel(ctx)
			id := req.ID()
			cancels.add(id, cancel)
			defer cancels.remove(id)
			defer cancel()
		}
		result, err = s.dispatch(ctx, req)
		if err != nil && !req.IsCall() {
			s.logf(protocol.MessageTypeError, "%s: %v", name, err)
			return nil, nil
		}
		if errors.Is(err, context.Canceled) {
			return nil, protocol.ErrRequestCancelled
		}
		return result, err
	}
}

// cancelTable maps the ids of requests in flight to their cancel functions.
type cancelTable struct {
	mu sync.Mutex
	m  map[jsonrpc2.ID]context.CancelFunc
}

func (t *cancelTable) add(id jsonrpc2.ID, cancel context.CancelFunc) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = make(map[jsonrpc2.ID]context.CancelFunc)
	}
	t.m[id] = cancel
}

func (t *cancelTable) remove(id jsonrpc2.ID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.m, id)
}

func (t *cancelTable) cancel(id jsonrpc2.ID) {
	t.mu.Lock()
	cancel := t.m[id]
	t.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// dispatch routes one message to its method after the lifecycle checks.
func (s *Server) dispatch(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	name := req.Method()
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case name == protocol.MethodExit:
	case state == stateNew && name != protocol.MethodInitialize:
		if req.IsCall() {
			return nil, jsonrpc2.NewError(codeServerNotInitialized, "the server is not initialized: send initialize first")
		}
		return nil, nil // notifications before initialize are dropped, as the protocol says
	case state == stateShutdown:
		if req.IsCall() {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown: only exit is allowed now", name)
		}
		return nil, nil
	}
	m, ok := methods[name]
	if !ok {
		if req.IsCall() {
			return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method %q is not supported by leakls", name)
		}
		return nil, nil // unknown notifications ($/… and others) are ignored
	}
	return m(ctx, s, documentURI(req.Params()), req.Params())
}

// documentURI returns params.textDocument.uri exactly as the client wrote
// it, or "" when the params have none.
func documentURI(params jsonrpc2.RawMessage) string {
	if len(params) == 0 || params[0] != '{' {
		return ""
	}
	var p struct {
		TextDocument struct {
			URI string `json:"uri"`
		} `json:"textDocument"`
	}
	if json.Unmarshal(params, &p) != nil {
		return ""
	}
	return p.TextDocument.URI
}

// errNoDocument is the error for a request about a document that is not open.
func errNoDocument(uri string) error {
	return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "document %s is not open: send textDocument/didOpen first", uri)
}

// detachKey is the context key of the function that releases a request
// from the read loop.
type detachKey struct{}

// detach releases the read loop so that a request that waits (for an
// analysis, for the client) does not hold up the messages behind it. Call it
// once the request has captured the state it reads; it is a no-op for a
// context that does not come from a request.
func detach(ctx context.Context) {
	if f, ok := ctx.Value(detachKey{}).(func()); ok {
		f()
	}
}
