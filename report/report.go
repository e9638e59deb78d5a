// Package report writes findings for people and tools: a grep- and
// editor-friendly text format, a versioned JSON shape and SARIF 2.1.0 for
// code-scanning services.
//
// Every format prints 1-based lines. Text and JSON columns are 1-based and
// counted in bytes (the convention of vim's errorformat, gcc, go vet and
// grep -b). SARIF columns are 1-based UTF-16 code units, SARIF's default
// column kind, converted from bytes with the file's text when Options.Source
// provides it.
package report

import (
	"fmt"
	"io"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/column"
)

// Format names an output format.
type Format string

// The supported formats.
const (
	FormatText  Format = "text"
	FormatJSON  Format = "json"
	FormatSARIF Format = "sarif"
)

// Formats lists the supported formats, for flag help and error messages.
var Formats = []Format{FormatText, FormatJSON, FormatSARIF}

// ParseFormat returns the Format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want text, json or sarif)", s)
}

// Options configures a writer. The zero value is usable: paths as they
// are in the findings, byte columns in SARIF too. Rule metadata (SARIF
// tool.driver.rules, JSON "rules") comes from the rule catalogue.
type Options struct {
	// Base is the directory relative finding paths are relative to. SARIF
	// writes paths under Base as URIs relative to the %SRCROOT% base ID
	// (what GitHub code scanning expects), and other paths as file URIs.
	// Empty means the current directory.
	Base string
	// Source returns a file's contents, so that SARIF can convert byte
	// columns to UTF-16 code units and give fixes line/column regions.
	Source func(path string) ([]byte, bool)
	// ToolVersion is the leakls version written into JSON and SARIF.
	ToolVersion string
}

// Write writes findings to w in format f.
func Write(w io.Writer, f Format, findings []finding.Finding, opts Options) error {
	switch f {
	case FormatText:
		return Text(w, findings)
	case FormatJSON:
		return JSON(w, findings, opts)
	case FormatSARIF:
		return SARIF(w, findings, opts)
	}
	return fmt.Errorf("unknown format %q (want text, json or sarif)", f)
}

// ruleIDs returns the distinct rule IDs of findings, in first-seen order.
func ruleIDs(findings []finding.Finding) []string {
	seen := make(map[string]bool)
	var ids []string
	for _, f := range findings {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			ids = append(ids, f.Rule)
		}
	}
	return ids
}

// utf16Col converts the 0-based byte column of pos to a 0-based column in
// UTF-16 code units, using the file's text. Bytes that are not valid UTF-8
// count as one unit each (they decode to U+FFFD). Without the text, or when
// the position does not fit it, the byte column is returned.
func utf16Col(src []byte, pos finding.Pos) int {
	if src == nil {
		return pos.Col
	}
	start := lineStart(src, pos)
	if start < 0 || start+pos.Col > len(src) {
		return pos.Col
	}
	return column.UTF16(src[start : start+pos.Col])
}

// lineStart returns the byte offset of the start of pos's line, or -1.
func lineStart(src []byte, pos finding.Pos) int {
	if pos.Offset >= 0 && pos.Offset-pos.Col >= 0 && pos.Offset <= len(src) {
		return pos.Offset - pos.Col
	}
	off := 0
	for line := 0; line < pos.Line; line++ {
		i := indexNewline(src[off:])
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off
}

func indexNewline(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return -1
}

// offsetPos returns the 0-based line and byte column of byte offset off.
func offsetPos(src []byte, off int) finding.Pos {
	if off > len(src) {
		off = len(src)
	}
	p := finding.Pos{Offset: off}
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			p.Line++
			p.Col = 0
		} else {
			p.Col++
		}
	}
	return p
}
