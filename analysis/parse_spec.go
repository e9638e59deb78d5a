package analysis

import (
	"bytes"
	"io"
	"sync/atomic"
)

// Speculative decoding of the string table. When the input can be read at
// any offset, a helper goroutine finds the "strings" section itself, by
// searching backward from the end of the file (V8 writes it last), and
// decodes it while the main goroutine reads the nodes and edges (which
// are decoded in parallel themselves: parse_parallel.go). The main parser
// uses the helper's result only if the key it reaches is the very key the
// helper started from, and then continues after that section; otherwise
// (another writer's section order, a decoy key inside an unknown section)
// it decodes the section itself. So speculation can only save time, never
// change a result or an error.

// minSpeculationSize is the input size below which helpers are not worth
// starting.
const minSpeculationSize = 4 << 20

// speculation is one section decoded by a helper goroutine.
type speculation struct {
	stop  atomic.Bool
	found chan struct{} // closed when keyAt is known
	done  chan struct{} // closed when the helper has ended
	keyAt int64         // offset of the section's key, -1 when not found
	end   int64         // offset just after the section's value
	err   error
	// install stores the decoded section into a snapshot.
	install func(*Snapshot)
}

// decodeFunc decodes a section's value from sc (positioned after the key)
// and returns how to install it; it should give up when stop is set.
type decodeFunc func(sc *scanner, stop *atomic.Bool) (func(*Snapshot), error)

// speculate starts a helper that locates the section with find and decodes
// it with decode. It returns nil (a valid, inert speculation) when ra is
// nil or the input is small.
func speculate(ra io.ReaderAt, size int64, stage string, find func(stop *atomic.Bool) int64, decode decodeFunc) *speculation {
	if ra == nil || size < minSpeculationSize {
		return nil
	}
	sp := &speculation{found: make(chan struct{}), done: make(chan struct{}), keyAt: -1}
	go func() {
		defer close(sp.done)
		sp.keyAt = find(&sp.stop)
		close(sp.found)
		if sp.keyAt < 0 {
			return
		}
		sc := newScanner(io.NewSectionReader(ra, sp.keyAt, size-sp.keyAt), sp.keyAt, size-sp.keyAt)
		sc.stage = stage
		if _, _, sp.err = sc.key(); sp.err != nil {
			return
		}
		sp.install, sp.err = decode(sc, &sp.stop)
		sp.end = sc.offset()
	}()
	return sp
}

// claim is called when the main parser reaches the section's key at offset
// at. It reports whether the helper decoded that very section (then it is
// installed into s and the main parser must continue at the returned
// offset), or returns the helper's decoding error, which the main parser
// would have met as well.
func (sp *speculation) claim(at int64, s *Snapshot) (used bool, end int64, err error) {
	if sp == nil {
		return false, 0, nil
	}
	<-sp.found
	if sp.keyAt != at {
		sp.cancel()
		return false, 0, nil
	}
	<-sp.done
	if sp.err != nil {
		return false, 0, sp.err
	}
	sp.install(s)
	return true, sp.end, nil
}

// cancel stops the helper and waits for it to end.
func (sp *speculation) cancel() {
	if sp == nil {
		return
	}
	sp.stop.Store(true)
	<-sp.done
}

// searchBlock is the read size of the key searches.
const searchBlock = 1 << 20

// findKey returns the offset of the first `"name"` key followed by ':'
// and '[' in ra from offset from to size, or -1. V8 writes arrays of
// numbers between the header and the string table, its last section, and
// in valid JSON an unescaped quote inside an array of strings is never
// followed by ':', so for the string table the first match after the
// header is the key. A forward search runs on vector instructions
// (bytes.Index): tens of times faster than bytes.LastIndex.
func findKey(ra io.ReaderAt, from, size int64, name string, stop *atomic.Bool) int64 {
	pattern := []byte(`"` + name + `"`)
	buf := make([]byte, searchBlock+64)
	for start := from; start < size && !stop.Load(); start += searchBlock {
		// Read a little past the block so that a key straddling the
		// boundary, and the ":[" after it, are seen whole.
		win := buf[:min(searchBlock+64, size-start)]
		if m, err := ra.ReadAt(win, start); m < len(win) && err != nil {
			return -1
		}
		// Matches starting at searchBlock or later belong to the next block.
		for off := 0; ; off++ {
			i := bytes.Index(win[off:], pattern)
			if i < 0 || off+i >= searchBlock {
				break
			}
			off += i
			if followedByArray(win[off+len(pattern):]) {
				return start + int64(off)
			}
		}
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
