package lsp

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// document is one immutable version of a text document. Every edit makes a
// new document, so an analysis or a request that holds a document sees one
// consistent text even while later edits arrive.
type document struct {
	uri     string // exactly as the client sent it; echoed back verbatim
	path    string // file system path for file: URIs, else ""
	lang    string // languageId from didOpen
	version int32
	text    string
	lines   lineIndex
	// edits made this version from the one before it, in the order they
	// were applied (each in the text the ones before it produced); nil for
	// a version not made by didChange.
	edits []byteEdit
}

func newDocument(rawURI, lang string, version int32, text string) *document {
	return &document{
		uri:     rawURI,
		path:    filePath(rawURI),
		lang:    lang,
		version: version,
		text:    text,
		lines:   newLineIndex(text),
	}
}

// filePath returns the file system path of a file: URI, or "" for any other
// scheme (untitled:, git:, vscode-notebook-cell: …) or a URI that does not
// parse.
func filePath(rawURI string) string {
	u, err := uri.Parse(rawURI)
	if err != nil || !u.IsFile() {
		return ""
	}
	return filepath.Clean(u.FsPath())
}

// fileURI returns the URI the server uses for a file it found on disk.
func fileURI(p string) string { return string(uri.File(p)) }

// key identifies the document's file state: its path for files on disk (so
// that a file seen by the workspace scan and opened by the editor is one
// entry), its URI otherwise.
func (d *document) key() string {
	if d.path != "" {
		return d.path
	}
	return d.uri
}

// name is the file name given to the analyzers: the path on disk, or for
// documents that have none a name whose extension follows the languageId, so
// that the right grammar is chosen.
func (d *document) name() string {
	if d.path != "" {
		return d.path
	}
	ext := path.Ext(d.uri)
	switch d.lang {
	case "javascript":
		ext = ".js"
	case "javascriptreact":
		ext = ".jsx"
	case "typescript":
		ext = ".ts"
	case "typescriptreact":
		ext = ".tsx"
	}
	return "untitled" + ext
}

// withChanges returns the document after applying changes in order, at
// version. Each range is resolved against the text produced by the changes
// before it, as the protocol specifies.
func (d *document) withChanges(version int32, changes []protocol.TextDocumentContentChangeEvent, enc encoding) (*document, error) {
	text, lines := d.text, d.lines
	edits := make([]byteEdit, 0, len(changes))
	for i, c := range changes {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			edits = append(edits, diffEdit(text, c.Text))
			text = c.Text
		case *protocol.TextDocumentContentChangePartial:
			start := lines.offset(text, c.Range.Start, enc)
			end := lines.offset(text, c.Range.End, enc)
			if end < start {
				return nil, fmt.Errorf("change %d of version %d: range end %d:%d is before its start %d:%d",
					i, version, c.Range.End.Line, c.Range.End.Character, c.Range.Start.Line, c.Range.Start.Character)
			}
			edits = append(edits, byteEdit{start: start, end: end, n: len(c.Text)})
			var b strings.Builder
			b.Grow(len(text) - (end - start) + len(c.Text))
			b.WriteString(text[:start])
			b.WriteString(c.Text)
			b.WriteString(text[end:])
			text = b.String()
		default:
			return nil, fmt.Errorf("change %d of version %d has neither text nor range", i, version)
		}
		lines = newLineIndex(text)
	}
	return &document{uri: d.uri, path: d.path, lang: d.lang, version: version, text: text, lines: lines, edits: edits}, nil
}
