package lsp

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/capture"
)

// progressTimeout bounds the wait for the client to accept a progress token.
const progressTimeout = 2 * time.Second

var progressSeq atomic.Int64

// progress reports one long-running background task to the client with
// window/workDoneProgress/create and $/progress. Clients without
// work-done-progress support get log lines instead.
type progress struct {
	s     *Server
	token protocol.ProgressToken // nil when the client does not show progress
	title string

	mu      sync.Mutex
	percent int // the last percentage reported through Func
}

// startProgress begins a task titled title. It must not be called on the
// read loop: it waits for the client to create the token.
func (s *Server) startProgress(ctx context.Context, title, message string) *progress {
	p := &progress{s: s, title: title}
	s.mu.Lock()
	supported := s.client.progress
	s.mu.Unlock()
	if supported {
		token := protocol.String(fmt.Sprintf("leakls-%d", progressSeq.Add(1)))
		err := s.clientCall(ctx, progressTimeout, protocol.MethodWindowWorkDoneProgressCreate, &protocol.WorkDoneProgressCreateParams{Token: token}, nil)
		if err == nil {
			p.token = token
		} else {
			s.writeLog(fmt.Sprintf("window/workDoneProgress/create: %v; reporting %q in the log", err, title))
		}
	}
	p.send(&protocol.WorkDoneProgressBegin{Kind: "begin", Title: title, Message: &message})
	return p
}

// report updates the task's message and percentage (0-100).
func (p *progress) report(message string, percent int) {
	pct := uint32(max(0, min(percent, 100)))
	p.send(&protocol.WorkDoneProgressReport{Kind: "report", Message: &message, Percentage: &pct})
}

var _ capture.Progress = (*progress)(nil)

// Func returns a callback that reports the stages of the work labelled
// label as "label: stage", with the stage's percentage when it is
// measurable (the last one otherwise), as the CLI's progress bar does: it
// makes the task a capture.Progress.
func (p *progress) Func(label string) func(stage string, done, total int64) {
	return func(stage string, done, total int64) {
		p.mu.Lock()
		if total > 0 {
			p.percent = int(done * 100 / total)
		}
		pct := p.percent
		p.mu.Unlock()
		p.report(label+": "+stage, pct)
	}
}

// end finishes the task with a final message.
func (p *progress) end(message string) {
	p.send(&protocol.WorkDoneProgressEnd{Kind: "end", Message: &message})
}

func (p *progress) send(value any) {
	if p.token == nil {
		var msg string
		switch v := value.(type) {
		case *protocol.WorkDoneProgressBegin:
			msg = *v.Message
		case *protocol.WorkDoneProgressReport:
			msg = *v.Message
		case *protocol.WorkDoneProgressEnd:
			msg = *v.Message
		}
		p.s.writeLog(p.title + ": " + msg)
		return
	}
	raw, err := protocol.Marshal(value)
	if err != nil {
		p.s.writeLog(fmt.Sprintf("encoding progress: %v", err))
		return
	}
	p.s.notify(protocol.MethodProgress, &protocol.ProgressParams{Token: p.token, Value: raw})
}
