package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
)

// codeAction offers, for each leakls diagnostic in the request, every fix
// of its finding as a quickfix and a suppression comment for the line, and
// once for the file, ignoring it in leakls.json. A fix that several
// findings share (a static rule's and the snapshot evidence on the same
// code) is offered once, for all of their diagnostics.
func (s *Server) codeAction(ctx context.Context, rawURI string, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	detach(ctx)
	doc, findings, enc, err := s.fileFindings(ctx, rawURI)
	if err != nil {
		return nil, err
	}
	if !wantsQuickFix(p.Context.Only) {
		return []protocol.CommandOrCodeAction{}, nil
	}
	matches := s.matchFindings(doc, findings, p, enc)
	actions := actionSet{byKey: map[string]*protocol.CodeAction{}}
	quickfix := protocol.CodeActionKindQuickFix
	for _, m := range matches {
		for i, fix := range m.f.Fixes {
			edit, err := s.workspaceEdit(doc, m.f.File, fix.Edits, enc)
			if err != nil {
				s.logf(protocol.MessageTypeError, "fix %q of %s: %v", fix.Message, m.f.Rule, err)
				continue
			}
			preferred := i == 0
			actions.add(&protocol.CodeAction{
				Title:       fix.Message,
				Kind:        &quickfix,
				Diagnostics: []protocol.Diagnostic{m.diag},
				IsPreferred: &preferred,
				Edit:        edit,
			})
		}
		if r := staticcheck.Lookup(m.f.Rule); r == nil || r == staticcheck.Suppression {
			continue // only static rules can be suppressed by a comment, and not the check of the comments themselves
		}
		actions.add(&protocol.CodeAction{
			Title:       fmt.Sprintf("Ignore %s on this line (leakls-ignore comment)", m.f.Rule),
			Kind:        &quickfix,
			Diagnostics: []protocol.Diagnostic{m.diag},
			Edit:        s.ignoreLineEdit(doc, &m.f, enc),
		})
	}
	if len(matches) > 0 {
		var diags []protocol.Diagnostic
		for _, m := range matches {
			diags = append(diags, m.diag)
		}
		if a := s.ignoreFileAction(doc, diags, enc); a != nil {
			actions.add(a)
		}
	}
	return actions.list, nil
}

// findingMatch is a finding a code action request is about, with the
// diagnostic that stands for it.
type findingMatch struct {
	f    finding.Finding
	diag protocol.Diagnostic
}

// matchFindings returns the findings of doc the request p is about.
// Diagnostics are matched to findings by the id in their data, since
// clients may echo them back with other ranges or columns; diagnostics
// without data are matched by rule and line. Without diagnostics in the
// request, the findings under the requested range are used.
func (s *Server) matchFindings(doc *document, findings []finding.Finding, p *protocol.CodeActionParams, enc encoding) []findingMatch {
	var matches []findingMatch
	for _, d := range p.Context.Diagnostics {
		if src, _ := d.Source.Get(); src != "leakls" {
			continue
		}
		for _, f := range findings {
			if matchesDiagnostic(doc, &f, d) {
				matches = append(matches, findingMatch{f, d})
				break
			}
		}
	}
	if len(p.Context.Diagnostics) == 0 {
		lo, hi := doc.lines.offset(doc.text, p.Range.Start, enc), doc.lines.offset(doc.text, p.Range.End, enc)
		for _, f := range findings {
			start := doc.lines.byteOffset(doc.text, f.Range.Start)
			end := doc.lines.byteOffset(doc.text, f.Range.End)
			if start <= hi && lo <= end {
				d := s.diagnostics(doc.key(), doc, &analysis{doc: doc, findings: []finding.Finding{f}}, nil, nil, enc)[0]
				matches = append(matches, findingMatch{f, d})
			}
		}
	}
	return matches
}

// actionSet collects code actions in order, merging an action with the
// same title and edit as one already there into it: the merged action
// lists the diagnostics of both and is preferred when either is.
type actionSet struct {
	list  []protocol.CommandOrCodeAction
	byKey map[string]*protocol.CodeAction
}

func (as *actionSet) add(a *protocol.CodeAction) {
	edit, err := protocol.Marshal(a.Edit)
	if err != nil { // not comparable: keep it as it is
		as.list = append(as.list, a)
		return
	}
	key := a.Title + "\x00" + string(edit)
	prev := as.byKey[key]
	if prev == nil {
		as.byKey[key] = a
		as.list = append(as.list, a)
		return
	}
	prev.Diagnostics = append(prev.Diagnostics, a.Diagnostics...)
	if a.IsPreferred != nil && *a.IsPreferred {
		prev.IsPreferred = a.IsPreferred
	}
}

// wantsQuickFix reports whether a request filtered by kinds only accepts
// quick fixes.
func wantsQuickFix(only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, k := range only {
		if k == protocol.CodeActionKindQuickFix || k == "" {
			return true
		}
	}
	return false
}

// matchesDiagnostic reports whether the diagnostic d (as echoed by the
// client) stands for finding f: by the id in its data, else by rule and
// start line.
func matchesDiagnostic(doc *document, f *finding.Finding, d protocol.Diagnostic) bool {
	var data diagnosticDataJSON
	if len(d.Data) > 0 && json.Unmarshal(d.Data, &data) == nil && data.ID != "" {
		return data.ID == findingID(f)
	}
	code, _ := d.Code.(protocol.String)
	start := doc.lines.position(doc.text, doc.lines.byteOffset(doc.text, f.Range.Start), utf8Enc)
	return string(code) == f.Rule && start.Line == d.Range.Start.Line
}

// workspaceEdit converts byte edits of a fix to a WorkspaceEdit. Edits
// name their file or apply to file, the finding's.
func (s *Server) workspaceEdit(doc *document, file string, edits []finding.Edit, enc encoding) (*protocol.WorkspaceEdit, error) {
	changes := make(map[uri.URI][]protocol.TextEdit)
	texts := map[string]*document{doc.path: doc, doc.name(): doc}
	for _, e := range edits {
		name := e.File
		if name == "" {
			name = file
		}
		target := texts[name]
		if target == nil {
			target = s.textOf(name)
			texts[name] = target
		}
		if e.Start < 0 || e.End < e.Start || e.End > len(target.text) {
			return nil, fmt.Errorf("edit [%d,%d) is outside %s (%d bytes)", e.Start, e.End, name, len(target.text))
		}
		u := uri.URI(target.uri)
		changes[u] = append(changes[u], protocol.TextEdit{
			Range:   protocol.Range{Start: target.lines.position(target.text, e.Start, enc), End: target.lines.position(target.text, e.End, enc)},
			NewText: e.NewText,
		})
	}
	return &protocol.WorkspaceEdit{Changes: changes}, nil
}

// ignoreLineEdit inserts a suppression comment, indented like the flagged
// line, on the line above the finding.
func (s *Server) ignoreLineEdit(doc *document, f *finding.Finding, enc encoding) *protocol.WorkspaceEdit {
	off := doc.lines.byteOffset(doc.text, f.Range.Start)
	line := int(doc.lines.position(doc.text, off, utf8Enc).Line)
	start, end := doc.lines.lineBounds(doc.text, line)
	indent := doc.text[start : start+len(doc.text[start:end])-len(strings.TrimLeft(doc.text[start:end], " \t"))]
	pos := doc.lines.position(doc.text, start, enc)
	return &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{
		uri.URI(doc.uri): {{
			Range:   protocol.Range{Start: pos, End: pos},
			NewText: fmt.Sprintf("%s// leakls-ignore %s TODO: say why this is not a leak\n", indent, f.Rule),
		}},
	}}
}
