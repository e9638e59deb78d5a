package srcloc

import (
	"fmt"
	"os"
	"strings"

	"github.com/leakls/leakls/internal/column"
)

// text is a file's content with the byte offset of each line start, to turn
// V8's (line, UTF-16 column) into a byte offset and byte column.
type text struct {
	s     string
	lines []int // lines[i] is the offset where line i starts
}

// maxTextSize bounds the files read to convert columns: a generated bundle
// may be large, but not larger than this.
const maxTextSize = 512 << 20

func readText(path string) (*text, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	if st.Size() > maxTextSize {
		return nil, fmt.Errorf("larger than %d MiB", maxTextSize>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return newText(string(b)), nil
}

func newText(s string) *text {
	lines := make([]int, 1, strings.Count(s, "\n")+1)
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &text{s: s, lines: lines}
}

// offset converts a 0-based line and UTF-16 column into a byte offset and
// byte column. It returns false when the line or the column is past the
// end of the text (a file changed since the snapshot, or a truncated text).
func (t *text) offset(line, col16 int) (off, col int, ok bool) {
	if line >= len(t.lines) {
		return 0, 0, false
	}
	start := t.lines[line]
	end := len(t.s)
	if line+1 < len(t.lines) {
		end = t.lines[line+1] - 1
	}
	off, ok = column.Byte(t.s[start:end], col16)
	if !ok {
		return 0, 0, false
	}
	return start + off, off, true
}
