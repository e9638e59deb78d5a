package sourcemap

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// segment is one decoded mapping: a generated position and, when source is
// not -1, the original position it came from. Fields are int32, as in
// esbuild's source-map code, so that a segment is 24 bytes and a large
// bundle's mappings stay one flat, pointer-free array the GC never scans.
type segment struct {
	genLine, genCol   int32
	source            int32 // index into Map.Sources, or -1 (no original)
	origLine, origCol int32
	name              int32 // index into Map.Names, or -1
}

// base64Value maps a base64 digit to its 6-bit value, and every other byte to
// -1, so the decoder needs one table load per character.
var base64Value = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(digits) {
		t[digits[i]] = int8(i)
	}
	return t
}()

// decoder holds the running state of a "mappings" decode: the VLQ fields of
// a segment are deltas from the previous segment (source, original line,
// original column and name over the whole string; generated column within
// one line).
type decoder struct {
	s                         string
	pos                       int
	line, seg                 int // 0-based generated line and segment within it, for errors
	source, origLine, origCol int64
	name                      int64
	nSources, nNames          int
}

// decodeMappings decodes the "mappings" string of a map with nSources
// sources and nNames names into segments sorted by generated position.
func decodeMappings(s string, nSources, nNames int) ([]segment, error) {
	if len(s) > math.MaxInt32 {
		return nil, fmt.Errorf("mappings: %d bytes is more than this decoder supports (2 GiB)", len(s))
	}
	// Sizing the array once from the separator counts (a fast, vectorised
	// scan) avoids the repeated growth that dominated allocation on large
	// bundles: there is at most one segment per separator, plus one, and
	// each takes at least one character of the string and its separator.
	segs := make([]segment, 0, min(strings.Count(s, ",")+strings.Count(s, ";"), len(s)/2)+1)
	d := decoder{s: s, nSources: nSources, nNames: nNames}
	var genCol int64
	lineStart := 0
	sorted := true
	for d.pos < len(s) {
		switch s[d.pos] {
		case ';':
			if !sorted {
				sortLine(segs[lineStart:])
			}
			d.pos++
			d.line++
			d.seg = 0
			genCol = 0
			lineStart = len(segs)
			sorted = true
			continue
		case ',':
			d.pos++
			d.seg++
			continue
		}
		var fields [5]int64
		n := 0
		for d.pos < len(s) && s[d.pos] != ',' && s[d.pos] != ';' {
			if n == len(fields) {
				return nil, d.errorf("more than 5 fields in a segment")
			}
			v, err := d.vlq()
			if err != nil {
				return nil, err
			}
			fields[n] = v
			n++
		}
		if n != 1 && n != 4 && n != 5 {
			return nil, d.errorf("segment has %d fields (want 1, 4 or 5)", n)
		}
		genCol += fields[0]
		if genCol < 0 || genCol > math.MaxInt32 {
			return nil, d.errorf("generated column %d out of range", genCol)
		}
		sg := segment{genLine: int32(d.line), genCol: int32(genCol), source: -1, name: -1}
		if n >= 4 {
			d.source += fields[1]
			d.origLine += fields[2]
			d.origCol += fields[3]
			if d.source < 0 || d.source >= int64(d.nSources) {
				return nil, d.errorf("source index %d out of range (the map has %d sources)", d.source, d.nSources)
			}
			if d.origLine < 0 || d.origLine > math.MaxInt32 {
				return nil, d.errorf("original line %d out of range", d.origLine)
			}
			if d.origCol < 0 || d.origCol > math.MaxInt32 {
				return nil, d.errorf("original column %d out of range", d.origCol)
			}
			sg.source, sg.origLine, sg.origCol = int32(d.source), int32(d.origLine), int32(d.origCol)
		}
		if n == 5 {
			d.name += fields[4]
			if d.name < 0 || d.name >= int64(d.nNames) {
				return nil, d.errorf("name index %d out of range (the map has %d names)", d.name, d.nNames)
			}
			sg.name = int32(d.name)
		}
		if len(segs) > lineStart && segs[len(segs)-1].genCol > sg.genCol {
			sorted = false
		}
		segs = append(segs, sg)
	}
	if !sorted {
		sortLine(segs[lineStart:])
	}
	return segs, nil
}

// sortLine orders one generated line's segments by column. The format only
// says segments should be ordered; a few generators emit them out of order,
// and lookups binary-search, so such lines are sorted (stably, keeping the
// first-written segment first among equal columns).
func sortLine(line []segment) {
	slices.SortStableFunc(line, func(a, b segment) int { return int(a.genCol) - int(b.genCol) })
}

// vlq decodes one base64 VLQ value at d.pos.
func (d *decoder) vlq() (int64, error) {
	var v uint64
	shift := uint(0)
	for {
		if d.pos >= len(d.s) {
			return 0, d.errorf("truncated VLQ value at the end of the mappings")
		}
		c := d.s[d.pos]
		digit := base64Value[c]
		if digit < 0 {
			return 0, d.errorf("invalid base64 character %q at byte %d", c, d.pos)
		}
		d.pos++
		if shift > 31 {
			return 0, d.errorf("VLQ value ending at byte %d does not fit in 32 bits", d.pos)
		}
		v |= uint64(digit&31) << shift
		shift += 5
		if digit&32 == 0 {
			break
		}
	}
	// The lowest bit is the sign; magnitudes are at most 32 bits here, so
	// the conversion cannot overflow.
	if v&1 != 0 {
		return -int64(v >> 1), nil
	}
	return int64(v >> 1), nil
}

// errorf reports a decoding error with the generated line and segment, the
// two coordinates that let a user find the bad spot in a generator's output.
func (d *decoder) errorf(format string, args ...any) error {
	return fmt.Errorf("mappings: generated line %d, segment %d: %s", d.line, d.seg, fmt.Sprintf(format, args...))
}
