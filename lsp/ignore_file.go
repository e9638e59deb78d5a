package lsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/internal/relpath"
)

// ignoreFileAction returns the code action that adds doc's file to the
// ignore globs of the workspace's leakls.json, so that no finding is
// reported for it, or nil when that cannot be offered: no workspace, a
// file outside it or already ignored, a leakls.json that does not parse, or
// no leakls.json and a client that cannot create files.
func (s *Server) ignoreFileAction(doc *document, diags []protocol.Diagnostic, enc encoding) *protocol.CodeAction {
	s.mu.Lock()
	root, canCreate, cfg := s.root, s.client.createFiles, s.settings.cfg
	s.mu.Unlock()
	if root == "" || doc.path == "" || cfg.Ignored(doc.path) {
		return nil
	}
	rel, ok := relpath.Under(root, doc.path)
	if !ok {
		return nil
	}
	path := filepath.Join(root, config.FileName)
	cfgURI := uri.File(path)
	title := "Ignore " + rel + " in " + config.FileName + " (no leakls findings for this file)"
	kind := protocol.CodeActionKindQuickFix
	action := &protocol.CodeAction{Title: title, Kind: &kind, Diagnostics: diags}

	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !canCreate {
			return nil
		}
		text, _ := withIgnore(nil, rel)
		action.Edit = &protocol.WorkspaceEdit{DocumentChanges: []protocol.DocumentChange{
			&protocol.CreateFile{Kind: "create", URI: cfgURI},
			&protocol.TextDocumentEdit{
				TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: cfgURI}},
				Edits:        []protocol.TextDocumentEditElement{&protocol.TextEdit{NewText: text}},
			},
		}}
		return action
	case err != nil:
		return nil
	}
	if _, err := config.Parse(data, path); err != nil {
		return nil // the user has a broken file to fix first; the log says so
	}
	text, ok := withIgnore(data, rel)
	if !ok {
		return nil
	}
	old := newDocument(string(cfgURI), "json", 0, string(data))
	action.Edit = &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{
		cfgURI: {{Range: protocol.Range{End: old.lines.position(old.text, len(old.text), enc)}, NewText: text}},
	}}
	return action
}

// withIgnore returns the leakls.json text data (nil for none) with pattern
// added to its ignore globs, its keys in the documented order ($schema,
// rules, ignore). ok is false when data does not decode or already lists
// the pattern.
func withIgnore(data []byte, pattern string) (text string, ok bool) {
	obj := map[string]json.RawMessage{}
	if data != nil && json.Unmarshal(data, &obj) != nil {
		return "", false
	}
	var ignore []string
	if raw, has := obj["ignore"]; has && json.Unmarshal(raw, &ignore) != nil {
		return "", false
	}
	if slices.Contains(ignore, pattern) {
		return "", false
	}
	obj["ignore"], _ = json.Marshal(append(ignore, pattern))
	var b bytes.Buffer
	b.WriteString("{\n")
	keys := []string{"$schema", "rules", "ignore"}
	for i, k := range keys {
		raw, has := obj[k]
		if !has {
			continue
		}
		var v bytes.Buffer
		_ = json.Indent(&v, raw, "  ", "  ")
		b.WriteString("  " + `"` + k + `": ` + v.String())
		if slices.ContainsFunc(keys[i+1:], func(k string) bool { _, has := obj[k]; return has }) {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	return b.String(), true
}
