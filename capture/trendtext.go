package capture

import (
	"fmt"
	"strings"

	"github.com/leakls/leakls/internal/units"
)

// Text writes the trend for people: the post-GC floor of each phase of
// iterations actions, the growth, and, when off-heap memory grew, what
// that means.
func (t Trend) Text(iterations int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Memory after GC (%d actions per phase):\n", iterations)
	for _, s := range t.Floors {
		fmt.Fprintf(&b, "  %-9s heapUsed %10s  external %10s  arrayBuffers %10s  rss %10s\n",
			s.Phase, units.Bytes(s.HeapUsed), units.Bytes(s.External), units.Bytes(s.ArrayBuffers), units.Bytes(s.RSS))
	}
	fmt.Fprintf(&b, "  growth    heapUsed %10s  external %10s  arrayBuffers %10s\n",
		units.SignedBytes(t.HeapGrowth), units.SignedBytes(t.ExternalGrowth), units.SignedBytes(t.ArrayBuffersGrowth))
	if t.OffHeap {
		b.WriteString("Memory outside the JavaScript heap (Buffers, ArrayBuffers, native memory) grew in both rounds:\n")
		b.WriteString("the snapshots show only the small objects that own it; look for Buffers or typed arrays kept alive.\n")
	}
	return b.String()
}
