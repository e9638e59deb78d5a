package lsp

import (
	"context"
	"fmt"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/staticcheck/syntax"
)

// didOpen starts tracking a document and analyses it at once.
func (s *Server) didOpen(ctx context.Context, rawURI string, p *protocol.DidOpenTextDocumentParams) error {
	td := p.TextDocument
	doc := newDocument(rawURI, string(td.LanguageID), td.Version, td.Text)
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.files[doc.key()]
	if fs == nil {
		fs = &fileState{}
		s.files[doc.key()] = fs
	}
	s.setDocLocked(doc.key(), fs, doc)
	fs.open = true
	fs.closeParser()
	if lang, ok := syntax.LangOf(doc.name()); ok {
		fs.parser = syntax.NewReparser(lang)
	}
	s.scheduleLocked(doc.key(), 0)
	return nil
}

// closeParser frees the document's incremental parser, if any.
func (fs *fileState) closeParser() {
	if fs.parser != nil {
		fs.parser.Close()
		fs.parser = nil
	}
}

// didChange applies the edits of one version in order and schedules its
// analysis (debounced within a burst of edits). It runs on the read loop,
// so versions are applied in the order the client sent them.
func (s *Server) didChange(ctx context.Context, rawURI string, p *didChangeParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	fs := s.openFile(rawURI)
	if fs == nil {
		return fmt.Errorf("change to %s, which is not open: send textDocument/didOpen first", rawURI)
	}
	if v := p.TextDocument.Version; v <= fs.doc.version {
		s.writeLog(fmt.Sprintf("%s: version %d after version %d; applying it anyway", rawURI, v, fs.doc.version))
	}
	doc, err := fs.doc.withChanges(p.TextDocument.Version, p.ContentChanges, s.enc)
	if err != nil {
		return fmt.Errorf("%s: %w", rawURI, err)
	}
	s.setDocLocked(doc.key(), fs, doc)
	s.scheduleEditLocked(doc.key(), fs)
	s.scheduleNeighborsLocked(doc.path)
	return nil
}

// didChangeParams are the params of textDocument/didChange. The protocol's
// decoder reads a change whose range does not decode (a negative line, a
// line of 2^32) as a change of the whole document, which would replace the
// text with the inserted fragment, and a change without text as a
// deletion; check refuses such changes instead.
type didChangeParams struct {
	protocol.DidChangeTextDocumentParams
}

// wireRange and wirePosition decode a change's range strictly: both
// positions, with both members, each an integer from 0 to 2^32-1.
type (
	wireRange struct {
		Start *wirePosition `json:"start"`
		End   *wirePosition `json:"end"`
	}
	wirePosition struct {
		Line      *uint32 `json:"line"`
		Character *uint32 `json:"character"`
	}
)

func (p *wirePosition) valid() bool { return p != nil && p.Line != nil && p.Character != nil }

// check refuses the params when a change has no text, or a "range" member
// that is not a range of valid positions; none of the changes is then
// applied. It reads the JSON as the protocol's decoder does: names are
// case-sensitive, the last of duplicate names wins, invalid UTF-8 is
// accepted.
func (p *didChangeParams) check(raw jsonrpc2.RawMessage) error {
	opts := json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	var wire struct {
		ContentChanges []struct {
			Range jsontext.Value `json:"range"`
			Text  *string        `json:"text"`
		} `json:"contentChanges"`
	}
	if err := json.Unmarshal(raw, &wire, opts); err != nil {
		return err
	}
	const resync = "no change of this version was applied: close and reopen the document to resynchronise it"
	for i, c := range wire.ContentChanges {
		if c.Text == nil {
			return fmt.Errorf("change %d of version %d has no text; %s", i, p.TextDocument.Version, resync)
		}
		if c.Range == nil {
			continue // a change of the whole document
		}
		var r wireRange
		if json.Unmarshal(c.Range, &r, opts) != nil || !r.Start.valid() || !r.End.valid() {
			return fmt.Errorf("change %d of version %d has the range %.200s, which is not two positions of a line and a character from 0 to 4294967295; %s",
				i, p.TextDocument.Version, c.Range, resync)
		}
	}
	return nil
}

// didClose stops tracking the editor's text. The file stays known from
// disk, so its findings stay listed like those of every workspace file;
// documents that are not files are forgotten and their diagnostics cleared.
func (s *Server) didClose(ctx context.Context, rawURI string, p *protocol.DidCloseTextDocumentParams) error {
	s.mu.Lock()
	fs := s.openFile(rawURI)
	if fs == nil {
		s.mu.Unlock()
		return fmt.Errorf("close of %s, which is not open", rawURI)
	}
	key := fs.doc.key()
	fs.open = false
	fs.closeParser()
	if fs.doc.path == "" {
		if fs.run != nil {
			fs.run.stop()
		}
		fs.result, fs.run = nil, nil
		s.mu.Unlock()
		s.publish(key)
		s.mu.Lock()
		delete(s.files, key)
		s.mu.Unlock()
		return nil
	}
	s.reloadLocked(key)
	s.mu.Unlock()
	return nil
}

// didSave reloads the module graph, which follows the disk: the saved file
// may import other files now.
func (s *Server) didSave(ctx context.Context, rawURI string, p *protocol.DidSaveTextDocumentParams) error {
	s.reloadGraphLater(graphReloadDelay)
	return nil
}

// openFile returns the state of the open document rawURI, or nil. The
// caller holds s.mu.
func (s *Server) openFile(rawURI string) *fileState {
	key := filePath(rawURI)
	if key == "" {
		key = rawURI
	}
	fs := s.files[key]
	if fs == nil || !fs.open {
		return nil
	}
	return fs
}

// reloadLocked replaces the text of a file that is not open with the disk's
// and schedules its analysis; a file that disappeared is forgotten and its
// diagnostics cleared. The caller holds s.mu.
func (s *Server) reloadLocked(key string) {
	fs := s.files[key]
	if fs == nil || fs.open {
		return
	}
	data, err := s.readSource(key)
	if err != nil {
		data = nil
	}
	doc := newDocument(fileURI(key), "", 0, string(data))
	if fs.pubURI != "" {
		doc.uri = fs.pubURI // keep the spelling the client knows the file by
	}
	s.setDocLocked(key, fs, doc)
	s.scheduleLocked(key, s.opts.Debounce)
}
