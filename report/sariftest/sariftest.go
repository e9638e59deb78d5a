// Package sariftest checks that a document is a structurally valid SARIF
// 2.1.0 log, for tests of every command that writes SARIF. It checks the
// subset of the SARIF 2.1.0 specification (OASIS, 2020) that leakls uses,
// offline: property names are decoded strictly (a misspelled property is
// an error), and the constraints the specification states for those
// properties are checked (required properties, value sets, 1-based
// positions, rule indices, URI base IDs, unique related-location IDs).
package sariftest

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Validate returns an error describing every structural problem of data as
// a SARIF 2.1.0 log, or nil.
func Validate(data []byte) error {
	var log sarifLog
	// Property names are case-sensitive in SARIF; encoding/json would match
	// "startcolumn" to startColumn, the v2 decoder does not.
	if err := json.Unmarshal(data, &log, json.RejectUnknownMembers(true)); err != nil {
		return fmt.Errorf("sarif: decoding: %w", err)
	}
	v := &validator{}
	v.log(&log)
	return errors.Join(v.errs...)
}

type validator struct{ errs []error }

func (v *validator) errorf(format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("sarif: "+format, args...))
}

// The types below mirror the specification's property names; they are
// deliberately independent of the writer's types.
type sarifLog struct {
	Schema  *string `json:"$schema"`
	Version *string `json:"version"`
	Runs    []run   `json:"runs"`
}

type run struct {
	Tool               *tool                       `json:"tool"`
	OriginalURIBaseIDs map[string]artifactLocation `json:"originalUriBaseIds"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []result                    `json:"results"`
	Invocations        []jsontext.Value            `json:"invocations"`
	Properties         map[string]any              `json:"properties"`
}

type tool struct {
	Driver *component `json:"driver"`
}

type component struct {
	Name           string                `json:"name"`
	Version        string                `json:"version"`
	InformationURI string                `json:"informationUri"`
	Rules          []reportingDescriptor `json:"rules"`
}

type message struct {
	Text *string `json:"text"`
}

// multiformatMessageString is text, optionally also in Markdown.
type multiformatMessageString struct {
	Text     *string `json:"text"`
	Markdown *string `json:"markdown"`
}

type reportingDescriptor struct {
	ID                   string                    `json:"id"`
	Name                 string                    `json:"name"`
	ShortDescription     *multiformatMessageString `json:"shortDescription"`
	FullDescription      *multiformatMessageString `json:"fullDescription"`
	Help                 *multiformatMessageString `json:"help"`
	HelpURI              string                    `json:"helpUri"`
	DefaultConfiguration *struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties map[string]any `json:"properties"`
}

type result struct {
	RuleID           string         `json:"ruleId"`
	RuleIndex        *int           `json:"ruleIndex"`
	Level            string         `json:"level"`
	Message          *message       `json:"message"`
	Locations        []location     `json:"locations"`
	RelatedLocations []location     `json:"relatedLocations"`
	Fixes            []fix          `json:"fixes"`
	Properties       map[string]any `json:"properties"`
}

type location struct {
	ID               *int              `json:"id"`
	PhysicalLocation *physicalLocation `json:"physicalLocation"`
	Message          *message          `json:"message"`
}

type physicalLocation struct {
	ArtifactLocation *artifactLocation `json:"artifactLocation"`
	Region           *region           `json:"region"`
}

type artifactLocation struct {
	URI       *string `json:"uri"`
	URIBaseID string  `json:"uriBaseId"`
}

type region struct {
	StartLine   *int `json:"startLine"`
	StartColumn *int `json:"startColumn"`
	EndLine     *int `json:"endLine"`
	EndColumn   *int `json:"endColumn"`
	CharOffset  *int `json:"charOffset"`
	CharLength  *int `json:"charLength"`
	ByteOffset  *int `json:"byteOffset"`
	ByteLength  *int `json:"byteLength"`
}

type fix struct {
	Description     *message         `json:"description"`
	ArtifactChanges []artifactChange `json:"artifactChanges"`
}

type artifactChange struct {
	ArtifactLocation *artifactLocation `json:"artifactLocation"`
	Replacements     []replacement     `json:"replacements"`
}

type replacement struct {
	DeletedRegion   *region `json:"deletedRegion"`
	InsertedContent *struct {
		Text *string `json:"text"`
	} `json:"insertedContent"`
}

var levels = map[string]bool{"none": true, "note": true, "warning": true, "error": true}

func (v *validator) log(l *sarifLog) {
	if l.Version == nil || *l.Version != "2.1.0" {
		v.errorf(`version must be "2.1.0"`)
	}
	if l.Schema == nil || !strings.Contains(*l.Schema, "sarif") || !strings.Contains(*l.Schema, "2.1.0") {
		v.errorf(`$schema must name the SARIF 2.1.0 schema`)
	}
	if len(l.Runs) != 1 {
		v.errorf("want exactly one run, got %d", len(l.Runs))
	}
	for i := range l.Runs {
		v.run(fmt.Sprintf("runs[%d]", i), &l.Runs[i])
	}
}

func (v *validator) run(at string, r *run) {
	if r.Tool == nil || r.Tool.Driver == nil || r.Tool.Driver.Name == "" {
		v.errorf("%s.tool.driver.name is required", at)
		return
	}
	switch r.ColumnKind {
	case "", "utf16CodeUnits", "unicodeCodePoints":
	default:
		v.errorf("%s.columnKind %q is not a SARIF column kind", at, r.ColumnKind)
	}
	for id, base := range r.OriginalURIBaseIDs {
		if base.URI == nil {
			v.errorf("%s.originalUriBaseIds[%s].uri is required", at, id)
			continue
		}
		u, err := url.Parse(*base.URI)
		if err != nil || !u.IsAbs() || !strings.HasSuffix(u.Path, "/") {
			v.errorf("%s.originalUriBaseIds[%s].uri %q must be an absolute URI ending in /", at, id, *base.URI)
		}
	}
	rules := r.Tool.Driver.Rules
	ids := make(map[string]bool)
	for i, rd := range rules {
		if rd.ID == "" {
			v.errorf("%s.tool.driver.rules[%d].id is required", at, i)
		}
		if ids[rd.ID] {
			v.errorf("%s.tool.driver.rules: duplicate id %q", at, rd.ID)
		}
		ids[rd.ID] = true
		if rd.HelpURI != "" {
			if u, err := url.Parse(rd.HelpURI); err != nil || !u.IsAbs() {
				v.errorf("%s.tool.driver.rules[%d].helpUri %q is not an absolute URI", at, i, rd.HelpURI)
			}
		}
		if rd.DefaultConfiguration != nil && !levels[rd.DefaultConfiguration.Level] {
			v.errorf("%s.tool.driver.rules[%d].defaultConfiguration.level %q is not a SARIF level", at, i, rd.DefaultConfiguration.Level)
		}
		for _, d := range []struct {
			name string
			m    *multiformatMessageString
		}{{"shortDescription", rd.ShortDescription}, {"fullDescription", rd.FullDescription}, {"help", rd.Help}} {
			if d.m != nil && (d.m.Text == nil || *d.m.Text == "") {
				v.errorf("%s.tool.driver.rules[%d].%s needs text, also when it has markdown", at, i, d.name)
			}
			if d.m != nil && d.m.Markdown != nil && *d.m.Markdown == "" {
				v.errorf("%s.tool.driver.rules[%d].%s.markdown is empty", at, i, d.name)
			}
		}
	}
	if r.Results == nil {
		v.errorf("%s.results must be present (an empty array when nothing was found)", at)
	}
	for i := range r.Results {
		v.result(fmt.Sprintf("%s.results[%d]", at, i), &r.Results[i], rules, r.OriginalURIBaseIDs)
	}
}

func (v *validator) result(at string, res *result, rules []reportingDescriptor, bases map[string]artifactLocation) {
	if res.RuleID == "" {
		v.errorf("%s.ruleId is required", at)
	}
	if res.RuleIndex != nil {
		if *res.RuleIndex < 0 || *res.RuleIndex >= len(rules) {
			v.errorf("%s.ruleIndex %d is outside tool.driver.rules", at, *res.RuleIndex)
		} else if rules[*res.RuleIndex].ID != res.RuleID {
			v.errorf("%s.ruleIndex %d names rule %q, not ruleId %q", at, *res.RuleIndex, rules[*res.RuleIndex].ID, res.RuleID)
		}
	}
	if res.Level != "" && !levels[res.Level] {
		v.errorf("%s.level %q is not a SARIF level", at, res.Level)
	}
	if res.Message == nil || res.Message.Text == nil || *res.Message.Text == "" {
		v.errorf("%s.message.text is required", at)
	}
	if len(res.Locations) == 0 {
		v.errorf("%s.locations needs the finding's location", at)
	}
	for i, loc := range res.Locations {
		v.location(fmt.Sprintf("%s.locations[%d]", at, i), loc, bases)
	}
	seen := make(map[int]bool)
	for i, loc := range res.RelatedLocations {
		lat := fmt.Sprintf("%s.relatedLocations[%d]", at, i)
		if loc.ID != nil {
			if *loc.ID < 0 || seen[*loc.ID] {
				v.errorf("%s.id %d must be non-negative and unique", lat, *loc.ID)
			}
			seen[*loc.ID] = true
		}
		v.location(lat, loc, bases)
	}
	for i, f := range res.Fixes {
		fat := fmt.Sprintf("%s.fixes[%d]", at, i)
		if f.Description != nil && f.Description.Text == nil {
			v.errorf("%s.description needs text", fat)
		}
		if len(f.ArtifactChanges) == 0 {
			v.errorf("%s.artifactChanges must not be empty", fat)
		}
		for j, ac := range f.ArtifactChanges {
			aat := fmt.Sprintf("%s.artifactChanges[%d]", fat, j)
			v.artifact(aat+".artifactLocation", ac.ArtifactLocation, bases)
			if len(ac.Replacements) == 0 {
				v.errorf("%s.replacements must not be empty", aat)
			}
			for k, rp := range ac.Replacements {
				rat := fmt.Sprintf("%s.replacements[%d]", aat, k)
				if rp.DeletedRegion == nil {
					v.errorf("%s.deletedRegion is required", rat)
				} else {
					v.region(rat+".deletedRegion", rp.DeletedRegion)
				}
				if rp.InsertedContent != nil && rp.InsertedContent.Text == nil {
					v.errorf("%s.insertedContent needs text", rat)
				}
			}
		}
	}
}

func (v *validator) location(at string, loc location, bases map[string]artifactLocation) {
	if loc.PhysicalLocation == nil {
		v.errorf("%s.physicalLocation is required", at)
		return
	}
	v.artifact(at+".physicalLocation.artifactLocation", loc.PhysicalLocation.ArtifactLocation, bases)
	if loc.PhysicalLocation.Region == nil {
		v.errorf("%s.physicalLocation.region is required", at)
		return
	}
	r := loc.PhysicalLocation.Region
	if r.StartLine == nil {
		v.errorf("%s.physicalLocation.region.startLine is required", at)
	}
	v.region(at+".physicalLocation.region", r)
}

func (v *validator) artifact(at string, a *artifactLocation, bases map[string]artifactLocation) {
	if a == nil || a.URI == nil || *a.URI == "" {
		v.errorf("%s.uri is required", at)
		return
	}
	u, err := url.Parse(*a.URI)
	if err != nil {
		v.errorf("%s.uri %q is not a URI reference: %v", at, *a.URI, err)
		return
	}
	if a.URIBaseID != "" {
		if u.IsAbs() {
			v.errorf("%s.uri %q is absolute but has uriBaseId %q", at, *a.URI, a.URIBaseID)
		}
		if _, ok := bases[a.URIBaseID]; !ok {
			v.errorf("%s.uriBaseId %q is not declared in originalUriBaseIds", at, a.URIBaseID)
		}
	} else if !u.IsAbs() {
		v.errorf("%s.uri %q is relative without a uriBaseId", at, *a.URI)
	}
}

func (v *validator) region(at string, r *region) {
	text := r.StartLine != nil || r.StartColumn != nil || r.EndLine != nil || r.EndColumn != nil || r.CharOffset != nil
	if !text && r.ByteOffset == nil {
		v.errorf("%s has neither a text nor a binary range", at)
	}
	positive := func(name string, p *int) {
		if p != nil && *p < 1 {
			v.errorf("%s.%s is %d, must be ≥ 1", at, name, *p)
		}
	}
	positive("startLine", r.StartLine)
	positive("startColumn", r.StartColumn)
	positive("endLine", r.EndLine)
	positive("endColumn", r.EndColumn)
	if r.StartColumn != nil && r.StartLine == nil {
		v.errorf("%s.startColumn without startLine", at)
	}
	if r.StartLine != nil && r.EndLine != nil {
		if *r.EndLine < *r.StartLine {
			v.errorf("%s ends (line %d) before it starts (line %d)", at, *r.EndLine, *r.StartLine)
		} else if *r.EndLine == *r.StartLine && r.StartColumn != nil && r.EndColumn != nil && *r.EndColumn < *r.StartColumn {
			v.errorf("%s ends (column %d) before it starts (column %d)", at, *r.EndColumn, *r.StartColumn)
		}
	}
	for name, p := range map[string]*int{"charOffset": r.CharOffset, "charLength": r.CharLength, "byteOffset": r.ByteOffset, "byteLength": r.ByteLength} {
		if p != nil && *p < 0 {
			v.errorf("%s.%s is %d, must be ≥ 0", at, name, *p)
		}
	}
}
