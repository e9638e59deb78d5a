package units

import (
	"math"
	"testing"
)

func TestBytes(t *testing.T) {
	for _, tc := range []struct {
		n    uint64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {1536, "1.5 KiB"},
		{48 << 20, "48.0 MiB"}, {3 << 30, "3.0 GiB"}, {5 << 50, "5.0 PiB"},
		{math.MaxUint64, "16384.0 PiB"},
	} {
		if got := Bytes(tc.n); got != tc.want {
			t.Errorf("Bytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := SignedBytes(-2048); got != "-2.0 KiB" {
		t.Errorf("SignedBytes(-2048) = %q", got)
	}
	if got := SignedBytes(10); got != "+10 B" {
		t.Errorf("SignedBytes(10) = %q", got)
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12000: "12,000", 39087: "39,087", 1234567: "1,234,567", -4040: "-4,040"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
