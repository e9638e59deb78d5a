package analysis

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Parallel decoding of the number arrays. When the input can be read at
// any offset, the nodes and edges arrays are decoded by several
// goroutines, each over one byte range of the array, straight into its
// part of the per-node or per-edge columns:
//
//  1. a pre-scan reads the array once from its '[' to the first ']'
//     (number arrays hold no other bracket), counting the commas in every
//     grain of grainSize bytes; the count of values, and so the columns'
//     length, is known before decoding;
//  2. the grains are shared out among the workers; a worker's range starts
//     after the first comma at or after its first grain that ends a
//     record (the commas before it are a multiple of the record size), so
//     it knows the index of its first record, and ends where the next
//     worker's starts;
//  3. each worker decodes its range with a scanner of its own, checking
//     the syntax as the sequential decoder does, and writes the records.
//
// Any irregularity — counts that disagree with the header, a syntax error,
// a value out of range — abandons the parallel decoding, and the
// sequential decoder runs over the array from its start: it reports the
// error it meets, with its offset, exactly as without parallel decoding.
// So the parallel path changes neither a result nor an error.

// grainSize is the granularity of the pre-scan's comma counts, and so of
// the ranges.
const grainSize = 4 << 10

// progressEvery is how often progress is reported while the workers
// decode.
const progressEvery = 100 * time.Millisecond

// minParallelArray is the array size below which one goroutine decodes it
// when LoadOptions.Workers is 0.
const minParallelArray = 1 << 20

// numberArray is a number array located by the pre-scan.
type numberArray struct {
	open, close int64 // offsets of '[' and of the first ']' after it
	// commas[g] is the number of commas between '[' and the start of
	// grain g (grain g starts at open+1+g*grainSize); the last entry
	// counts all the array's commas.
	commas []int64
}

// scanArray pre-scans the number array whose '[' is at offset open. It
// returns false when the input ends before a ']'.
func scanArray(ra io.ReaderAt, size, open int64) (numberArray, bool) {
	arr := numberArray{open: open, commas: []int64{0}}
	buf := make([]byte, scanBufSize)
	total := int64(0)
	for at := open + 1; at < size; at += int64(len(buf)) {
		n, err := ra.ReadAt(buf[:min(int64(len(buf)), size-at)], at)
		if n == 0 && err != nil {
			return arr, false
		}
		block := buf[:n]
		end := bytes.IndexByte(block, ']')
		if end >= 0 {
			block = block[:end]
		}
		for g := 0; g < len(block); g += grainSize {
			total += int64(bytes.Count(block[g:min(g+grainSize, len(block))], []byte{','}))
			arr.commas = append(arr.commas, total)
		}
		if end >= 0 {
			arr.close = at + int64(end)
			return arr, true
		}
	}
	return arr, false
}

// values returns the number of values in a valid array: one more than
// its commas (an array without commas is decoded sequentially).
func (arr *numberArray) values() int64 { return arr.commas[len(arr.commas)-1] + 1 }

// recordEnd returns the offset of the comma that ends the records of the
// ranges before grain g: the first comma at or after the grain's start
// whose index among the array's commas makes the values before it a
// multiple of stride, with the number of those values; or the array's ']'
// and the count of all its values when no such comma follows. For grain 0
// it returns the '[' and 0.
func (arr *numberArray) recordEnd(ra io.ReaderAt, g, stride int) (int64, int64) {
	if g == 0 {
		return arr.open, 0
	}
	at := arr.open + 1 + int64(g)*grainSize
	count := arr.commas[g]
	var buf [256]byte
	for at < arr.close {
		n, _ := ra.ReadAt(buf[:min(int64(len(buf)), arr.close-at)], at)
		if n == 0 {
			break
		}
		for i, c := range buf[:n] {
			if c != ',' {
				continue
			}
			if count++; count%int64(stride) == 0 {
				return at + int64(i), count
			}
		}
		at += int64(n)
	}
	return arr.close, arr.values()
}

// decodeParallel decodes the records of arr, stride values each, with
// workers goroutines, calling put with the index of the first record of
// each run of whole records (concurrently, for disjoint records). While
// they work it calls progress, when not nil, from the calling goroutine
// every progressEvery with the bytes decoded so far. It reports false when
// the array must be decoded sequentially instead.
func decodeParallel(ra io.ReaderAt, arr *numberArray, stride, workers int, put func(first int, v []uint32) error, progress func(done int64)) bool {
	grains := len(arr.commas) - 1
	workers = max(1, min(workers, grains))
	var wg sync.WaitGroup
	var decoded atomic.Int64
	ok := make([]bool, workers)
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			from, first := arr.recordEnd(ra, k*grains/workers, stride)
			to, last := arr.close, arr.values()
			if k < workers-1 {
				to, last = arr.recordEnd(ra, (k+1)*grains/workers, stride)
			}
			from++ // after the '[' or the comma
			if from > to {
				ok[k] = first == last // no record starts in the range
				return
			}
			sc := newScanner(io.NewSectionReader(ra, from, to-from), from, to-from)
			got, at := first, from
			err := sc.numbers(stride, false, func(v []uint32) error {
				if err := put(int(got)/stride, v); err != nil {
					return err
				}
				got += int64(len(v))
				decoded.Add(sc.offset() - at)
				at = sc.offset()
				return nil
			})
			ok[k] = err == nil && got == last
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	if progress != nil {
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-tick.C:
				progress(decoded.Load())
			}
		}
	}
	<-done
	for _, k := range ok {
		if !k {
			return false
		}
	}
	return true
}

// workers returns how many goroutines decode a number array of n bytes.
func (p *parser) workers(n int64) int {
	switch {
	case p.opts.Workers > 0:
		return p.opts.Workers
	case n < minParallelArray:
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

// parallel decodes the number array at the main scanner's position with
// several goroutines when the input allows it, after check has accepted
// its count of values; put receives the records as in decodeParallel.
// It reports whether it did, leaving the main scanner after the array;
// when it did not, the main scanner has not moved.
func (p *parser) parallel(stride int, check func(values int64) bool, put func(first int, v []uint32) error) bool {
	if p.ra == nil || p.size < 0 || p.workers(p.size) == 1 {
		return false
	}
	if c, err := p.sc.peek("'['"); err != nil || c != '[' {
		return false
	}
	arr, found := scanArray(p.ra, p.size, p.sc.offset())
	if !found || len(arr.commas) < 2 || arr.commas[len(arr.commas)-1] == 0 {
		return false
	}
	workers := p.workers(arr.close - arr.open)
	if workers == 1 || arr.values()%int64(stride) != 0 || !check(arr.values()) {
		return false
	}
	var progress func(int64)
	if report := p.sc.onRefill; report != nil {
		reached := p.sc.base + int64(p.sc.end) // reported by the last refill
		progress = func(done int64) {
			if at := arr.open + done; at > reached {
				reached = at
				report(at)
			}
		}
	}
	if !decodeParallel(p.ra, &arr, stride, workers, put, progress) {
		return false
	}
	p.sc.seek(arr.close + 1)
	return true
}
