package sourcemap

import (
	"cmp"
	"slices"
)

// Mapping relates a generated position to an original one. Lines and
// columns are 0-based.
type Mapping struct {
	GenLine, GenCol   int
	Source            int // index into Map.Sources
	OrigLine, OrigCol int
	Name              int // index into Map.Names, or -1 when the segment names nothing
}

func (s segment) mapping() Mapping {
	return Mapping{
		GenLine: int(s.genLine), GenCol: int(s.genCol),
		Source: int(s.source), OrigLine: int(s.origLine), OrigCol: int(s.origCol),
		Name: int(s.name),
	}
}

// Original maps the generated position (line, col) to its original
// position: the segment of that generated line with the greatest column not
// after col. It returns false when no segment of the line starts at or
// before col, or when that segment maps to no source (generated-only code).
func (m *Map) Original(line, col int) (Mapping, bool) {
	// Narrow the search to the line's segments when the line index exists.
	lo, hi := 0, len(m.segs)
	if m.lines != nil {
		if line < 0 || line >= len(m.lines)-1 {
			return Mapping{}, false
		}
		lo, hi = int(m.lines[line]), int(m.lines[line+1])
	}
	// The first segment after (line, col); the one before it, if on the
	// same line, is the greatest lower bound.
	i, _ := slices.BinarySearchFunc(m.segs[lo:hi], [2]int{line, col}, func(s segment, p [2]int) int {
		if c := cmp.Compare(int(s.genLine), p[0]); c != 0 {
			return c
		}
		if int(s.genCol) <= p[1] {
			return -1
		}
		return 1
	})
	if i == 0 {
		return Mapping{}, false
	}
	s := m.segs[lo+i-1]
	if int(s.genLine) != line || s.source < 0 {
		return Mapping{}, false
	}
	return s.mapping(), true
}

// Generated returns every mapping whose original position is on the given
// line of source, sorted by original column and then by generated position.
// A line of an original file can appear several times in generated code
// (inlined, or split by a bundler), hence a slice.
func (m *Map) Generated(source, line int) []Mapping {
	m.byOrigOnce.Do(m.indexByOriginal)
	lo, _ := slices.BinarySearchFunc(m.byOrig, [2]int{source, line}, func(i int32, p [2]int) int {
		s := m.segs[i]
		return cmp.Or(cmp.Compare(int(s.source), p[0]), cmp.Compare(int(s.origLine), p[1]))
	})
	var out []Mapping
	for _, i := range m.byOrig[lo:] {
		s := m.segs[i]
		if int(s.source) != source || int(s.origLine) != line {
			break
		}
		out = append(out, s.mapping())
	}
	return out
}

// lineIndex returns the index of generated lines into segs, which are
// sorted by generated position: the segments of line L are
// segs[lines[L]:lines[L+1]]. It returns nil when the lines are so sparse
// that the index would dwarf the segments (an index map whose sections
// start at huge offsets); lookups then search all segments.
func lineIndex(segs []segment) []int32 {
	n := 0
	if len(segs) > 0 {
		n = int(segs[len(segs)-1].genLine) + 1
	}
	if n > 4*len(segs)+1024 {
		return nil
	}
	lines := make([]int32, n+1)
	j := 0
	for l := range lines {
		for j < len(segs) && int(segs[j].genLine) < l {
			j++
		}
		lines[l] = int32(j)
	}
	return lines
}

// indexByOriginal builds, on the first original-to-generated lookup, the
// order of segments by original position. Most uses only map generated
// positions back, so maps do not pay for this index until then.
func (m *Map) indexByOriginal() {
	idx := make([]int32, 0, len(m.segs))
	for i, s := range m.segs {
		if s.source >= 0 {
			idx = append(idx, int32(i))
		}
	}
	// Segments are already in generated order, so a stable sort keeps
	// generated order among equal original positions.
	slices.SortStableFunc(idx, func(a, b int32) int {
		x, y := m.segs[a], m.segs[b]
		return cmp.Or(
			cmp.Compare(x.source, y.source),
			cmp.Compare(x.origLine, y.origLine),
			cmp.Compare(x.origCol, y.origCol),
		)
	})
	m.byOrig = idx
}

// Len returns the number of decoded segments.
func (m *Map) Len() int { return len(m.segs) }
