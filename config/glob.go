package config

import (
	"fmt"
	"path"
	"strings"
)

// glob is a compiled doublestar-style pattern: "/"-separated segments where
// "**" matches any number of whole segments (including none) and other
// segments are path.Match patterns ("*", "?", "[a-z]", "\\*").
type glob struct {
	text string
	alts [][]string // brace alternatives, each split into segments
}

// maxBraceAlternatives bounds brace expansion, so that a hostile pattern
// such as "{a,b}{a,b}{a,b}…" cannot exhaust memory.
const maxBraceAlternatives = 1024

// compileGlob compiles pattern. Braces "{a,b}" expand to alternatives; a
// leading "/" or "./" and a trailing "/" are dropped (patterns are always
// relative to the config file's directory, and a pattern matching a
// directory matches everything below it).
func compileGlob(pattern string) (*glob, error) {
	if strings.TrimSpace(pattern) == "" {
		return nil, fmt.Errorf("empty ignore pattern")
	}
	expanded, err := expandBraces(pattern)
	if err != nil {
		return nil, err
	}
	g := &glob{text: pattern}
	for _, p := range expanded {
		p = strings.TrimPrefix(p, "./")
		p = strings.Trim(p, "/")
		var segs []string
		for _, s := range strings.Split(p, "/") {
			if s == "" || s == "." {
				continue
			}
			if s == ".." {
				return nil, fmt.Errorf("ignore pattern %q: \"..\" is not allowed; patterns are relative to the directory of the config file", pattern)
			}
			if s != "**" {
				if strings.Contains(s, "**") {
					return nil, fmt.Errorf("ignore pattern %q: \"**\" must be a whole path segment, as in \"a/**/b\"", pattern)
				}
				if _, err := path.Match(s, ""); err != nil {
					return nil, fmt.Errorf("ignore pattern %q: malformed segment %q", pattern, s)
				}
			}
			segs = append(segs, s)
		}
		if len(segs) == 0 {
			return nil, fmt.Errorf("ignore pattern %q matches nothing", pattern)
		}
		g.alts = append(g.alts, segs)
	}
	return g, nil
}

// expandBraces expands the first top-level "{a,b,…}" group of p and
// recurses, returning every alternative.
func expandBraces(p string) ([]string, error) {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		if strings.IndexByte(p, '}') >= 0 {
			return nil, fmt.Errorf("ignore pattern %q: unmatched \"}\"", p)
		}
		return []string{p}, nil
	}
	depth, start := 0, open+1
	var parts []string
	for i := open; i < len(p); i++ {
		switch p[i] {
		case '{':
			depth++
		case ',':
			if depth == 1 {
				parts = append(parts, p[start:i])
				start = i + 1
			}
		case '}':
			depth--
			if depth == 0 {
				parts = append(parts, p[start:i])
				var out []string
				for _, part := range parts {
					rest, err := expandBraces(p[:open] + part + p[i+1:])
					if err != nil {
						return nil, err
					}
					out = append(out, rest...)
					if len(out) > maxBraceAlternatives {
						return nil, fmt.Errorf("ignore pattern %q expands to more than %d alternatives", p, maxBraceAlternatives)
					}
				}
				return out, nil
			}
		}
	}
	return nil, fmt.Errorf("ignore pattern %q: unmatched \"{\"", p)
}

// matchPrefix reports whether the glob matches segs or a leading part of
// it (a directory that contains the path).
func (g *glob) matchPrefix(segs []string) bool {
	for _, alt := range g.alts {
		if matchSegments(alt, segs) {
			return true
		}
	}
	return false
}

// matchSegments reports whether pattern segments pat match segs[:j] for
// some j ≥ 1. It fills a dynamic-programming table row by row, so that
// patterns with many "**" stay linear in len(pat)·len(segs) instead of
// backtracking exponentially.
func matchSegments(pat, segs []string) bool {
	// prev[j]: pat[:i] matches segs[:j].
	prev := make([]bool, len(segs)+1)
	cur := make([]bool, len(segs)+1)
	prev[0] = true
	for _, p := range pat {
		for j := range cur {
			cur[j] = false
		}
		for j := 0; j <= len(segs); j++ {
			if p == "**" {
				// ** matches zero segments, or one more segment.
				cur[j] = prev[j] || (j > 0 && cur[j-1])
			} else if j > 0 && prev[j-1] {
				ok, _ := path.Match(p, segs[j-1])
				cur[j] = ok
			}
		}
		prev, cur = cur, prev
	}
	for j := 1; j <= len(segs); j++ {
		if prev[j] {
			return true
		}
	}
	return false
}
