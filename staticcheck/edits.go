package staticcheck

// Building blocks of the rules' quick fixes: where a statement's line
// starts and ends, inserted and removed lines, fresh names.

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// AfterStatement returns the offset where code that should follow stmt on
// a new line is inserted: the end of stmt, or the end of its line when only
// a line comment follows it there (so the comment stays with stmt).
func (u *Unit) AfterStatement(stmt syntax.Node) int {
	end := u.Tree.EndByte(stmt)
	lineEnd := u.Tree.LineEnd(end)
	if bytes.HasPrefix(bytes.TrimSpace(u.Tree.Src[end:lineEnd]), []byte("//")) {
		return lineEnd
	}
	return end
}

// aloneOnLines reports whether only white space precedes n on its first
// line and only white space or a line comment follows it on its last line.
// It returns the byte range of those whole lines, newline included.
func aloneOnLines(t *syntax.Tree, n syntax.Node) (start, end int, ok bool) {
	src := t.Src
	start = t.LineStart(t.Start(n))
	if len(bytes.TrimSpace(src[start:t.Start(n)])) != 0 {
		return 0, 0, false
	}
	end = t.EndByte(n)
	rest := t.LineEnd(end)
	if !blankOrComment(src[end:rest]) {
		return 0, 0, false
	}
	if rest < len(src) {
		rest++
	}
	return start, rest, true
}

// blankOrComment reports whether the rest of a line is white space,
// possibly followed by a line comment.
func blankOrComment(rest []byte) bool {
	tail := bytes.TrimSpace(rest)
	return len(tail) == 0 || bytes.HasPrefix(tail, []byte("//"))
}

// removeStatement returns the edit that deletes statement stmt: its whole
// lines when it stands alone on them, otherwise just its text.
func removeStatement(t *syntax.Tree, stmt syntax.Node) finding.Edit {
	if start, end, ok := aloneOnLines(t, stmt); ok {
		return finding.Edit{Start: start, End: end}
	}
	return finding.Edit{Start: t.Start(stmt), End: t.EndByte(stmt)}
}

// insertLineAfter returns the edit that adds text as a new line after
// statement stmt, indented like stmt. A line comment that follows stmt on
// its line stays with stmt.
func insertLineAfter(t *syntax.Tree, stmt syntax.Node, text string) finding.Edit {
	end := t.EndByte(stmt)
	if rest := t.LineEnd(end); blankOrComment(t.Src[end:rest]) {
		end = rest
		if end > 0 && t.Src[end-1] == '\r' {
			end--
		}
	}
	return finding.Edit{Start: end, End: end, NewText: "\n" + t.Indent(t.Start(stmt)) + text}
}

// insertLineBefore returns the edit that adds text as a new line before
// statement stmt, indented like stmt. stmt must start its line.
func insertLineBefore(t *syntax.Tree, stmt syntax.Node, text string) finding.Edit {
	start := t.Start(stmt)
	return finding.Edit{Start: start, End: start, NewText: text + "\n" + t.Indent(start)}
}

// FreshName returns base, or base with a number appended, such that the
// name is declared nowhere in the file and used nowhere as a global, so a
// fix can introduce it anywhere.
func (u *Unit) FreshName(base string) string {
	if !u.Scope.NameInUse(base) {
		return base
	}
	for i := 2; ; i++ {
		name := base + strconv.Itoa(i)
		if !u.Scope.NameInUse(name) {
			return name
		}
	}
}

// identifierWords splits a string into words for building identifiers
// ("user:login" → ["user", "login"]).
func identifierWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '$')
	})
}

// CamelName joins words into a lowerCamel identifier ("on", "user login" →
// "onUserLogin"); the first word is kept as is.
func CamelName(first string, rest ...string) string {
	var b strings.Builder
	b.WriteString(first)
	for _, r := range rest {
		for _, w := range identifierWords(r) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}
