// Package finding defines the one result type that every part of leakls
// produces and consumes: static rules and heap-snapshot evidence both report
// a Finding, and the CLI formats and the language server both render it.
//
// Positions are byte based (0-based line, 0-based byte column, byte offset),
// exactly as tree-sitter reports them. Conversion to 1-based columns (CLI,
// SARIF) or UTF-16 code units (LSP) happens at the output edge.
package finding

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Severity ranks how a finding is shown. The zero value is SeverityWarning.
type Severity int

// Severities, from the default (warning) to the most and least urgent.
const (
	SeverityWarning Severity = iota
	SeverityError
	SeverityInfo
	SeverityHint
)

// String returns the lower-case name used in config files and JSON output.
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityInfo:
		return "info"
	case SeverityHint:
		return "hint"
	default:
		return "warning"
	}
}

// MarshalText encodes the severity by name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// ParseSeverity parses "error", "warning", "info" or "hint".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return SeverityError, nil
	case "warning":
		return SeverityWarning, nil
	case "info":
		return SeverityInfo, nil
	case "hint":
		return SeverityHint, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, info or hint)", s)
}

// Pos is a position in a file. Offset is a byte offset from the start of the
// file; Line and Col are 0-based, Col counted in bytes. When only a line and
// column are known (for example from a heap snapshot), Offset is -1.
type Pos struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Col    int `json:"column"`
}

// Range is a half-open span [Start, End) in one file.
type Range struct {
	Start Pos `json:"start"`
	End   Pos `json:"end"`
}

// Location is a range in a named file. File is a path as the producer knows
// it (absolute, or relative to the directory the user gave).
type Location struct {
	File  string `json:"file"`
	Range Range  `json:"range"`
}

// Related is a secondary location that explains a finding: the removal that
// does not match, a hop of a retainer path, the declaration that is filled.
// Kind says which of these it is for snapshot evidence; static findings
// leave it empty.
type Related struct {
	Location
	Message string      `json:"message"`
	Kind    RelatedKind `json:"kind,omitempty"`
}

// RelatedKind says what a related location of snapshot evidence is.
type RelatedKind string

// The kinds of related locations of snapshot evidence, in the order an
// editor's go-to-definition visits them.
const (
	// RelatedHolder is the declaration of what holds the leaked objects:
	// the module variable, the class field, the emitter.
	RelatedHolder RelatedKind = "holder"
	// RelatedGrowth is a statement that adds to the holder, when the
	// finding is at another of them.
	RelatedGrowth RelatedKind = "growth"
	// RelatedAllocation is a frame of the stack that allocated the leaked
	// objects, from a snapshot with allocation traces.
	RelatedAllocation RelatedKind = "allocation"
	// RelatedHop is a hop of the retainer path.
	RelatedHop RelatedKind = "hop"
)

// Edit replaces the bytes [Start, End) of File with NewText. An empty File
// means the file of the finding.
type Edit struct {
	File    string `json:"file,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"newText"`
}

// Fix is one way to resolve a finding: a verb-phrase message ("Use once()")
// and the edits that carry it out. A finding's fixes are alternatives.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// Finding is one reported leak shape or piece of leak evidence.
type Finding struct {
	Rule     string    `json:"rule"` // stable ID, e.g. "LK002"
	File     string    `json:"file"`
	Range    Range     `json:"range"`
	Message  string    `json:"message"`
	Severity Severity  `json:"severity"`
	Related  []Related `json:"related,omitempty"`
	Fixes    []Fix     `json:"fixes,omitempty"`
	// Confirmed lists the rules of the other kind that flag the same
	// statement: on snapshot evidence whose growth site a static rule
	// flags, the static rules (LK001–LK007); on a static finding, the
	// snapshot rules (LK101–LK105) whose growth site it is. A confirmed
	// finding is the strongest signal leakls gives.
	Confirmed []string `json:"confirmed,omitempty"`
	// Signature identifies snapshot evidence across runs and machines: a
	// hash of what the leak is (rule, holder, where it is in the source,
	// class), never of sizes, counts or object ids ("" for static
	// findings). A CI baseline lists the signatures of known leaks.
	Signature string `json:"signature,omitempty"`
}

// Sign returns the signature of the evidence that parts describe (see
// Finding.Signature): 16 hexadecimal digits of their SHA-256.
func Sign(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Sort orders findings by file, position (line, column), rule and
// message: the one order of every report, the same on every run whatever
// order the findings were produced in.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.File, b.File),
			cmp.Compare(a.Range.Start.Line, b.Range.Start.Line),
			cmp.Compare(a.Range.Start.Col, b.Range.Start.Col),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message),
		)
	})
}
