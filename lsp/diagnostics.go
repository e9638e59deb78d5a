package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"runtime/debug"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// parseCacheBudget bounds the sources whose parsed files the server keeps
// between analyses (about seven times as much memory), so that an edit
// re-parses only the edited file while its neighbours come from the cache.
const parseCacheBudget = 16 << 20

// bigDocument is the size from which a document is analysed in its own
// lane (Server.bigSem), one at a time: its analysis takes a noticeable
// time (about a third of a second per MiB on two cores), and it must not
// take the places of the small documents being edited meanwhile, whose
// diagnostics come at once.
const bigDocument = 256 << 10

// fileState is what the server knows about one file (keyed by path, or by
// URI for documents that are not files).
type fileState struct {
	doc    *document        // latest text: the open document, or the file as read from disk
	open   bool             // the editor has it open; its text is the editor's, not the disk's
	parser *syntax.Reparser // while open: parses its versions incrementally; closed with it
	run    *analysisRun     // analysis of doc not yet finished, nil when result is current
	result *analysis        // last finished analysis
	edited time.Time        // when the editor last changed doc

	pubURI    string // URI the diagnostics were last published under
	published []byte // encoded diagnostics last published; nil if none yet
}

// analysis is the outcome of analysing one document version.
type analysis struct {
	doc      *document
	findings []finding.Finding // as the analyzer reported them; the configuration is applied when rendering
	failure  string            // why the analysis failed or was skipped; shown as a diagnostic when it failed
	failed   bool              // failure is an error the user should see, not a deliberate skip
}

// analysisRun is one scheduled analysis. It is stopped when a newer version
// supersedes it, and done is closed when it can no longer produce a result.
type analysisRun struct {
	ctx    context.Context
	cancel context.CancelFunc
	timer  *time.Timer
	done   chan struct{}
	once   sync.Once
	wg     *sync.WaitGroup
}

// finish marks the run over. It is safe to call more than once.
func (r *analysisRun) finish() {
	r.once.Do(func() {
		r.cancel()
		close(r.done)
		r.wg.Done()
	})
}

// stop cancels the run; when its timer had not fired, nothing else will
// finish it.
func (r *analysisRun) stop() {
	r.cancel()
	if r.timer.Stop() {
		r.finish()
	}
}

// scheduleEditLocked schedules the analysis of an open file the editor
// has just changed. The first edit after a pause is analysed at once, so
// the diagnostics of a single keystroke come as soon as they can; an edit
// that follows another within the debounce delay waits that delay, so a
// burst (a paste, a macro, fast typing) costs one analysis. The caller
// holds s.mu.
func (s *Server) scheduleEditLocked(key string, fs *fileState) {
	now := time.Now()
	delay := s.opts.Debounce
	if now.Sub(fs.edited) >= delay {
		delay = 0
	}
	fs.edited = now
	s.scheduleLocked(key, delay)
}

// schedule (re)starts the analysis of the file at key after delay,
// cancelling the one in flight. The caller holds s.mu.
func (s *Server) scheduleLocked(key string, delay time.Duration) {
	fs := s.files[key]
	if fs == nil || s.closed {
		return
	}
	if fs.run != nil {
		fs.run.stop()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	run := &analysisRun{ctx: ctx, cancel: cancel, done: make(chan struct{}), wg: &s.wg}
	s.wg.Add(1)
	fs.run = run
	doc := fs.doc
	run.timer = time.AfterFunc(delay, func() { s.analyze(run, key, doc) })
}

// analyze runs one scheduled analysis and publishes its result if it is
// still the latest.
func (s *Server) analyze(run *analysisRun, key string, doc *document) {
	defer run.finish()
	if run.ctx.Err() != nil {
		return
	}
	sem := s.sem
	if len(doc.text) >= bigDocument {
		sem = s.bigSem
	}
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-run.ctx.Done():
		return
	}
	res := s.check(run.ctx, doc)
	if run.ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	fs := s.files[key]
	if fs == nil || fs.run != run {
		s.mu.Unlock()
		return
	}
	skipped := !res.failed && res.failure != "" && (fs.result == nil || fs.result.failure != res.failure)
	fs.result, fs.run = res, nil
	s.mu.Unlock()
	if skipped { // logged once, not on every keystroke
		s.logf(protocol.MessageTypeInfo, "not analysing %s: %s", doc.name(), res.failure)
	}
	s.publish(key)
}

// check analyses doc, turning a panic or an error of the analyzer into a
// failed analysis instead of a dead server. The files doc imports and the
// files that import it, directly or not, are analysed along (open ones
// with their editor text), so that facts crossing files are seen; only
// doc's findings are kept.
func (s *Server) check(ctx context.Context, doc *document) (res *analysis) {
	res = &analysis{doc: doc}
	src := []byte(doc.text)
	if reason := staticcheck.SkipReason(src, s.opts.MaxFileSize); reason != "" {
		res.failure = reason
		return res
	}
	if _, ok := staticcheck.Language(doc.name()); !ok {
		return res // not JavaScript or TypeScript: nothing to say
	}
	defer func() {
		if r := recover(); r != nil {
			s.logf(protocol.MessageTypeError, "internal error analysing %s (the server goes on): %v\n%s", doc.name(), r, debug.Stack())
			res.findings, res.failed = nil, true
			res.failure = fmt.Sprintf("leakls could not analyse this file (internal error: %v); see the leakls log", r)
		}
	}()
	out, err := s.opts.Check(ctx, s.checkRequest(doc, src))
	if err == nil && len(out.Skipped) > 0 {
		err = out.Skipped[0]
	}
	if err != nil {
		if ctx.Err() == nil {
			s.logf(protocol.MessageTypeError, "analysing %s: %v", doc.name(), err)
			res.failed = true
			res.failure = fmt.Sprintf("leakls could not analyse this file: %v", err)
		}
		return res
	}
	res.findings = out.Findings
	return res
}

// checkRequest asks for the analysis of doc (whose text is src) with its
// neighbours in the module graph, the open documents' text replacing the
// disk's.
func (s *Server) checkRequest(doc *document, src []byte) staticcheck.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := staticcheck.File{Path: doc.name(), Src: src}
	if fs := s.files[doc.key()]; fs != nil {
		f.Parser = fs.parser
	}
	req := staticcheck.Request{Files: []staticcheck.File{f}, MaxFileSize: s.opts.MaxFileSize}
	if s.graph == nil || doc.path == "" {
		return req
	}
	req.Graph = s.graph
	req.Overlays = make(map[string][]byte)
	for key, fs := range s.files {
		if fs.open && fs.doc.path != "" && key != doc.key() {
			req.Overlays[fs.doc.path] = []byte(fs.doc.text)
		}
	}
	return req
}

// awaitResult waits until the analysis of the latest version of the file at
// key has finished and returns it (nil when the file is unknown).
func (s *Server) awaitResult(ctx context.Context, key string) (*fileState, *analysis, error) {
	for {
		s.mu.Lock()
		fs := s.files[key]
		if fs == nil {
			s.mu.Unlock()
			return nil, nil, nil
		}
		run := fs.run
		if run == nil {
			res := fs.result
			s.mu.Unlock()
			return fs, res, nil
		}
		s.mu.Unlock()
		select {
		case <-run.done:
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		}
	}
}

// publish sends the diagnostics of the file at key if they differ from what
// the client last received for it. A file whose first analysis is still
// running is not published: its list would lack the static findings, and
// clients would show "no problems" until the analysis publishes them.
func (s *Server) publish(key string) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	fs := s.files[key]
	if fs == nil || fs.result == nil && fs.run != nil {
		s.mu.Unlock()
		return
	}
	doc, res := fs.doc, fs.result
	if res != nil {
		doc = res.doc
	}
	ev := s.snap.files[key]
	if ev != nil && ev.doc != doc {
		// The evidence follows a newer version, whose analysis is pending
		// and will publish both.
		s.mu.Unlock()
		return
	}
	oldURI, old := fs.pubURI, fs.published
	open := fs.open
	enc := s.enc
	cfg := s.settings.cfg
	s.mu.Unlock()

	diags := s.diagnostics(key, doc, res, ev, cfg, enc)
	data, err := protocol.Marshal(diags)
	if err != nil {
		s.logf(protocol.MessageTypeError, "encoding diagnostics of %s: %v", doc.uri, err)
		return
	}
	if oldURI == doc.uri && bytes.Equal(old, data) {
		return
	}
	if old == nil && len(diags) == 0 && !open {
		return // a clean file nobody looks at needs no message
	}
	s.mu.Lock()
	fs.pubURI, fs.published = doc.uri, data
	s.mu.Unlock()
	if oldURI != "" && oldURI != doc.uri {
		// The file is now known under the client's spelling of its URI.
		s.notify(protocol.MethodTextDocumentPublishDiagnostics, &protocol.PublishDiagnosticsParams{URI: uri.URI(oldURI), Diagnostics: []protocol.Diagnostic{}})
	}
	p := &protocol.PublishDiagnosticsParams{URI: uri.URI(doc.uri), Diagnostics: diags}
	if open && doc.version != 0 {
		p.Version = protocol.NewOptional(doc.version)
	}
	s.notify(protocol.MethodTextDocumentPublishDiagnostics, p)
}

// diagnostics renders the findings of the file key, static (res, may be
// nil) and from snapshots (ev, may be nil), as LSP diagnostics in doc's
// text under the configuration cfg. The result is never nil: a nil slice
// would be sent as null, which clients reject.
func (s *Server) diagnostics(key string, doc *document, res *analysis, ev *fileEvidence, cfg *config.Config, enc encoding) []protocol.Diagnostic {
	var static []finding.Finding
	out := []protocol.Diagnostic{}
	if res != nil {
		static = res.findings
		if res.failed {
			out = append(out, protocol.Diagnostic{
				Severity: protocol.DiagnosticSeverityInformation,
				Source:   protocol.NewOptional("leakls"),
				Message:  protocol.String(res.failure),
			})
		}
	}
	findings := cfg.Apply(combined(key, static, ev))
	texts := map[string]*document{doc.path: doc}
	for i := range findings {
		f := &findings[i]
		d := protocol.Diagnostic{
			Range:    doc.lines.protocolRange(doc.text, f.Range, enc),
			Severity: severity(f.Severity),
			Code:     protocol.String(f.Rule),
			Source:   protocol.NewOptional("leakls"),
			Message:  protocol.String(f.Message),
			Data:     diagnosticData(f),
		}
		if href := s.docURL(f.Rule); href != "" {
			d.CodeDescription = protocol.CodeDescription{Href: uri.URI(href)}
		}
		for _, r := range f.Related {
			loc := s.location(texts, doc, r.Location, enc)
			d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{Location: loc, Message: r.Message})
		}
		out = append(out, d)
	}
	return out
}

// location converts a finding location to a protocol location, reading the
// text of files other than doc (from the editor when open, else from disk)
// to convert columns; texts caches them for one rendering.
func (s *Server) location(texts map[string]*document, doc *document, l finding.Location, enc encoding) protocol.Location {
	target := doc
	if l.File != "" && l.File != doc.path {
		target = texts[l.File]
		if target == nil {
			target = s.textOf(l.File)
			texts[l.File] = target
		}
	}
	return protocol.Location{URI: uri.URI(target.uri), Range: target.lines.protocolRange(target.text, l.Range, enc)}
}

// textOf returns the latest known text of the file at path: the editor's
// when open, else the disk's, else an empty document (columns then stay
// as bytes).
func (s *Server) textOf(path string) *document {
	s.mu.Lock()
	fs := s.files[path]
	s.mu.Unlock()
	if fs != nil {
		return fs.doc
	}
	data, err := s.readSource(path)
	if err != nil {
		return newDocument(fileURI(path), "", 0, "")
	}
	return newDocument(fileURI(path), "", 0, string(data))
}

// readSource reads the file at path from disk, refusing one over the size
// limit (Options.MaxFileSize).
func (s *Server) readSource(path string) ([]byte, error) {
	return staticcheck.ReadSource(path, s.opts.MaxFileSize)
}

// severity maps a finding severity to the protocol's.
func severity(s finding.Severity) protocol.DiagnosticSeverity {
	switch s {
	case finding.SeverityError:
		return protocol.DiagnosticSeverityError
	case finding.SeverityInfo:
		return protocol.DiagnosticSeverityInformation
	case finding.SeverityHint:
		return protocol.DiagnosticSeverityHint
	}
	return protocol.DiagnosticSeverityWarning
}

// diagnosticDataJSON is the payload of Diagnostic.data: the finding's id,
// which code actions and hovers use to find the finding again (clients may
// echo diagnostics back with other ranges or columns).
type diagnosticDataJSON struct {
	ID string `json:"id"`
}

func diagnosticData(f *finding.Finding) protocol.LSPAny {
	b, _ := json.Marshal(diagnosticDataJSON{ID: findingID(f)})
	return b
}

// findingID is a stable id of a finding: the same rule at the same place
// with the same message gets the same id in every analysis.
func findingID(f *finding.Finding) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%d:%d-%d:%d\x00%s", f.Rule, f.File,
		f.Range.Start.Line, f.Range.Start.Col, f.Range.End.Line, f.Range.End.Col, f.Message)
	return fmt.Sprintf("%s-%016x", f.Rule, h.Sum64())
}
