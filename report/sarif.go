package report

import (
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/relpath"
)

// SARIFSchema is the JSON schema URI written as "$schema".
const SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// srcRoot is the uriBaseId of paths under Options.Base. GitHub code
// scanning resolves it to the repository checkout.
const srcRoot = "%SRCROOT%"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

// sarifMultiformat is a SARIF multiformatMessageString: plain text, and
// the same in Markdown for viewers that render it.
type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name,omitempty"`
	ShortDescription     *sarifMultiformat `json:"shortDescription,omitempty"`
	FullDescription      *sarifMultiformat `json:"fullDescription,omitempty"`
	Help                 *sarifMultiformat `json:"help,omitempty"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration *sarifRuleConf    `json:"defaultConfiguration,omitempty"`
	Properties           *sarifRuleProps   `json:"properties,omitempty"`
}

type sarifRuleConf struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
}

type sarifResult struct {
	RuleID           string            `json:"ruleId"`
	RuleIndex        int               `json:"ruleIndex"`
	Level            string            `json:"level"`
	Message          sarifText         `json:"message"`
	Locations        []sarifLocation   `json:"locations"`
	RelatedLocations []sarifLocation   `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix        `json:"fixes,omitempty"`
	Properties       *sarifResultProps `json:"properties,omitempty"`
	// PartialFingerprints carry the signature of snapshot evidence, so
	// that code-scanning services match a leak across runs.
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
}

// sarifResultProps are a result's properties: the rules of the other kind
// that confirm it (finding.Finding.Confirmed), for code-scanning services
// to filter on.
type sarifResultProps struct {
	Confirmed []string `json:"confirmed"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifRegion carries text properties (lines, columns) and, for fix
// replacements, the exact byte range too; SARIF allows both when they
// describe the same bytes.
type sarifRegion struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "error"
	case finding.SeverityWarning:
		return "warning"
	default: // info, hint
		return "note"
	}
}

// SARIF writes findings as a SARIF 2.1.0 log with one run. Paths under
// opts.Base become URIs relative to the %SRCROOT% base ID (declared in
// originalUriBaseIds), which is what GitHub code scanning matches against
// repository files; other paths become absolute file URIs. Columns are
// UTF-16 code units (columnKind "utf16CodeUnits") when opts.Source gives
// the file's text. Each finding's fixes become SARIF fixes whose
// replacements carry both the byte range and the line/column region.
func SARIF(w io.Writer, findings []finding.Finding, opts Options) error {
	base := opts.Base
	if base == "" {
		base, _ = os.Getwd()
	}
	if abs, err := filepath.Abs(base); err == nil {
		base = abs
	}
	sw := sarifWriter{opts: opts, base: base, texts: make(map[string]*sourceText)}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "leakls",
			Version:        opts.ToolVersion,
			InformationURI: "https://github.com/leakls/leakls",
			Rules:          []sarifRule{},
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{srcRoot: {URI: fileURI(base, true)}},
		ColumnKind:         "utf16CodeUnits",
		Results:            make([]sarifResult, 0, len(findings)),
	}
	index := make(map[string]int)
	for _, id := range ruleIDs(findings) {
		index[id] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, describeRule(id))
	}
	for _, f := range findings {
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sw.physical(f.File, f.Range)}},
		}
		if f.Signature != "" {
			res.PartialFingerprints = map[string]string{"leaklsSignature/v1": f.Signature}
		}
		if len(f.Confirmed) > 0 {
			res.Properties = &sarifResultProps{Confirmed: f.Confirmed}
		}
		for i, rel := range f.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: sw.physical(rel.File, rel.Range),
				Message:          &sarifText{Text: rel.Message},
			})
		}
		for _, fix := range f.Fixes {
			res.Fixes = append(res.Fixes, sw.fix(f.File, fix))
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

type sarifWriter struct {
	opts  Options
	base  string
	texts map[string]*sourceText // see source
}

// sarifTags are the tags of every rule; a catalogue rule adds its category.
var sarifTags = []string{"memory-leak", "reliability"}

// describeRule describes rule id from the rule catalogue: its summary, its
// introduction, its whole page as help, and its default level. A rule the
// catalogue does not know is described by its ID alone.
func describeRule(id string) sarifRule {
	r := rules.Lookup(id)
	if r == nil {
		return sarifRule{ID: id, Properties: &sarifRuleProps{Tags: sarifTags}}
	}
	return sarifRule{
		ID:                   id,
		Name:                 r.Name,
		ShortDescription:     &sarifMultiformat{Text: r.Summary},
		FullDescription:      &sarifMultiformat{Text: r.Doc},
		Help:                 &sarifMultiformat{Text: r.Doc + "\n\nDocumentation: " + r.URL(), Markdown: r.Page},
		HelpURI:              r.URL(),
		DefaultConfiguration: &sarifRuleConf{Level: sarifLevel(r.Severity)},
		Properties:           &sarifRuleProps{Tags: append(slices.Clip(sarifTags), r.Category)},
	}
}

// source returns the text of file, indexed on first use, or nil.
func (sw *sarifWriter) source(file string) *sourceText {
	if sw.opts.Source == nil {
		return nil
	}
	if t, ok := sw.texts[file]; ok {
		return t
	}
	var t *sourceText
	if src, _ := sw.opts.Source(file); src != nil {
		t = newSourceText(src)
	}
	sw.texts[file] = t
	return t
}

func (sw *sarifWriter) artifact(file string) sarifArtifactLoc {
	abs := file
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(sw.base, file)
	}
	rel, ok := relpath.Under(sw.base, abs)
	if !ok {
		return sarifArtifactLoc{URI: fileURI(abs, false)}
	}
	return sarifArtifactLoc{URI: (&url.URL{Path: rel}).String(), URIBaseID: srcRoot}
}

func (sw *sarifWriter) physical(file string, r finding.Range) sarifPhysical {
	text := sw.source(file)
	return sarifPhysical{
		ArtifactLocation: sw.artifact(file),
		Region: sarifRegion{
			StartLine:   r.Start.Line + 1,
			StartColumn: text.utf16Col(r.Start) + 1,
			EndLine:     r.End.Line + 1,
			EndColumn:   text.utf16Col(r.End) + 1,
		},
	}
}

func (sw *sarifWriter) fix(file string, fix finding.Fix) sarifFix {
	sf := sarifFix{Description: sarifText{Text: fix.Message}}
	byFile := make(map[string]int) // file → index in ArtifactChanges
	for _, e := range fix.Edits {
		ef := e.File
		if ef == "" {
			ef = file
		}
		i, ok := byFile[ef]
		if !ok {
			i = len(sf.ArtifactChanges)
			byFile[ef] = i
			sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: sw.artifact(ef)})
		}
		off, n := e.Start, e.End-e.Start
		region := sarifRegion{ByteOffset: &off, ByteLength: &n}
		if text := sw.source(ef); text != nil && e.End <= len(text.src) {
			start, end := text.pos(e.Start), text.pos(e.End)
			region.StartLine, region.StartColumn = start.Line+1, text.utf16Col(start)+1
			region.EndLine, region.EndColumn = end.Line+1, text.utf16Col(end)+1
		}
		ac := &sf.ArtifactChanges[i]
		ac.Replacements = append(ac.Replacements, sarifReplacement{DeletedRegion: region, InsertedContent: sarifText{Text: e.NewText}})
	}
	return sf
}

// fileURI returns the file URI of the absolute path p, with a trailing
// slash when dir is set (a base URI must end in one).
func fileURI(p string, dir bool) string {
	s := filepath.ToSlash(p)
	if !strings.HasPrefix(s, "/") {
		s = "/" + s // Windows drive letters: file:///C:/...
	}
	if dir && !strings.HasSuffix(s, "/") {
		s += "/"
	}
	return (&url.URL{Scheme: "file", Path: s}).String()
}
