package sourcemap

import (
	"strings"
	"testing"
)

// TestParseErrors feeds broken maps and requires an error that names the
// problem and, for mappings, the generated line and segment.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"empty input", ``, "cannot decode the JSON"},
		{"not an object", `[1,2]`, "cannot decode the JSON"},
		{"wrong type", `{"version":3,"sources":[1],"mappings":""}`, `within "/sources/0"`}, // the JSON v2 package varies its wording on purpose
		{"no version", `{"sources":[],"mappings":""}`, `no "version"`},
		{"version 2", `{"version":2,"sources":[],"mappings":""}`, "unsupported version 2"},
		{"no mappings", `{"version":3,"sources":[]}`, `no "mappings"`},
		{"no sources", `{"version":3,"mappings":""}`, `no "sources"`},
		{"bad base64", `{"version":3,"sources":["a.js"],"mappings":"AAAA;AA!A"}`, `generated line 1, segment 0: invalid base64 character '!' at byte 7`},
		{"source out of range", `{"version":3,"sources":["a.js"],"mappings":"AAAA,CCAA"}`, "generated line 0, segment 1: source index 1 out of range (the map has 1 sources)"},
		{"name out of range", `{"version":3,"sources":["a.js"],"names":["x"],"mappings":";;AAAAC"}`, "generated line 2, segment 0: name index 1 out of range (the map has 1 names)"},
		{"two fields", `{"version":3,"sources":["a.js"],"mappings":"AA"}`, "segment has 2 fields"},
		{"six fields", `{"version":3,"sources":["a.js"],"names":["x"],"mappings":"AAAAAA"}`, "more than 5 fields"},
		{"truncated VLQ", `{"version":3,"sources":["a.js"],"mappings":"AAAg"}`, "truncated VLQ"},
		{"VLQ overflow", `{"version":3,"sources":["a.js"],"mappings":"ggggggggggA"}`, "does not fit in 32 bits"},
		{"negative column", `{"version":3,"sources":["a.js"],"mappings":"D"}`, "generated column -1 out of range"},
		{"negative original line", `{"version":3,"sources":["a.js"],"mappings":"AADA"}`, "original line -1 out of range"},
		{"contents length", `{"version":3,"sources":["a.js"],"sourcesContent":[],"mappings":""}`, `"sourcesContent" has 0 entries but "sources" has 1`},
		{"sections and mappings", `{"version":3,"sections":[],"mappings":""}`, `both "sections" and "mappings"`},
		{"section url", `{"version":3,"sections":[{"offset":{"line":0,"column":0},"url":"a.map"}]}`, `section 0: sections that link to a map by "url" are not supported`},
		{"section without offset", `{"version":3,"sections":[{"map":{"version":3,"sources":[],"mappings":""}}]}`, `section 0: no "offset"`},
		{"sections out of order", `{"version":3,"sections":[
			{"offset":{"line":5,"column":0},"map":{"version":3,"sources":[],"mappings":""}},
			{"offset":{"line":1,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}`, "section 1: offset 1:0 comes before the previous section's 5:0"},
		{"sections overlap", `{"version":3,"sections":[
			{"offset":{"line":0,"column":0},"map":{"version":3,"sources":["a.js"],"mappings":";;AAAA"}},
			{"offset":{"line":1,"column":0},"map":{"version":3,"sources":[],"mappings":""}}]}`, "section 0: its mappings reach generated 2:0, past the start of section 1 at 1:0"},
		{"bad section map", `{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{"version":3,"sources":[],"mappings":"AAAA"}}]}`, "section 0: mappings: generated line 0, segment 0: source index 0 out of range"},
		{"nested too deep", strings.Repeat(`{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":`, 10) +
			`{"version":3,"sources":[],"mappings":""}` + strings.Repeat(`}]}`, 10), "nested more than 8 levels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.json))
			if err == nil {
				t.Fatalf("Parse succeeded (%d segments), want an error containing %q", m.Len(), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "source map: ") {
				t.Errorf("error %q does not say it is about a source map", err)
			}
		})
	}
}

// TestLookupEdges covers what real generators rarely emit: segments out of
// column order, generated-only segments, columns before the first segment,
// lines without segments, and the XSSI prefix.
func TestLookupEdges(t *testing.T) {
	// Line 0: col 2 -> a.js 0:2, then col 0 -> a.js 0:0 (out of order).
	// Line 1: empty. Line 2: col 1 -> a.js 1:0 "x", col 5 generated only.
	m, err := Parse([]byte(")]}'\n" + `{"version":3,"sources":["a.js"],"names":["x"],"mappings":"EAAE,FAAF;;CACAA,I"}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line, col int
		ok        bool
		origLine  int
		origCol   int
		name      int
	}{
		{0, 0, true, 0, 0, -1},
		{0, 1, true, 0, 0, -1},
		{0, 2, true, 0, 2, -1},
		{0, 99, true, 0, 2, -1},
		{1, 0, false, 0, 0, 0},
		{2, 0, false, 0, 0, 0},
		{2, 1, true, 1, 0, 0},
		{2, 4, true, 1, 0, 0},
		{2, 5, false, 0, 0, 0},
		{3, 0, false, 0, 0, 0},
		{-1, 0, false, 0, 0, 0},
	}
	for _, tt := range tests {
		mp, ok := m.Original(tt.line, tt.col)
		if ok != tt.ok || ok && (mp.OrigLine != tt.origLine || mp.OrigCol != tt.origCol || mp.Name != tt.name || mp.Source != 0) {
			t.Errorf("Original(%d, %d) = %+v, %v; want ok=%v %d:%d name %d", tt.line, tt.col, mp, ok, tt.ok, tt.origLine, tt.origCol, tt.name)
		}
	}
	got := m.Generated(0, 0)
	if len(got) != 2 || got[0].GenCol != 0 || got[0].OrigCol != 0 || got[1].GenCol != 2 || got[1].OrigCol != 2 {
		t.Errorf("Generated(0, 0) = %+v, want the two segments of line 0 by original column", got)
	}
	if got := m.Generated(0, 1); len(got) != 1 || got[0].GenLine != 2 || got[0].GenCol != 1 {
		t.Errorf("Generated(0, 1) = %+v", got)
	}
	if got := m.Generated(1, 0); got != nil {
		t.Errorf("Generated of a missing source = %+v", got)
	}
}

func TestJoinSourceRoot(t *testing.T) {
	tests := []struct{ root, source, want string }{
		{"", "a.ts", "a.ts"},
		{"src", "a.ts", "src/a.ts"},
		{"src/", "a.ts", "src/a.ts"},
		{"https://example.com/app", "lib/a.ts", "https://example.com/app/lib/a.ts"},
		{"src", "/abs/a.ts", "/abs/a.ts"},
		{"src", "webpack://app/a.ts", "webpack://app/a.ts"},
		{"file:///root/", "../a.ts", "file:///root/../a.ts"},
	}
	for _, tt := range tests {
		if got := joinSourceRoot(tt.root, tt.source); got != tt.want {
			t.Errorf("joinSourceRoot(%q, %q) = %q, want %q", tt.root, tt.source, got, tt.want)
		}
	}
}

func TestSourcePath(t *testing.T) {
	m, err := Parse([]byte(`{"version":3,"sources":["../src/a%20b.ts","file:///abs/c%23d.ts","webpack://app/e.ts","/rooted/f.ts","100%.ts",null],"mappings":""}`))
	if err != nil {
		t.Fatal(err)
	}
	m.base = "/work/dist"
	want := []string{"/work/src/a b.ts", "/abs/c#d.ts", "webpack://app/e.ts", "/rooted/f.ts", "/work/dist/100%.ts", ""}
	for i, w := range want {
		if got := m.SourcePath(i); got != w {
			t.Errorf("SourcePath(%d) = %q, want %q", i, got, w)
		}
	}
	if got := m.SourcePath(len(want)); got != "" {
		t.Errorf("SourcePath out of range = %q", got)
	}
	if i := m.SourceIndex("/abs/c#d.ts"); i != 1 {
		t.Errorf("SourceIndex by path = %d, want 1", i)
	}
	if i := m.SourceIndex("webpack://app/e.ts"); i != 2 {
		t.Errorf("SourceIndex by URL = %d, want 2", i)
	}
}

// TestSparseLines covers maps whose generated lines are so sparse that no
// line index is built: lookups must give the same answers without it.
func TestSparseLines(t *testing.T) {
	plain := `{"version":3,"sources":["a.js"],"mappings":"` + strings.Repeat(";", 3000) + `AAAA,EAAE"}`
	index := `{"version":3,"sections":[{"offset":{"line":1000000,"column":7},"map":{"version":3,"sources":["a.js"],"mappings":"AAAA;CACA"}}]}`
	for _, tt := range []struct {
		name, json string
		line, col  int
		origLine   int
		origCol    int
		empty      int // a line without mappings
	}{
		{"plain", plain, 3000, 3, 0, 2, 2999},
		{"index", index, 1000000, 7, 0, 0, 999999},
		{"index second line", index, 1000001, 1, 1, 0, 1000002},
	} {
		m, err := Parse([]byte(tt.json))
		if err != nil {
			t.Fatal(err)
		}
		if m.lines != nil {
			t.Errorf("%s: a line index was built for %d segments", tt.name, m.Len())
		}
		mp, ok := m.Original(tt.line, tt.col)
		if !ok || mp.OrigLine != tt.origLine || mp.OrigCol != tt.origCol {
			t.Errorf("%s: Original(%d, %d) = %+v, %v; want %d:%d", tt.name, tt.line, tt.col, mp, ok, tt.origLine, tt.origCol)
		}
		if mp, ok := m.Original(tt.empty, 1<<20); ok {
			t.Errorf("%s: line %d without mappings maps to %+v", tt.name, tt.empty, mp)
		}
	}
}

// TestLenientJSON accepts what browsers accept: invalid UTF-8 in a source's
// text and repeated members.
func TestLenientJSON(t *testing.T) {
	m, err := Parse([]byte("{\"version\":3,\"sources\":[\"a.js\"],\"sourcesContent\":[\"caf\xe9\"],\"mappings\":\"AAAA\",\"mappings\":\"CAAC\"}"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m.SourceContent(0); got != "caf\ufffd" {
		t.Errorf("SourceContent = %q, want the invalid byte replaced", got)
	}
	if mp, ok := m.Original(0, 1); !ok || mp.OrigCol != 1 {
		t.Errorf("the last mappings member was not used: %+v, %v", mp, ok)
	}
}
