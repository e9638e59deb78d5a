package staticcheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// MaxFileSize is the default size above which leakls does not analyse a
// source file: the default of `leakls check --max-file-size`, of `leakls
// serve --max-file-size` (the language server's limit for documents and
// the files around them), and of Request.MaxFileSize for the neighbours
// Checker reads. Larger JavaScript is almost always generated
// (bundles, minified vendor code), where a leak shape is not something a
// person fixes; and the analysis of every edit grows with the file: 1.1
// seconds and 94 MB for 2 MiB of the TypeScript compiler's bundle, 2.6
// seconds and 178 MB for 4 MiB (one `leakls check`, measured on a 2-core
// machine), too slow to answer a keystroke.
const MaxFileSize = 2 << 20

// binarySniffLen is how much of a file IsBinary searches for a NUL byte,
// the length git uses for the same test.
const binarySniffLen = 8000

// IsBinary reports whether src looks binary rather than source text: a NUL
// byte in its first 8,000 bytes, git's test.
func IsBinary(src []byte) bool {
	return bytes.IndexByte(src[:min(len(src), binarySniffLen)], 0) >= 0
}

// SkipReason says why src is not analysed, or "" when it is: it is larger
// than limit bytes, or it looks binary (IsBinary).
func SkipReason(src []byte, limit int64) string {
	if int64(len(src)) > limit {
		return fmt.Sprintf("it is %d bytes, larger than the %d-byte limit", len(src), limit)
	}
	if IsBinary(src) {
		return "it looks binary (it contains NUL bytes)"
	}
	return ""
}

// ReadSource reads the source file at path, refusing (with an error
// naming the file and the limit) one larger than limit bytes without
// reading it beyond the limit.
func ReadSource(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(src)) > limit {
		return nil, fmt.Errorf("%s is larger than the %d-byte limit", path, limit)
	}
	return src, nil
}
