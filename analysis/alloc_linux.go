package analysis

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePageSize is the size of a transparent huge page on linux/amd64 and
// arm64 (with 4 KiB base pages).
const hugePageSize = 2 << 20

// makeLarge returns make([]T, n, c), asking the kernel to back it with
// transparent huge pages when it spans some. The analysis's arrays are
// read and written in random order across hundreds of megabytes: with 4
// KiB pages every first touch is a page fault and most accesses miss the
// TLB. Where the kernel grants huge pages only on request
// (/sys/kernel/mm/transparent_hugepage/enabled set to "madvise", the
// default of many distributions) this cuts both by 512. The advice is
// only a hint: it fails harmlessly where huge pages are off.
func makeLarge[T any](n, c int) []T {
	s := make([]T, n, c)
	size := uintptr(c) * unsafe.Sizeof(*new(T))
	if size < hugePageSize {
		return s
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	start := uintptr(base)
	from := (start + hugePageSize - 1) &^ (hugePageSize - 1)
	to := (start + size) &^ (hugePageSize - 1)
	if to <= from {
		return s // no whole huge page inside
	}
	region := unsafe.Slice((*byte)(unsafe.Add(base, from-start)), to-from)
	_ = unix.Madvise(region, unix.MADV_HUGEPAGE) // a hint: ignore a refusal
	return s
}
