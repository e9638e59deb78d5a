package analysis

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync/atomic"
)

// The string table is the last section V8 writes, and decoding it (escapes,
// copying) is a good share of the parse. When the input can be read at
// arbitrary offsets, a second goroutine finds the table from the end of the
// file and decodes it while the main goroutine reads nodes and edges: on a
// two-core machine the strings come for free. The main parser uses the
// result only if the "strings" key it reaches is the one the speculation
// found; otherwise (another writer's section order, a decoy key inside an
// unknown section) it decodes the table itself, so the speculation can only
// save time, never change a result.

// minSpeculationSize is the file size below which a second goroutine is not
// worth starting.
const minSpeculationSize = 4 << 20

// errNotLast reports that the strings section found from the end is followed
// by more of the snapshot object, so the main parser must handle it.
var errNotLast = errors.New("the strings section is not the last one")

// errStopped ends a speculation the main parser no longer needs.
var errStopped = errors.New("strings speculation stopped")

// stringsSpec is a concurrent decode of the string table.
type stringsSpec struct {
	stop  atomic.Bool
	found chan struct{} // closed when keyAt is known
	done  chan struct{} // closed when the decode has ended
	keyAt int64         // offset of the "strings" key, -1 when not found
	strs  string
	offs  []int
	err   error
}

// startStringsSpeculation starts decoding the string table of the size-byte
// input ra, or returns nil when ra is nil or small.
func startStringsSpeculation(ra io.ReaderAt, size int64) *stringsSpec {
	if ra == nil || size < minSpeculationSize {
		return nil
	}
	sp := &stringsSpec{found: make(chan struct{}), done: make(chan struct{}), keyAt: -1}
	go sp.run(ra, size)
	return sp
}

func (sp *stringsSpec) run(ra io.ReaderAt, size int64) {
	defer close(sp.done)
	sp.keyAt = sp.findKey(ra, size)
	close(sp.found)
	if sp.keyAt < 0 {
		return
	}
	sc := newScanner(io.NewSectionReader(ra, sp.keyAt, size-sp.keyAt), sp.keyAt, size-sp.keyAt)
	sc.stage = "strings"
	if _, _, err := sc.key(); err != nil {
		sp.err = err
		return
	}
	var b strings.Builder
	b.Grow(int(size - sp.keyAt))
	offs := []int{0}
	sp.err = sc.strs(&b, func(end int) error {
		if len(offs)&1023 == 0 && sp.stop.Load() {
			return errStopped
		}
		offs = append(offs, end)
		return nil
	})
	if sp.err != nil {
		return
	}
	if c, err := sc.peek("'}'"); err != nil || c != '}' {
		sp.err = errNotLast
		return
	}
	sc.pos++
	if !sc.atEOF() {
		sp.err = sc.errorf("unexpected data after the snapshot object")
		return
	}
	sp.strs, sp.offs = b.String(), offs
}

// keyPattern is the key the speculation looks for. In valid JSON an
// unescaped quote inside a string array cannot be followed by ':' so the
// last match is a real key (of the top level, or of some nested object,
// which claim detects).
var keyPattern = []byte(`"strings"`)

// findKey searches backwards from the end of ra for the "strings" key
// followed by ':' and '['.
func (sp *stringsSpec) findKey(ra io.ReaderAt, size int64) int64 {
	const block = 1 << 20
	buf := make([]byte, block+64)
	end := size
	for end > 0 && !sp.stop.Load() {
		start := max(0, end-block)
		n := int(end - start)
		// Read a little past the block so that a key straddling the
		// boundary, and the ":[" after it, are seen whole.
		extra := int(min(64, size-end))
		m, err := ra.ReadAt(buf[:n+extra], start)
		if m < n+extra && err != nil {
			return -1
		}
		win := buf[:n+extra]
		// Matches starting at n or later belong to the previous block.
		for limit := min(len(win), n+len(keyPattern)-1); ; {
			i := bytes.LastIndex(win[:limit], keyPattern)
			if i < 0 {
				break
			}
			if followedByArray(win[i+len(keyPattern):]) {
				return start + int64(i)
			}
			limit = i + len(keyPattern) - 1
		}
		end = start
	}
	return -1
}

// followedByArray reports whether p starts with optional whitespace, ':',
// optional whitespace and '['.
func followedByArray(p []byte) bool {
	p = bytes.TrimLeft(p, " \t\r\n")
	if len(p) == 0 || p[0] != ':' {
		return false
	}
	p = bytes.TrimLeft(p[1:], " \t\r\n")
	return len(p) > 0 && p[0] == '['
}

// claim is called when the main parser reaches the top-level "strings" key
// at offset at. It reports whether the speculation decoded that very table
// (storing it in s), or returns the decoding error, which the main parser
// would have met too. When it reports false the main parser decodes the
// table itself.
func (sp *stringsSpec) claim(at int64, s *Snapshot) (bool, error) {
	if sp == nil {
		return false, nil
	}
	<-sp.found
	if sp.keyAt != at {
		sp.cancel()
		return false, nil
	}
	<-sp.done
	switch {
	case sp.err == errNotLast:
		return false, nil
	case sp.err != nil:
		return false, sp.err
	}
	s.strs, s.strOff = sp.strs, sp.offs
	return true, nil
}

// cancel stops the speculation and waits for its goroutine to end.
func (sp *stringsSpec) cancel() {
	if sp == nil {
		return
	}
	sp.stop.Store(true)
	<-sp.done
}
