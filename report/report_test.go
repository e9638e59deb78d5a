package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/report/sariftest"
)

// src is a file with non-ASCII text before the finding on line 2, so that
// byte columns and UTF-16 columns differ.
const src = "const cache = new Map();\n/* é😀 */ cache.set(req.id, req);\n"

func pos(src string, off int) finding.Pos {
	line := strings.Count(src[:off], "\n")
	col := off - (strings.LastIndex(src[:off], "\n") + 1)
	return finding.Pos{Offset: off, Line: line, Col: col}
}

func span(src, sub string) finding.Range {
	i := strings.Index(src, sub)
	return finding.Range{Start: pos(src, i), End: pos(src, i+len(sub))}
}

func sample() []finding.Finding {
	set := strings.Index(src, "cache.set")
	return []finding.Finding{{
		Rule:     "LK001",
		File:     "svc/cache.js",
		Range:    span(src, "cache.set(req.id, req)"),
		Message:  "cache grows per call and is never evicted",
		Severity: finding.SeverityError,
		// Snapshot evidence grows the Map at this statement.
		Confirmed: []string{"LK101"},
		Related: []finding.Related{{
			Location: finding.Location{File: "svc/cache.js", Range: span(src, "cache = new Map()")},
			Message:  "declared here",
		}},
		Fixes: []finding.Fix{{
			Message: "Use a WeakMap",
			Edits:   []finding.Edit{{Start: set, End: set + len("cache"), NewText: "weak"}},
		}},
	}, {
		Rule:    "LK1xx-test",
		File:    "/elsewhere/app.js",
		Range:   finding.Range{Start: finding.Pos{Offset: -1, Line: 9, Col: 2}, End: finding.Pos{Offset: -1, Line: 9, Col: 8}},
		Message: "grew by 1200 objects\nbetween snapshots",
	}}
}

func opts(base string) Options {
	return Options{
		Base:        base,
		ToolVersion: "1.2.3",
		Source: func(p string) ([]byte, bool) {
			if filepath.Base(p) == "cache.js" {
				return []byte(src), true
			}
			return nil, false
		},
	}
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, FormatText, sample(), Options{}); err != nil {
		t.Fatal(err)
	}
	// "/* é😀 */ " is 13 bytes: the column is byte 14, 1-based.
	want := "svc/cache.js:2:14: LK001 cache grows per call and is never evicted\n" +
		"/elsewhere/app.js:10:3: LK1xx-test grew by 1200 objects between snapshots\n"
	if b.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, FormatJSON, sample(), opts("/work")); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Version  int
		Tool     struct{ Name, Version string }
		Rules    []struct{ ID, Name, Summary, HelpURI string }
		Findings []struct {
			Rule, Severity, File, Message string
			Range                         struct {
				Start, End struct{ Line, Column, Offset int }
			}
			Related   []struct{ File, Message string }
			Confirmed []string
			Fixes     []struct {
				Message string
				Edits   []struct {
					File       string
					Start, End int
					NewText    string
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b.String())
	}
	if got.Version != JSONVersion || got.Tool.Name != "leakls" || got.Tool.Version != "1.2.3" {
		t.Errorf("header: %+v %+v", got.Version, got.Tool)
	}
	lk001 := rules.Must("LK001")
	if len(got.Rules) != 2 || got.Rules[0].Name != lk001.Name || got.Rules[0].Summary != lk001.Summary || got.Rules[0].HelpURI != lk001.URL() ||
		got.Rules[1] != struct{ ID, Name, Summary, HelpURI string }{ID: "LK1xx-test"} {
		t.Errorf("rules: %+v", got.Rules)
	}
	if len(got.Findings) != 2 {
		t.Fatalf("findings: %+v", got.Findings)
	}
	f := got.Findings[0]
	if f.Rule != "LK001" || f.Severity != "error" || f.Range.Start.Line != 2 || f.Range.Start.Column != 14 ||
		f.Range.Start.Offset != strings.Index(src, "cache.set") || f.Related[0].Message != "declared here" {
		t.Errorf("finding 0: %+v", f)
	}
	if !slices.Equal(f.Confirmed, []string{"LK101"}) || got.Findings[1].Confirmed != nil {
		t.Errorf("confirmed: %v and %v, want [LK101] and none", f.Confirmed, got.Findings[1].Confirmed)
	}
	if e := f.Fixes[0].Edits[0]; e.File != "svc/cache.js" || e.NewText != "weak" {
		t.Errorf("edit file defaults to the finding's: %+v", e)
	}
	if g := got.Findings[1]; g.Severity != "warning" || g.Range.Start.Offset != -1 || g.Range.Start.Line != 10 {
		t.Errorf("finding 1: %+v", g)
	}
}

func TestSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, FormatSARIF, sample(), opts("/work")); err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(b.Bytes()); err != nil {
		t.Fatalf("invalid SARIF: %v\n%s", err, b.String())
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.OriginalURIBaseIDs[srcRoot].URI != "file:///work/" {
		t.Errorf("base: %+v", run.OriginalURIBaseIDs)
	}
	lk001 := rules.Must("LK001")
	if len(run.Tool.Driver.Rules) != 2 {
		t.Fatalf("rules: %+v", run.Tool.Driver.Rules)
	}
	if r := run.Tool.Driver.Rules[0]; r.ID != "LK001" || r.Name != lk001.Name || r.HelpURI != lk001.URL() ||
		r.ShortDescription.Text != lk001.Summary || r.FullDescription.Text != lk001.Doc ||
		r.Help.Markdown != lk001.Page || !strings.Contains(r.Help.Text, lk001.URL()) ||
		r.DefaultConfiguration.Level != "warning" || !slices.Contains(r.Properties.Tags, "retention") {
		t.Errorf("LK001 is not described from the rule catalogue: %+v", r)
	}
	if r := run.Tool.Driver.Rules[1]; r.ID != "LK1xx-test" || r.Name != "" || r.ShortDescription != nil || r.Help != nil || r.HelpURI != "" {
		t.Errorf("a rule the catalogue does not know: %+v", r)
	}
	r0 := run.Results[0]
	loc := r0.Locations[0].PhysicalLocation
	if loc.ArtifactLocation != (sarifArtifactLoc{URI: "svc/cache.js", URIBaseID: srcRoot}) {
		t.Errorf("artifact: %+v", loc.ArtifactLocation)
	}
	// "/* é😀 */ " is 10 UTF-16 code units (é is one, 😀 a surrogate pair).
	if want := (sarifRegion{StartLine: 2, StartColumn: 11, EndLine: 2, EndColumn: 11 + len("cache.set(req.id, req)")}); loc.Region != want {
		t.Errorf("region %+v, want %+v", loc.Region, want)
	}
	if r0.Level != "error" || r0.RuleIndex != 0 || len(r0.RelatedLocations) != 1 || r0.RelatedLocations[0].Message.Text != "declared here" {
		t.Errorf("result 0: %+v", r0)
	}
	rep := r0.Fixes[0].ArtifactChanges[0].Replacements[0]
	if *rep.DeletedRegion.ByteOffset != strings.Index(src, "cache.set") || *rep.DeletedRegion.ByteLength != 5 ||
		rep.DeletedRegion.StartColumn != 11 || rep.DeletedRegion.EndColumn != 16 || rep.InsertedContent.Text != "weak" {
		t.Errorf("replacement: %+v", rep)
	}
	if r0.Properties == nil || !slices.Equal(r0.Properties.Confirmed, []string{"LK101"}) || run.Results[1].Properties != nil {
		t.Errorf("properties %+v and %+v, want confirmed by LK101 and none", r0.Properties, run.Results[1].Properties)
	}
	r1 := run.Results[1]
	if r1.Locations[0].PhysicalLocation.ArtifactLocation != (sarifArtifactLoc{URI: "file:///elsewhere/app.js"}) || r1.Level != "warning" || r1.RuleIndex != 1 {
		t.Errorf("result 1: %+v", r1)
	}
}

func TestSARIFEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := sariftest.Validate(b.Bytes()); err != nil {
		t.Fatalf("invalid SARIF: %v\n%s", err, b.String())
	}
	if !strings.Contains(b.String(), `"results": []`) {
		t.Errorf("no empty results array:\n%s", b.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if g, err := ParseFormat(string(f)); err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "xml") {
		t.Errorf("ParseFormat(xml) = %v", err)
	}
	if err := Write(&bytes.Buffer{}, "xml", nil, Options{}); err == nil {
		t.Error("Write with an unknown format succeeded")
	}
}

func TestUTF16ColInvalidUTF8(t *testing.T) {
	src := []byte("a\xff\xfeb")
	if got := newSourceText(src).utf16Col(finding.Pos{Offset: 3, Line: 0, Col: 3}); got != 3 {
		t.Errorf("utf16Col over invalid bytes = %d, want 3", got)
	}
	if got := newSourceText(src).utf16Col(finding.Pos{Offset: -1, Line: 5, Col: 3}); got != 3 {
		t.Errorf("utf16Col past the end = %d, want the byte column 3", got)
	}
}

// TestSourceTextPositions compares the indexed conversions with decoding
// the text from the start of the line at every offset, in a text with
// runes of every width, invalid bytes and positions that cut a rune.
func TestSourceTextPositions(t *testing.T) {
	src := []byte("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xffb\n\n\xf0\x9f\x98\x80x\xe2\x82")
	text := newSourceText(src)
	line, start := 0, 0
	for off := 0; off <= len(src); off++ {
		if off > 0 && src[off-1] == '\n' {
			line, start = line+1, off
		}
		want := finding.Pos{Offset: off, Line: line, Col: off - start}
		if got := text.pos(off); got != want {
			t.Errorf("pos(%d) = %+v, want %+v", off, got, want)
		}
		units := 0
		for _, r := range string(src[start:off]) {
			units += utf16.RuneLen(r)
		}
		if got := text.utf16Col(want); got != units {
			t.Errorf("utf16Col(%+v) = %d, want %d", want, got, units)
		}
		if got := text.utf16Col(finding.Pos{Offset: -1, Line: line, Col: off - start}); got != units {
			t.Errorf("utf16Col of line %d column %d without an offset = %d, want %d", line, off-start, got, units)
		}
	}
}
