package analysis

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// scanner is a streaming JSON tokenizer specialised for heap snapshots: it
// reads through a fixed buffer (so that the file's text never sits in memory
// as a whole, and peak RSS stays close to the size of the parsed arrays), and
// it decodes arrays of integers and arrays of strings without building any
// generic JSON value.
//
// Streaming through a buffer was chosen over mmap: a mapped file's pages
// count towards the process's RSS as they are touched, which would add the
// whole file to the peak; reads through a 1 MiB buffer cost about the same
// CPU on a warm page cache and keep the mapping out of the memory budget.
type scanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // next byte to read in buf
	end   int   // end of valid data in buf
	base  int64 // file offset of buf[0]
	eof   bool  // r returned io.EOF (or another error, kept in rerr)
	rerr  error // a read error other than io.EOF
	stage string

	// onRefill is called after each refill with the file offset reached.
	onRefill func(offset int64)

	// While capturing, rec collects the bytes consumed since recFrom, up to
	// a little more than recLimit.
	rec      []byte
	recFrom  int
	recLimit int
}

// scanBufSize is the read buffer size: large enough that per-refill costs
// vanish, small enough to stay in L2/L3 cache.
const scanBufSize = 1 << 20

// maxLookahead is the longest token the scanner ever needs contiguous in the
// buffer: a surrogate pair escape (12 bytes) or an integer with separators.
const maxLookahead = 32

// newScanner returns a scanner reading r, whose first byte is at file
// offset base; size is the number of bytes r holds (or -1 if unknown) and
// only bounds the buffer for small inputs.
func newScanner(r io.Reader, base, size int64) *scanner {
	n := scanBufSize
	if size >= 0 && size+maxLookahead < int64(n) {
		n = int(size) + maxLookahead
	}
	return &scanner{r: r, buf: make([]byte, n), base: base}
}

// offset returns the file offset of the next unread byte.
func (sc *scanner) offset() int64 { return sc.base + int64(sc.pos) }

// errorf builds an error that names the current stage and byte offset.
func (sc *scanner) errorf(format string, args ...any) error {
	return sc.errorAt(sc.offset(), format, args...)
}

func (sc *scanner) errorAt(off int64, format string, args ...any) error {
	return &ParseError{Stage: sc.stage, Offset: off, Err: fmt.Errorf(format, args...)}
}

// ParseError is returned for malformed or unsupported snapshot files. It
// names the parsing stage and the byte offset at which the problem was found.
type ParseError struct {
	Stage  string // "header", "nodes", "edges", "locations", "strings", ...
	Offset int64  // byte offset in the file
	Err    error
}

// Error implements error.
func (e *ParseError) Error() string {
	return fmt.Sprintf("parsing %s at byte %d: %v", e.Stage, e.Offset, e.Err)
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// errTruncated is wrapped by errors about input that ends too early.
var errTruncated = errors.New("the file ends early (truncated snapshot?)")

// fill makes at least need bytes available after pos, unless the input ends
// first. It reports whether need bytes are available.
func (sc *scanner) fill(need int) bool {
	for sc.end-sc.pos < need && !sc.eof {
		if sc.rec != nil {
			if len(sc.rec) <= sc.recLimit {
				sc.rec = append(sc.rec, sc.buf[sc.recFrom:sc.pos]...)
			}
			sc.recFrom = 0
		}
		if sc.pos > 0 {
			n := copy(sc.buf, sc.buf[sc.pos:sc.end])
			sc.base += int64(sc.pos)
			sc.pos, sc.end = 0, n
		}
		n, err := io.ReadFull(sc.r, sc.buf[sc.end:])
		sc.end += n
		if err != nil {
			sc.eof = true
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				sc.rerr = err
			}
		}
		if sc.onRefill != nil {
			sc.onRefill(sc.base + int64(sc.end))
		}
	}
	return sc.end-sc.pos >= need
}

// seek moves to file offset off, at or after the current offset. The
// reader must be an io.Seeker when off is past the buffered data.
func (sc *scanner) seek(off int64) {
	if off <= sc.base+int64(sc.end) {
		sc.pos = int(off - sc.base)
		return
	}
	sc.base, sc.pos, sc.end, sc.eof = off, 0, 0, false
	sk, ok := sc.r.(io.Seeker)
	if !ok {
		sc.rerr, sc.eof = errors.New("the input cannot seek"), true
		return
	}
	if _, err := sk.Seek(off, io.SeekStart); err != nil {
		sc.rerr, sc.eof = err, true
	}
}

// endErr is the error for input that ended where more was expected.
func (sc *scanner) endErr(what string) error {
	if sc.rerr != nil {
		return sc.errorf("reading %s: %w", what, sc.rerr)
	}
	return sc.errorf("expected %s: %w", what, errTruncated)
}

// peek skips whitespace and returns the next byte without consuming it.
func (sc *scanner) peek(what string) (byte, error) {
	for {
		for sc.pos < sc.end {
			switch c := sc.buf[sc.pos]; c {
			case ' ', '\n', '\r', '\t':
				sc.pos++
			default:
				return c, nil
			}
		}
		if !sc.fill(1) {
			return 0, sc.endErr(what)
		}
	}
}

// expect skips whitespace and consumes the byte c.
func (sc *scanner) expect(c byte, what string) error {
	got, err := sc.peek(what)
	if err != nil {
		return err
	}
	if got != c {
		return sc.errorf("expected %s, found %s", what, quoteByte(got))
	}
	sc.pos++
	return nil
}

// atEOF skips whitespace and reports whether the input ends there.
func (sc *scanner) atEOF() bool {
	_, err := sc.peek("")
	return err != nil && sc.rerr == nil
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("%q", rune(c))
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

// key reads an object key and the colon after it. It returns the key and
// the offset of its opening quote.
func (sc *scanner) key() (string, int64, error) {
	if c, err := sc.peek("a key"); err != nil {
		return "", 0, err
	} else if c != '"' {
		return "", 0, sc.errorf("expected a key, found %s", quoteByte(c))
	}
	at := sc.offset()
	var b strings.Builder
	if err := sc.str(&b); err != nil {
		return "", 0, err
	}
	if err := sc.expect(':', "':' after a key"); err != nil {
		return "", 0, err
	}
	return b.String(), at, nil
}

// uints reads a JSON array of non-negative integers that fit in 32 bits.
// The values are delivered to sink in chunks whose length is a multiple of
// stride (the record size), reusing one scratch slice; the last chunk may be
// shorter only when the array's length is not a multiple of stride, which
// the caller must then report.
func (sc *scanner) uints(stride int, sink func([]uint32) error) error {
	if err := sc.expect('[', "'['"); err != nil {
		return err
	}
	return sc.numbers(stride, true, sink)
}

// numbers reads comma-separated integers as uints does, after the '[': up
// to the ']' that closes the array when closed is set, otherwise up to
// the end of the input (a range of an array, between two commas).
func (sc *scanner) numbers(stride int, closed bool, sink func([]uint32) error) error {
	chunk := make([]uint32, 0, (8192/stride+1)*stride)
	// wantValue: a number must come next (after '[' or ','); after a number
	// only ',' or ']' may follow.
	wantValue, empty := true, true
	for {
		buf := sc.buf[sc.pos:sc.end]
		i := 0
	scan:
		for i < len(buf) {
			c := buf[i]
			switch {
			case c-'0' < 10:
				if !wantValue {
					return sc.errorAt(sc.offset()+int64(i), "expected ',' between numbers")
				}
				// Nine digits cannot overflow 32 bits: the common case runs
				// without overflow checks.
				v := uint32(c - '0')
				j := i + 1
				for lim := min(len(buf), i+9); j < lim && buf[j]-'0' < 10; j++ {
					v = v*10 + uint32(buf[j]-'0')
				}
				if j < len(buf) && buf[j]-'0' < 10 {
					w := uint64(v)
					for ; j < len(buf) && buf[j]-'0' < 10; j++ {
						if w = w*10 + uint64(buf[j]-'0'); w > math.MaxUint32 {
							return sc.errorAt(sc.offset()+int64(i), "number does not fit in 32 bits")
						}
					}
					v = uint32(w)
				}
				if j == len(buf) && !sc.eof {
					break scan // the number may go on in the next read
				}
				if j < len(buf) && (buf[j] == '.' || buf[j] == 'e' || buf[j] == 'E') {
					return sc.errorAt(sc.offset()+int64(i), "expected an integer")
				}
				chunk = append(chunk, v)
				if len(chunk) == cap(chunk) {
					if err := sink(chunk); err != nil {
						return err
					}
					chunk = chunk[:0]
				}
				i, wantValue, empty = j, false, false
			case c == ',':
				if wantValue {
					return sc.errorAt(sc.offset()+int64(i), "expected a number, found ','")
				}
				wantValue = true
				i++
			case c == ' ' || c == '\n' || c == '\r' || c == '\t':
				i++
			case c == ']':
				if wantValue && !empty {
					return sc.errorAt(sc.offset()+int64(i), "expected a number, found ']'")
				}
				sc.pos += i + 1
				if len(chunk) > 0 {
					return sink(chunk)
				}
				return nil
			case c == '-':
				return sc.errorAt(sc.offset()+int64(i), "expected a non-negative integer, found '-'")
			default:
				return sc.errorAt(sc.offset()+int64(i), "expected a number, found %s", quoteByte(c))
			}
		}
		sc.pos += i
		if !sc.fill(maxLookahead) && sc.pos == sc.end {
			if closed || wantValue || sc.rerr != nil {
				return sc.endErr("a number or ']'")
			}
			if len(chunk) > 0 {
				return sink(chunk)
			}
			return nil
		}
	}
}

// strs reads a JSON array of strings, appending each decoded string to b and
// calling each after every string with the builder's length.
func (sc *scanner) strs(b *strings.Builder, each func(end int) error) error {
	return sc.strArray(func(int) error {
		if err := sc.str(b); err != nil {
			return err
		}
		return each(b.Len())
	})
}

// pickStrs reads the strings at the ascending indices want of a JSON array
// of strings into out (out[k] is string want[k]), skipping the others
// undecoded. It stops after the last wanted string, leaving the rest of the
// array unread, and returns errDone then; it returns nil when the array
// ends first (the strings past its end stay "").
func (sc *scanner) pickStrs(want []uint32, out []string) error {
	var b strings.Builder // the picked strings, one after the other
	var ends []int
	err := sc.strArray(func(i int) error {
		if len(ends) == len(want) {
			return errDone
		}
		if uint32(i) != want[len(ends)] {
			return sc.skipString(sc.offset())
		}
		if err := sc.str(&b); err != nil {
			return err
		}
		if ends = append(ends, b.Len()); len(ends) == len(want) {
			return errDone
		}
		return nil
	})
	all, start := b.String(), 0
	for k, end := range ends {
		out[k], start = all[start:end], end
	}
	return err
}

// strArray walks a JSON array of strings, calling each with the string's
// index when the scanner is at its opening quote; each must consume the
// string.
func (sc *scanner) strArray(each func(i int) error) error {
	if err := sc.expect('[', "'['"); err != nil {
		return err
	}
	for i := 0; ; i++ {
		c, err := sc.peek("a string or ']'")
		if err != nil {
			return err
		}
		if c == ']' {
			sc.pos++
			return nil
		}
		if i > 0 {
			if c != ',' {
				return sc.errorf("expected ',' or ']', found %s", quoteByte(c))
			}
			sc.pos++
			if c, err = sc.peek("a string"); err != nil {
				return err
			}
		}
		if c != '"' {
			return sc.errorf("expected a string, found %s", quoteByte(c))
		}
		if err := each(i); err != nil {
			return err
		}
	}
}

// str decodes one JSON string (the scanner is at its opening quote) and
// appends it to b as UTF-8. It is lenient in the ways V8's writer requires:
// unpaired surrogate escapes become U+FFFD, raw control characters and
// invalid UTF-8 bytes are kept as they are, and an unknown escape keeps the
// escaped character.
func (sc *scanner) str(b *strings.Builder) error {
	start := sc.offset()
	sc.pos++ // opening quote
	for {
		buf := sc.buf[sc.pos:sc.end]
		q := bytes.IndexByte(buf, '"')
		seg := buf
		if q >= 0 {
			seg = buf[:q]
		}
		bs := bytes.IndexByte(seg, '\\')
		if bs < 0 {
			b.Write(seg)
			sc.pos += len(seg)
			if q >= 0 {
				sc.pos++ // closing quote
				return nil
			}
		} else {
			b.Write(seg[:bs])
			sc.pos += bs
			if !sc.fill(12) && sc.end-sc.pos < 2 {
				return sc.errorAt(start, "unterminated string: %w", errTruncated)
			}
			sc.escape(b)
			continue
		}
		if !sc.fill(1) {
			return sc.errorAt(start, "unterminated string: %w", errTruncated)
		}
	}
}

// escape decodes the escape sequence at pos (a backslash with at least one
// byte after it) into b.
func (sc *scanner) escape(b *strings.Builder) {
	buf := sc.buf[sc.pos:sc.end]
	c := buf[1]
	sc.pos += 2
	switch c {
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'u':
		r, ok := hex4(buf[2:])
		if !ok {
			b.WriteRune(utf8.RuneError)
			return
		}
		sc.pos += 4
		if utf16.IsSurrogate(r) {
			if r < 0xdc00 && len(buf) >= 12 && buf[6] == '\\' && buf[7] == 'u' {
				if r2, ok := hex4(buf[8:]); ok && r2 >= 0xdc00 && r2 <= 0xdfff {
					sc.pos += 6
					b.WriteRune(utf16.DecodeRune(r, r2))
					return
				}
			}
			r = utf8.RuneError
		}
		b.WriteRune(r)
	default: // '"', '\\', '/', and anything else V8 may write
		b.WriteByte(c)
	}
}

// hex4 decodes four hex digits at the start of p.
func hex4(p []byte) (rune, bool) {
	if len(p) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skip skips one JSON value of any kind without decoding it. Nesting is
// tracked with a counter, not recursion.
func (sc *scanner) skip() error {
	c, err := sc.peek("a value")
	if err != nil {
		return err
	}
	start := sc.offset()
	switch c {
	case '"':
		return sc.skipString(start)
	case '{', '[':
	default:
		// A scalar: consume the literal's characters.
		n := 0
		for {
			for sc.pos < sc.end && isScalarByte(sc.buf[sc.pos]) {
				sc.pos++
				n++
			}
			if sc.pos < sc.end || !sc.fill(1) {
				break
			}
		}
		if n == 0 {
			return sc.errorf("expected a value, found %s", quoteByte(c))
		}
		return nil
	}
	depth := 0
	for {
		buf := sc.buf[sc.pos:sc.end]
		i := 0
		for ; i < len(buf); i++ {
			switch buf[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					sc.pos += i + 1
					return nil
				}
			case '"':
				sc.pos += i
				if err := sc.skipString(start); err != nil {
					return err
				}
				i = -1
				buf = sc.buf[sc.pos:sc.end]
			}
		}
		sc.pos += i
		if !sc.fill(1) {
			return sc.errorAt(start, "unterminated value: %w", errTruncated)
		}
	}
}

func isScalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E'
}

// skipString skips a string starting at pos (its opening quote); start is
// the offset reported when the string is unterminated.
func (sc *scanner) skipString(start int64) error {
	sc.pos++
	for {
		buf := sc.buf[sc.pos:sc.end]
		i := 0
		for i < len(buf) && buf[i] != '"' && buf[i] != '\\' {
			i++
		}
		sc.pos += i
		need := 1
		if i < len(buf) {
			if buf[i] == '"' {
				sc.pos++
				return nil
			}
			if i+1 < len(buf) {
				sc.pos += 2 // an escape: skip the escaped byte too
				continue
			}
			need = 2
		}
		if !sc.fill(need) {
			return sc.errorAt(start, "unterminated string: %w", errTruncated)
		}
	}
}

// capture reads one JSON value and returns its text, refusing values longer
// than limit bytes (the snapshot header is small; a huge one means the file
// is not a snapshot).
func (sc *scanner) capture(limit int) ([]byte, error) {
	if _, err := sc.peek("a value"); err != nil {
		return nil, err
	}
	start := sc.offset()
	sc.rec, sc.recFrom, sc.recLimit = make([]byte, 0, 4096), sc.pos, limit
	err := sc.skip()
	out := sc.rec
	if err == nil {
		out = append(out, sc.buf[sc.recFrom:sc.pos]...)
	}
	sc.rec = nil
	if err != nil {
		return nil, err
	}
	if len(out) > limit {
		return nil, sc.errorAt(start, "value is larger than %d bytes", limit)
	}
	return out, nil
}
