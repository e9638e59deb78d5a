//go:build !linux

package analysis

// makeLarge returns make([]T, n, c) (see alloc_linux.go).
func makeLarge[T any](n, c int) []T { return make([]T, n, c) }
