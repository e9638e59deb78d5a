// Package units formats quantities for people: byte sizes with binary units
// and counts with thousands separators.
package units

import "strconv"

// Bytes formats a size with a binary unit: "512 B", "12.3 KiB", "1.5 GiB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + "KMGTP"[exp:exp+1] + "iB"
}

// SignedBytes formats a size change with its sign: "+1.2 MiB", "-512 B".
func SignedBytes(n int64) string {
	if n < 0 {
		return "-" + Bytes(uint64(-n))
	}
	return "+" + Bytes(uint64(n))
}

// Count formats n with comma thousands separators: "12,000", "-4,040".
func Count(n int) string {
	if n < 0 {
		return "-" + Count(-n)
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
