package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/leakls/leakls/finding"
)

// Text writes one line per finding: "path:line:column: RULE message", with
// a 1-based line and a 1-based byte column, the form editors' quickfix
// lists and grep understand. Newlines inside a message are replaced by
// spaces so that a finding never spans two lines.
func Text(w io.Writer, findings []finding.Finding) error {
	bw := bufio.NewWriter(w)
	for _, f := range findings {
		bw.WriteString(f.File)
		bw.WriteByte(':')
		bw.WriteString(strconv.Itoa(f.Range.Start.Line + 1))
		bw.WriteByte(':')
		bw.WriteString(strconv.Itoa(f.Range.Start.Col + 1))
		bw.WriteString(": ")
		bw.WriteString(f.Rule)
		bw.WriteByte(' ')
		bw.WriteString(oneLine(f.Message))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
