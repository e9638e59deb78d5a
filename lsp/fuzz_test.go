package lsp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// encodeCall and encodeNotification build message bodies with jsonrpc2
// and protocol encoders.
func encodeCall(tb testing.TB, id int64, method string, params any) []byte {
	raw, err := protocol.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := jsonrpc2.EncodeMessage(jsonrpc2.NewCall(jsonrpc2.NewNumberID(id), method, raw))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func encodeNotification(tb testing.TB, method string, params any) []byte {
	raw, err := protocol.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	b, err := jsonrpc2.EncodeMessage(jsonrpc2.NewNotification(method, raw))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// frame puts a message body in LSP base-protocol framing.
func frame(body []byte) []byte {
	return append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
}

// panicLog records whether the server logged a recovered panic.
type panicLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *panicLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if bytes.Contains(p, []byte("internal error")) {
		l.lines = append(l.lines, string(p))
	}
	return len(p), nil
}

const fuzzURI = "file:///fuzz/doc.js"

// FuzzServerMessages sends one arbitrary message body, between a valid
// session start (initialize, an open document) and shutdown/exit, to a
// real server. The server must neither panic (recovered panics are logged
// as internal errors and fail the target) nor hang.
func FuzzServerMessages(f *testing.F) {
	pos := func(l, c uint32) protocol.Position { return protocol.Position{Line: l, Character: c} }
	td := protocol.TextDocumentIdentifier{URI: uriOf(fuzzURI)}
	seeds := [][]byte{
		encodeNotification(f, protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: td, Version: 2},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: pos(0, 3), End: pos(99, 99)}, Text: "😀\n// leakls-ignore"}},
		}),
		encodeCall(f, 7, protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: td, Position: pos(4294967295, 4294967295)}}),
		encodeCall(f, 8, protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{TextDocument: td, Range: protocol.Range{Start: pos(5, 0), End: pos(0, 0)}, Context: protocol.CodeActionContext{Diagnostics: []protocol.Diagnostic{{Source: protocol.NewOptional("leakls"), Code: protocol.String("LK000"), Message: protocol.String("x"), Data: protocol.LSPAny(`{"id": 5}`)}}}}),
		encodeCall(f, 9, protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: td, Position: pos(1, 1)}}),
		encodeCall(f, 10, protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: lsp.CommandAnalyzeSnapshots, Arguments: []protocol.LSPAny{protocol.LSPAny(`["a", 1]`)}}),
		encodeNotification(f, protocol.MethodCancelRequest, &protocol.CancelParams{ID: protocol.String("nope")}),
		encodeNotification(f, protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`{"leakls": {"rules": {"LK000": 3}}}`)}),
		encodeNotification(f, protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: uriOf("untitled:x"), LanguageID: "typescript", Text: "\x00"}}),
		encodeNotification(f, protocol.MethodTextDocumentDidClose, &protocol.DidCloseTextDocumentParams{TextDocument: td}),
		[]byte(`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":[1,2]}`),
		[]byte(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"` + fuzzURI + `","version":3},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":1}},"text":""}]}}`),
		[]byte(`[]`),
		[]byte(`not json`),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	initialize := frame(encodeCall(f, 1, protocol.MethodInitialize, &protocol.InitializeParams{}))
	initialized := frame(encodeNotification(f, protocol.MethodInitialized, &protocol.InitializedParams{}))
	open := frame(encodeNotification(f, protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: uriOf(fuzzURI), LanguageID: "javascript", Version: 1, Text: "const a = '中';\n// leakls-ignore\nsetInterval(() => {}, 10);\n",
	}}))
	shutdown := frame(encodeCall(f, 2, protocol.MethodShutdown, nil))
	exit := frame(encodeNotification(f, protocol.MethodExit, nil))

	f.Fuzz(func(t *testing.T, body []byte) {
		log := &panicLog{}
		srvEnd, cliEnd := net.Pipe()
		srv := lsp.New(lsp.Options{Log: log, Debounce: time.Millisecond})
		done := make(chan error, 1)
		go func() { done <- srv.Serve(context.Background(), srvEnd) }()
		go io.Copy(io.Discard, cliEnd)
		for _, msg := range [][]byte{initialize, initialized, open, frame(body), shutdown, exit} {
			if _, err := cliEnd.Write(msg); err != nil {
				break // the server closed the connection over a broken message
			}
		}
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("the server did not stop after %q", body)
		}
		cliEnd.Close()
		if len(log.lines) > 0 {
			t.Fatalf("the server recovered from a panic on %q: %s", body, strings.Join(log.lines, "\n"))
		}
	})
}
