package evidence

import (
	"fmt"
	"os"
	"runtime/debug"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/internal/sysmem"
	"github.com/leakls/leakls/internal/units"
)

// MemoryError is the error of an analysis that needs more memory than is
// available: Analyze refuses to start it rather than be ended half-way by
// the kernel's out-of-memory killer.
type MemoryError struct {
	// Need is the estimated peak, with the Go runtime's share.
	Need      int64
	Available sysmem.Available
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("the analysis needs about %s of memory, and %s is available (%s): close other programs, run it on a machine with more memory, or take the snapshots earlier, while the heap is smaller",
		units.Bytes(uint64(e.Need)), units.Bytes(uint64(e.Available.Bytes)), e.Available.Source)
}

// PlanMemory returns about how many bytes Analyze takes at its peak on
// files under opts, estimated from the files' headers for the way it reads
// them (see analysis.MemoryNeeded and analysis.SeriesMemoryNeeded), and a
// *MemoryError when that, with the Go runtime's share, is more than the
// memory available (Options.Available). With Options.MemoryLimit it sets
// the Go runtime's soft memory limit to the estimate. Analyze calls it
// before it loads anything. Files whose header cannot be read make no
// estimate (0): Analyze reports them.
func PlanMemory(files []string, opts Options) (int64, error) {
	peak, _, err := planMemory(files, opts)
	return peak, err
}

// planMemory is PlanMemory, returning as well the headers it read, by
// path, for the loading (analysis.LoadOptions.Header).
func planMemory(files []string, opts Options) (int64, map[string]*analysis.Header, error) {
	headers := make(map[string]*analysis.Header, len(files))
	for _, f := range files {
		h, err := analysis.ReadHeader(f)
		if err != nil {
			return 0, nil, nil
		}
		headers[f] = h
	}
	peak := memoryNeeded(files, headers, opts.PairLeaks)
	// The runtime, the read buffers and what the collector has not
	// returned yet.
	need := peak + peak/8 + 64<<20
	available := opts.Available
	if available == nil {
		available = sysmem.Read
	}
	if a, ok := available(); ok && need > a.Bytes {
		return peak, nil, &MemoryError{Need: need, Available: a}
	}
	if opts.MemoryLimit && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(max(peak, 256<<20))
	}
	return peak, headers, nil
}

// memoryNeeded estimates the peak of Analyze on files from their
// headers: one snapshot and the two of a comparison are loaded in full, a
// series reads the snapshots before the final as fingerprints.
func memoryNeeded(files []string, headers map[string]*analysis.Header, pairLeaks bool) int64 {
	n := len(files)
	switch {
	case n == 1 || (n == 2 && !pairLeaks):
		var sum int64
		for _, f := range files {
			sum += headers[f].MemoryNeeded()
		}
		return sum
	case n > 2 || pairLeaks:
		earlier := make([]*analysis.Header, n-1)
		for i, f := range files[:n-1] {
			earlier[i] = headers[f]
		}
		return analysis.SeriesMemoryNeeded(earlier, headers[files[n-1]])
	}
	return 0
}
