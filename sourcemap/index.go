package sourcemap

import (
	"errors"
	"fmt"
	"math"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/leakls/leakls/internal/strtab"
)

// parseIndex flattens an index map: every section's map is parsed (index
// maps may nest, up to maxNesting levels), its segments are shifted by the
// section's offset, and sources and names are merged, each distinct string
// once, so that an index map answers lookups exactly like a plain map.
func parseIndex(raw *rawMap, depth int) (*Map, error) {
	if depth >= maxNesting {
		return nil, fmt.Errorf("index maps nested more than %d levels deep", maxNesting)
	}
	m := &Map{File: raw.File}
	sources := strtab.Table[int32]{Strings: []string{}}
	names := strtab.Table[int32]{Strings: []string{}}
	hasContent := false
	var contents []jsontext.Value
	prevLine, prevCol := -1, -1
	for i, sec := range raw.Sections {
		if sec.Offset == nil {
			return nil, fmt.Errorf("section %d: no \"offset\"", i)
		}
		line, col := sec.Offset.Line, sec.Offset.Column
		if line < 0 || col < 0 || line > math.MaxInt32 || col > math.MaxInt32 {
			return nil, fmt.Errorf("section %d: offset %d:%d out of range", i, line, col)
		}
		if line < prevLine || line == prevLine && col < prevCol {
			return nil, fmt.Errorf("section %d: offset %d:%d comes before the previous section's %d:%d (sections must be in order)", i, line, col, prevLine, prevCol)
		}
		prevLine, prevCol = line, col
		if sec.URL != "" {
			return nil, fmt.Errorf("section %d: sections that link to a map by \"url\" are not supported; embed the map in \"map\"", i)
		}
		if sec.Map == nil {
			return nil, fmt.Errorf("section %d: no \"map\"", i)
		}
		sub, err := parse(sec.Map, depth+1)
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", i, err)
		}
		// Translate the section's source and name indices into the merged
		// tables.
		srcMap := make([]int32, len(sub.Sources))
		for j, s := range sub.Sources {
			k := sources.Index(s)
			if int(k) == len(contents) {
				contents = append(contents, nil)
			}
			if j < len(sub.contents) && contents[k] == nil && string(sub.contents[j]) != "null" {
				contents[k] = sub.contents[j]
				hasContent = true
			}
			srcMap[j] = k
		}
		nameMap := make([]int32, len(sub.Names))
		for j, s := range sub.Names {
			nameMap[j] = names.Index(s)
		}
		if err := m.appendSection(sub, int32(line), int32(col), srcMap, nameMap); err != nil {
			return nil, fmt.Errorf("section %d: %w", i, err)
		}
		if i+1 < len(raw.Sections) {
			if next := raw.Sections[i+1].Offset; next != nil && len(sub.segs) > 0 {
				last := m.segs[len(m.segs)-1]
				if int(last.genLine) > next.Line || int(last.genLine) == next.Line && int(last.genCol) >= next.Column {
					return nil, fmt.Errorf("section %d: its mappings reach generated %d:%d, past the start of section %d at %d:%d", i, last.genLine, last.genCol, i+1, next.Line, next.Column)
				}
			}
		}
	}
	m.Sources, m.Names = sources.Strings, names.Strings
	if hasContent {
		m.contents = contents
	}
	m.lines = lineIndex(m.segs)
	return m, nil
}

// appendSection appends sub's segments, shifted by the section offset
// (line, col) — the column shift applies only to the section's first line —
// with source and name indices translated through srcMap and nameMap.
func (m *Map) appendSection(sub *Map, line, col int32, srcMap, nameMap []int32) error {
	for _, s := range sub.segs {
		if s.genLine == 0 {
			if int64(s.genCol)+int64(col) > math.MaxInt32 {
				return errors.New("generated column out of range after adding the section offset")
			}
			s.genCol += col
		}
		if int64(s.genLine)+int64(line) > math.MaxInt32 {
			return errors.New("generated line out of range after adding the section offset")
		}
		s.genLine += line
		if s.source >= 0 {
			s.source = srcMap[s.source]
		}
		if s.name >= 0 {
			s.name = nameMap[s.name]
		}
		m.segs = append(m.segs, s)
	}
	return nil
}
