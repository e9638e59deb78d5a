// Package sysmem reports how much memory this process can still take
// before the kernel's out-of-memory killer ends it: the memory the kernel
// counts as available, bounded by the limit of the process's cgroup.
package sysmem

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Available is an amount of memory and where it was read.
type Available struct {
	Bytes  int64
	Source string // e.g. "MemAvailable in /proc/meminfo"
}

// Read returns the memory available to this process: the smaller of
// MemAvailable in /proc/meminfo and what is left under the memory limit of
// its cgroup (v2 memory.max, or v1 memory.limit_in_bytes), if any. It
// reports false where neither can be read (not Linux).
func Read() (Available, bool) {
	return read(os.ReadFile)
}

// read is Read over a file reader, so that tests can give the files.
func read(readFile func(string) ([]byte, error)) (Available, bool) {
	var best Available
	found := false
	consider := func(a Available) {
		if !found || a.Bytes < best.Bytes {
			best, found = a, true
		}
	}
	if b, err := readFile("/proc/meminfo"); err == nil {
		if kb, ok := meminfo(b, "MemAvailable"); ok {
			consider(Available{kb << 10, "MemAvailable in /proc/meminfo"})
		}
	}
	if a, ok := cgroupLeft(readFile); ok {
		consider(a)
	}
	return best, found
}

// meminfo returns the value, in KiB, of the field key of /proc/meminfo.
func meminfo(b []byte, key string) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != key {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		return v, err == nil
	}
	return 0, false
}

// cgroupLeft returns the memory left under the limit of this process's
// cgroup, v2 or v1, when it has one.
func cgroupLeft(readFile func(string) ([]byte, error)) (Available, bool) {
	self, err := readFile("/proc/self/cgroup")
	if err != nil {
		return Available{}, false
	}
	for _, line := range strings.Split(string(self), "\n") {
		// "0::/path" (v2) or "N:memory:/path" (v1).
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		var root, limitFile, usageFile string
		switch {
		case parts[0] == "0" && parts[1] == "":
			root, limitFile, usageFile = "/sys/fs/cgroup", "memory.max", "memory.current"
		case strings.Contains(","+parts[1]+",", ",memory,"):
			root, limitFile, usageFile = "/sys/fs/cgroup/memory", "memory.limit_in_bytes", "memory.usage_in_bytes"
		default:
			continue
		}
		// In a container the cgroup is often mounted at the root.
		for _, dir := range []string{filepath.Join(root, parts[2]), root} {
			limit, ok1 := number(readFile, filepath.Join(dir, limitFile))
			usage, ok2 := number(readFile, filepath.Join(dir, usageFile))
			// v1 writes a huge number for "no limit", v2 "max".
			if ok1 && ok2 && limit < 1<<60 {
				return Available{max(limit-usage, 0), filepath.Join(dir, limitFile) + " less " + usageFile}, true
			}
		}
	}
	return Available{}, false
}

// number reads a file holding one decimal number.
func number(readFile func(string) ([]byte, error), path string) (int64, bool) {
	b, err := readFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return v, err == nil
}
