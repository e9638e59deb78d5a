// Package units formats quantities for people: byte sizes with binary units.
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
