package lsp

import (
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/column"
)

// encoding is the unit in which the client counts the character of a
// position. The zero value is UTF-16, the LSP default.
type encoding int

const (
	utf16 encoding = iota
	utf8Enc
	utf32
)

// String returns the LSP name of the encoding.
func (e encoding) String() string {
	switch e {
	case utf8Enc:
		return string(protocol.PositionEncodingKindUTF8)
	case utf32:
		return string(protocol.PositionEncodingKindUTF32)
	}
	return string(protocol.PositionEncodingKindUTF16)
}

// negotiateEncoding picks the encoding for a client that offers kinds, in
// the client's order of preference. Bytes are cheapest for the server (they
// are what tree-sitter reports), so utf-8 wins when offered; UTF-16 is the
// mandatory fallback.
func negotiateEncoding(kinds []protocol.PositionEncodingKind) encoding {
	best := utf16
	for _, k := range kinds {
		switch k {
		case protocol.PositionEncodingKindUTF8:
			return utf8Enc
		case protocol.PositionEncodingKindUTF32:
			best = utf32
		}
	}
	return best
}

// lineIndex indexes a text's lines (and its multi-byte characters, so
// that a position costs a binary search however long its line). Lines end
// at '\n'; a '\r' before it is part of the line break, as tree-sitter
// (which counts rows by '\n') sees it.
type lineIndex struct{ *column.Index }

func newLineIndex(text string) lineIndex { return lineIndex{column.NewIndex(text)} }

// lineBounds returns the byte range of line, without its line break. A line
// past the end is the empty range at the end of text.
func (li lineIndex) lineBounds(text string, line int) (start, end int) {
	if line < 0 {
		return 0, 0
	}
	if line >= li.Lines() {
		return len(text), len(text)
	}
	start = li.LineStart(line)
	end = len(text)
	if line+1 < li.Lines() {
		end = li.LineStart(line+1) - 1
	}
	if end > start && text[end-1] == '\r' {
		end--
	}
	return start, end
}

// offset converts a protocol position to a byte offset in text. As the
// protocol asks, a character past the end of its line means the end of the
// line, and a line past the end of the text means the end of the text. A
// character in the middle of a UTF-16 surrogate pair or a multi-byte
// character resolves to the start of that character.
func (li lineIndex) offset(text string, p protocol.Position, enc encoding) int {
	if int64(p.Line) >= int64(li.Lines()) {
		return len(text)
	}
	start, end := li.lineBounds(text, int(p.Line))
	line, want := text[start:end], int(p.Character)
	switch enc {
	case utf8Enc:
		return start + min(want, len(line))
	case utf32:
		n := 0
		for i := range line {
			if n == want {
				return start + i
			}
			n++
		}
		return end
	}
	off, _ := column.Byte(line, want)
	return start + off
}

// position converts a byte offset in text to a protocol position. Offsets
// outside the text are clamped to it.
func (li lineIndex) position(text string, off int, enc encoding) protocol.Position {
	off = max(0, min(off, len(text)))
	line := li.Line(off)
	start, end := li.lineBounds(text, line)
	return protocol.Position{Line: uint32(line), Character: uint32(li.units(start, min(off, max(end, start)), enc))}
}

// units counts the characters of the text's bytes [from, to) in enc.
func (li lineIndex) units(from, to int, enc encoding) int {
	switch enc {
	case utf8Enc:
		return to - from
	case utf32:
		return li.Chars(from, to)
	}
	return li.UTF16(from, to)
}

// byteOffset resolves a finding position to a byte offset in text: the
// offset when the producer knew it, else the line and byte column (heap
// snapshot locations know only those), clamped to the text.
func (li lineIndex) byteOffset(text string, p finding.Pos) int {
	if p.Offset >= 0 && p.Offset <= len(text) && (p.Offset > 0 || p.Line == 0) {
		return p.Offset
	}
	start, end := li.lineBounds(text, p.Line)
	return min(start+max(p.Col, 0), end)
}

// protocolRange converts a finding range to a protocol range in text.
func (li lineIndex) protocolRange(text string, r finding.Range, enc encoding) protocol.Range {
	return protocol.Range{
		Start: li.position(text, li.byteOffset(text, r.Start), enc),
		End:   li.position(text, li.byteOffset(text, r.End), enc),
	}
}

// pos returns the finding position of the byte offset off in the text.
func (li lineIndex) pos(off int) finding.Pos {
	line := li.Line(off)
	return finding.Pos{Offset: off, Line: line, Col: off - li.LineStart(line)}
}

// rangeAt returns the finding range of the bytes [start, end).
func (li lineIndex) rangeAt(start, end int) finding.Range {
	return finding.Range{Start: li.pos(start), End: li.pos(end)}
}
