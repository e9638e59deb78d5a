package sysmem

import (
	"io/fs"
	"runtime"
	"testing"
)

// TestRead reads this machine's figures: on Linux there is always a
// MemAvailable, and no more than the machine's total.
func TestRead(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	a, ok := Read()
	if !ok || a.Bytes <= 0 || a.Source == "" {
		t.Fatalf("Read() = %+v, %v", a, ok)
	}
}

// TestCgroupLimit checks that a cgroup limit below MemAvailable wins, for
// v2 and v1, and that "no limit" leaves MemAvailable.
func TestCgroupLimit(t *testing.T) {
	meminfo := "MemTotal:       24000000 kB\nMemFree:        1000 kB\nMemAvailable:   20000000 kB\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"v2 limit", map[string]string{
			"/proc/self/cgroup":                 "0::/job\n",
			"/sys/fs/cgroup/job/memory.max":     "8589934592\n",
			"/sys/fs/cgroup/job/memory.current": "1073741824\n",
		}, 7 << 30},
		{"v2 no limit", map[string]string{
			"/proc/self/cgroup":                 "0::/job\n",
			"/sys/fs/cgroup/job/memory.max":     "max\n",
			"/sys/fs/cgroup/job/memory.current": "1073741824\n",
		}, 20000000 << 10},
		{"v1 limit", map[string]string{
			"/proc/self/cgroup": "12:cpu,cpuacct:/x\n7:memory:/job\n",
			"/sys/fs/cgroup/memory/job/memory.limit_in_bytes": "4294967296\n",
			"/sys/fs/cgroup/memory/job/memory.usage_in_bytes": "0\n",
		}, 4 << 30},
		{"v1 no limit", map[string]string{
			"/proc/self/cgroup": "7:memory:/job\n",
			"/sys/fs/cgroup/memory/job/memory.limit_in_bytes": "9223372036854771712\n",
			"/sys/fs/cgroup/memory/job/memory.usage_in_bytes": "0\n",
		}, 20000000 << 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.files["/proc/meminfo"] = meminfo
			a, ok := read(func(path string) ([]byte, error) {
				if s, ok := tc.files[path]; ok {
					return []byte(s), nil
				}
				return nil, fs.ErrNotExist
			})
			if !ok || a.Bytes != tc.want {
				t.Errorf("read = %+v, %v; want %d bytes", a, ok, tc.want)
			}
		})
	}
}
