// Package sourcemap reads Source Map v3 files (ECMA-426) and maps positions
// between generated code and its original sources.
//
// It decodes the VLQ "mappings" into one flat, sorted array of int32 segments,
// flattens index maps ("sections") into the same form, applies "sourceRoot",
// keeps "sourcesContent" undecoded until asked for, and finds a generated
// file's map the way runtimes do: the last sourceMappingURL comment (a file
// path, a file: URL or an inline data: URL), else a ".map" file next to it.
//
// All lines and columns are 0-based. Columns count what the generator
// counted; esbuild and tsc count UTF-16 code units, which equal bytes on
// ASCII lines.
//
// A Map is immutable after Parse and safe for concurrent use.
package sourcemap

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"path/filepath"
	"strings"
	"sync"
)

// Map is a decoded source map.
type Map struct {
	// File is the generated file's name as the map records it (may be "").
	File string
	// Sources are the original sources, with sourceRoot already applied.
	// Entries are URLs or paths as the generator wrote them; SourcePath
	// resolves one to a local path.
	Sources []string
	// Names are the original identifiers segments may refer to.
	Names []string
	// URL is where the map was read from: the .map file's path, or the
	// "data:" prefix of an inline map. It is "" for a map given to Parse.
	URL string

	base     string           // directory relative sources resolve against
	contents []jsontext.Value // sourcesContent, parallel to Sources; decoded on demand
	segs     []segment        // sorted by generated line, then column
	lines    []int32          // see lineIndex; nil for very sparse maps

	pathsOnce sync.Once
	paths     []string // SourcePath of each source

	byOrigOnce sync.Once
	byOrig     []int32 // indices of segs with a source, sorted by original position
}

// rawMap is the JSON form of a map or an index map.
type rawMap struct {
	Version        *int             `json:"version"`
	File           string           `json:"file"`
	SourceRoot     string           `json:"sourceRoot"`
	Sources        []*string        `json:"sources"`
	SourcesContent []jsontext.Value `json:"sourcesContent"`
	Names          []string         `json:"names"`
	Mappings       *string          `json:"mappings"`
	Sections       []rawSection     `json:"sections"`
}

type rawSection struct {
	Offset *struct {
		Line   int `json:"line"`
		Column int `json:"column"`
	} `json:"offset"`
	URL string         `json:"url"`
	Map jsontext.Value `json:"map"`
}

// lenient accepts what generators in the wild write and browsers read:
// invalid UTF-8 (in sourcesContent copied from files in other encodings,
// replaced by U+FFFD) and repeated member names (the last one wins).
var lenient = json.JoinOptions(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))

// maxNesting bounds how deep index maps may nest, so that a hostile map
// cannot exhaust the stack.
const maxNesting = 8

// xssiPrefix may precede a map served over HTTP; the format says to skip
// the first line when it starts with it.
const xssiPrefix = ")]}'"

// Parse decodes a source map or an index map. The error says what is wrong
// and where (the field, or the generated line and segment of a bad mapping).
func Parse(data []byte) (*Map, error) {
	if bytes.HasPrefix(data, []byte(xssiPrefix)) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			data = data[i+1:]
		} else {
			data = nil
		}
	}
	m, err := parse(data, 0)
	if err != nil {
		return nil, fmt.Errorf("source map: %w", err)
	}
	return m, nil
}

func parse(data []byte, depth int) (*Map, error) {
	// The JSON v2 decoder validates and decodes in one pass; with
	// encoding/json, validation (checkValid) and the rescans of large
	// string values took half of the time, and decoding the map of a 14 MB
	// bundle (BenchmarkParse) used twice the CPU.
	var raw rawMap
	if err := json.Unmarshal(data, &raw, lenient); err != nil {
		return nil, fmt.Errorf("cannot decode the JSON: %w", err)
	}
	switch {
	case raw.Version == nil:
		return nil, errors.New(`no "version" field (want 3)`)
	case *raw.Version != 3:
		return nil, fmt.Errorf("unsupported version %d (only version 3 is supported)", *raw.Version)
	}
	if raw.Sections != nil {
		if raw.Mappings != nil {
			return nil, errors.New(`an index map cannot have both "sections" and "mappings"`)
		}
		return parseIndex(&raw, depth)
	}
	if raw.Mappings == nil {
		return nil, errors.New(`no "mappings" field`)
	}
	if raw.Sources == nil {
		return nil, errors.New(`no "sources" field`)
	}
	if raw.SourcesContent != nil && len(raw.SourcesContent) != len(raw.Sources) {
		return nil, fmt.Errorf(`"sourcesContent" has %d entries but "sources" has %d`, len(raw.SourcesContent), len(raw.Sources))
	}
	m := &Map{
		File:     raw.File,
		Sources:  make([]string, len(raw.Sources)),
		Names:    raw.Names,
		contents: raw.SourcesContent,
	}
	for i, s := range raw.Sources {
		if s != nil {
			m.Sources[i] = joinSourceRoot(raw.SourceRoot, *s)
		}
	}
	var err error
	m.segs, err = decodeMappings(*raw.Mappings, len(m.Sources), len(m.Names))
	if err != nil {
		return nil, err
	}
	m.lines = lineIndex(m.segs)
	return m, nil
}

// joinSourceRoot applies a map's sourceRoot to one source: an absolute
// source (a URL with a scheme, or a rooted path) is kept as is, a relative
// one is appended to the root with exactly one "/" between them, which is
// what browsers and the source-map library do.
func joinSourceRoot(root, source string) string {
	if root == "" || isAbsoluteURL(source) || strings.HasPrefix(source, "/") {
		return source
	}
	if !strings.HasSuffix(root, "/") {
		root += "/"
	}
	return root + source
}

// isAbsoluteURL reports whether s starts with a URL scheme ("file:",
// "webpack:", "data:", …). A one-letter scheme is not accepted, so that a
// Windows drive ("C:") is not taken for one.
func isAbsoluteURL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ':':
			return i > 1
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return false
}

// SourceContent returns the original text of source i from "sourcesContent",
// and false when the map does not embed it.
func (m *Map) SourceContent(i int) (string, bool) {
	if i < 0 || i >= len(m.contents) {
		return "", false
	}
	var s *string
	if err := json.Unmarshal(m.contents[i], &s, lenient); err != nil || s == nil {
		return "", false
	}
	return *s, true
}

// SourceIndex returns the index of the source whose SourcePath or Sources
// entry equals name, or -1.
func (m *Map) SourceIndex(name string) int {
	for i, s := range m.Sources {
		if s == name || m.SourcePath(i) == name {
			return i
		}
	}
	return -1
}

// SourcePath resolves source i to a local path when it names a file: a
// file: URL becomes its path, a relative source is joined to the directory
// of the map (or of the generated file, for an inline map). Other URLs
// ("webpack://…") are returned unchanged. Percent-escapes are decoded.
func (m *Map) SourcePath(i int) string {
	if i < 0 || i >= len(m.Sources) {
		return ""
	}
	// Resolved once for all sources: a report resolves the same few
	// sources for every position it maps.
	m.pathsOnce.Do(func() {
		m.paths = make([]string, len(m.Sources))
		for j, s := range m.Sources {
			m.paths[j] = resolve(m.base, s)
		}
	})
	return m.paths[i]
}

// resolve turns a URL reference found in a map or a generated file into a
// local path, relative to the directory base when it is relative.
func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	if isAbsoluteURL(ref) {
		if p, ok := fileURLPath(ref); ok {
			return p
		}
		return ref
	}
	p := filepath.FromSlash(unescape(ref))
	if base == "" || filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}
