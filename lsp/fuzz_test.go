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
// as internal errors and fail the target) nor hang, and the session must end
// normally with the shutdown and exit after the message.
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
		case err := <-done:
			if err != nil && !sendsExit(body) {
				t.Errorf("the session ended with %v after %q, want nil after shutdown and exit", err, body)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the server did not stop after %q", body)
		}
		cliEnd.Close()
		if len(log.lines) > 0 {
			t.Fatalf("the server recovered from a panic on %q: %s", body, strings.Join(log.lines, "\n"))
		}
	})
}

// sendsExit reports whether body holds an exit notification, which ends
// the session before the shutdown that follows it.
func sendsExit(body []byte) bool {
	msgs, err := jsonrpc2.ParseRequests(body)
	if err != nil {
		return false
	}
	for _, m := range msgs {
		if m.Msg != nil && m.Msg.Method() == protocol.MethodExit {
			return true
		}
	}
	return false
}

// badRanges are change ranges that are not ranges of valid positions.
var badRanges = []string{
	`{"start":{"line":-1,"character":0},"end":{"line":0,"character":1}}`,
	`{"start":{"line":0,"character":-1},"end":{"line":0,"character":1}}`,
	`{"start":{"line":0,"character":0},"end":{"line":4294967296,"character":0}}`,
	`{"start":{"line":1.5,"character":0},"end":{"line":2,"character":0}}`,
	`null`,
	`{"start":{"line":0,"character":0}}`,
}

// fuzzTexts are the texts the edits of FuzzFrames insert.
var fuzzTexts = []string{"", "x", "\n", "😀", "中\r\n", "setInterval(() => {}, 10);\n", "// leakls-ignore\n"}

// FuzzFrames drives a session from script, three bytes a step: the first
// picks what to send, the others shape it. Steps send requests on an open
// document, valid edits, edits whose range is out of range, the malformed
// frames of malformedFrames, valid bodies cut short, and requests whose
// params have the wrong shape, all well framed. The server must answer
// every request (a malformed one as malformedFrames says, a cut one with a
// parse error), still publish the diagnostics of a last edit, and end the
// session normally with shutdown and exit.
func FuzzFrames(f *testing.F) {
	f.Add([]byte{0, 1, 2, 1, 3, 4, 2, 5, 6, 3, 0, 0, 4, 7, 9, 5, 1, 1})
	f.Add([]byte{1, 0, 0, 1, 6, 1, 2, 0, 0, 0, 2, 3, 3, 3, 0, 3, 8, 0, 1, 2, 20, 0, 5, 5})
	f.Add([]byte{3, 0, 0, 3, 1, 0, 3, 2, 0, 3, 3, 0, 3, 4, 0, 3, 5, 0, 3, 6, 0, 3, 7, 0, 3, 8, 0, 3, 9, 0})
	f.Add([]byte{2, 0, 0, 2, 1, 0, 2, 2, 0, 2, 3, 0, 2, 4, 0, 2, 5, 0, 0, 2, 4, 4, 0, 200})
	const text = "const a = '中';\n// leakls-ignore\nsetInterval(() => {}, 10);\n"
	f.Fuzz(func(t *testing.T, script []byte) {
		script = script[:min(len(script), 300)] // at most 100 steps, each adding at most one line
		p := newRawPeer(t, lsp.Options{Log: discard{}, Debounce: time.Millisecond})
		p.start(fuzzURI, text)
		td := protocol.TextDocumentIdentifier{URI: uriOf(fuzzURI)}
		version, nextID := int32(1), int64(1000)
		type answer struct {
			id   jsonrpc2.ID
			code jsonrpc2.Code // 0: any answer
		}
		var want []answer
		change := func(c protocol.TextDocumentContentChangeEvent) {
			version++
			p.send(encodeNotification(t, protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: td, Version: version},
				ContentChanges: []protocol.TextDocumentContentChangeEvent{c},
			}))
		}
		for i := 0; i+2 < len(script); i += 3 {
			op, a, b := script[i], uint32(script[i+1]), uint32(script[i+2])
			at := protocol.TextDocumentPositionParams{TextDocument: td, Position: pos(a%8, b%40)}
			nextID++
			switch op % 6 {
			case 0:
				methods := []struct {
					name   string
					params any
				}{
					{protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: at}},
					{protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: at}},
					{protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{TextDocument: td, Range: protocol.Range{Start: at.Position, End: at.Position}}},
					{protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: td}},
				}
				m := methods[int(b)%len(methods)]
				p.send(encodeCall(t, nextID, m.name, m.params))
				want = append(want, answer{id: jsonrpc2.NewNumberID(nextID)})
			case 1:
				change(&protocol.TextDocumentContentChangePartial{Range: protocol.Range{Start: at.Position, End: pos(a%8+b%2, b%40+a%3)}, Text: fuzzTexts[int(a)%len(fuzzTexts)]})
			case 2:
				version++
				p.send([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":%q,"version":%d},"contentChanges":[{"range":%s,"text":%q}]}}`,
					fuzzURI, version, badRanges[int(a)%len(badRanges)], fuzzTexts[int(b)%len(fuzzTexts)])))
			case 3:
				m := malformedFrames[int(a)%len(malformedFrames)]
				p.send([]byte(m.body))
				want = append(want, answer{m.id, m.code})
			case 4:
				body := encodeCall(t, nextID, protocol.MethodTextDocumentHover, &protocol.HoverParams{TextDocumentPositionParams: at})
				p.send(body[:1+int(b)%(len(body)-1)])
				want = append(want, answer{jsonrpc2.ID{}, jsonrpc2.ParseError})
			case 5:
				p.send([]byte(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/hover","params":[%d]}`, nextID, a)))
				want = append(want, answer{jsonrpc2.NewNumberID(nextID), jsonrpc2.InvalidParams})
			}
		}
		// Diagnostics are published when they change: the last text has a
		// finding on a line that no edit of the script can reach.
		change(&protocol.TextDocumentContentChangeWholeDocument{Text: strings.Repeat("\n", 500) + "// leakls-ignore\n"})
		if pub := p.diagnostics(fuzzURI, version); len(pub.Diagnostics) != 1 || pub.Diagnostics[0].Range.Start.Line != 500 {
			t.Errorf("diagnostics of the last version %d: %+v, want one on line 500", version, pub.Diagnostics)
		}
		for _, w := range want {
			if w.code == 0 {
				p.response(w.id)
			} else {
				p.errorAnswer(w.id, w.code)
			}
		}
		p.stop()
		if err := p.served(); err != nil {
			t.Errorf("Serve = %v after shutdown and exit, want nil", err)
		}
	})
}
