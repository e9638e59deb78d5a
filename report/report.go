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
