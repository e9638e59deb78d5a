package report

import (
	"encoding/json"
	"io"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
)

// JSONVersion is the version of the JSON shape written by JSON. It changes
// only when a field changes meaning or disappears; adding fields keeps it.
// The shape is documented in docs/json.md.
const JSONVersion = 1

// jsonReport is the top-level object of the JSON format.
type jsonReport struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Rules    []jsonRule    `json:"rules"`
	Findings []jsonFinding `json:"findings"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

type jsonRule struct {
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Summary string `json:"summary,omitempty"`
	HelpURI string `json:"helpUri,omitempty"`
}

type jsonFinding struct {
	Rule     string        `json:"rule"`
	Severity string        `json:"severity"`
	File     string        `json:"file"`
	Range    jsonRange     `json:"range"`
	Message  string        `json:"message"`
	Related  []jsonRelated `json:"related,omitempty"`
	Fixes    []jsonFix     `json:"fixes,omitempty"`
	// Confirmed lists the rules of the other kind that flag the same
	// statement (see finding.Finding.Confirmed).
	Confirmed []string `json:"confirmed,omitempty"`
	// Signature identifies snapshot evidence across runs (see
	// finding.Finding.Signature).
	Signature string `json:"signature,omitempty"`
}

// jsonPos is a position with a 1-based line, a 1-based byte column and a
// 0-based byte offset (-1 when only the line and column are known).
type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

type jsonRange struct {
	Start jsonPos `json:"start"`
	End   jsonPos `json:"end"`
}

type jsonRelated struct {
	File    string    `json:"file"`
	Range   jsonRange `json:"range"`
	Message string    `json:"message"`
	Kind    string    `json:"kind,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File    string `json:"file"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"newText"`
}

// JSON writes findings as one JSON object in the versioned shape documented
// in docs/json.md: lines and columns 1-based, columns and offsets in bytes.
func JSON(w io.Writer, findings []finding.Finding, opts Options) error {
	r := jsonReport{
		Version: JSONVersion,
		Tool:    jsonTool{Name: "leakls", Version: opts.ToolVersion},
		Rules:   []jsonRule{},
	}
	for _, id := range ruleIDs(findings) {
		jr := jsonRule{ID: id}
		if info := rules.Lookup(id); info != nil {
			jr = jsonRule{ID: id, Name: info.Name, Summary: info.Summary, HelpURI: info.URL()}
		}
		r.Rules = append(r.Rules, jr)
	}
	r.Findings = jsonFindings(findings)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// FindingsJSON encodes findings as the "findings" array of the JSON format
// (docs/json.md), for other JSON documents that carry findings, such as the
// holders in the source of a heap snapshot report.
func FindingsJSON(findings []finding.Finding) (json.RawMessage, error) {
	return json.Marshal(jsonFindings(findings))
}

// jsonFindings converts findings to their JSON shape; never nil, so that no
// findings encode as [].
func jsonFindings(findings []finding.Finding) []jsonFinding {
	out := make([]jsonFinding, 0, len(findings))
	for _, f := range findings {
		jf := jsonFinding{
			Rule:      f.Rule,
			Severity:  f.Severity.String(),
			File:      f.File,
			Range:     toJSONRange(f.Range),
			Message:   f.Message,
			Confirmed: f.Confirmed,
			Signature: f.Signature,
		}
		for _, rel := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{File: rel.File, Range: toJSONRange(rel.Range), Message: rel.Message, Kind: string(rel.Kind)})
		}
		for _, fix := range f.Fixes {
			jfix := jsonFix{Message: fix.Message, Edits: make([]jsonEdit, 0, len(fix.Edits))}
			for _, e := range fix.Edits {
				file := e.File
				if file == "" {
					file = f.File
				}
				jfix.Edits = append(jfix.Edits, jsonEdit{File: file, Start: e.Start, End: e.End, NewText: e.NewText})
			}
			jf.Fixes = append(jf.Fixes, jfix)
		}
		out = append(out, jf)
	}
	return out
}

func toJSONRange(r finding.Range) jsonRange {
	return jsonRange{Start: toJSONPos(r.Start), End: toJSONPos(r.End)}
}

func toJSONPos(p finding.Pos) jsonPos {
	return jsonPos{Line: p.Line + 1, Column: p.Col + 1, Offset: p.Offset}
}
