// Package config reads leakls.json, the project configuration shared by
// "leakls check" and the language server: the level of each rule (off,
// hint, info, warning or error) and glob patterns of files to ignore.
//
//	{
//	  "rules": { "LK001": "error", "LK005": "off" },
//	  "ignore": ["dist/**", "**/*.min.js"]
//	}
//
// A configuration is found by looking for leakls.json in a directory and
// then in each parent directory (Find), read from an explicit path (Load),
// or parsed from bytes (Parse; the language server receives the same
// object as its initializationOptions). Every problem is reported as an
// *Error naming the file, the line and column, and what to change.
//
// docs/config.md documents the file for users.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/relpath"
)

// FileName is the name of the configuration file.
const FileName = "leakls.json"

// Level is the configured level of a rule: off, or the severity its
// findings are shown with.
type Level struct {
	Off      bool
	Severity finding.Severity // meaningful when !Off
}

// String returns the level's name as written in leakls.json.
func (l Level) String() string {
	if l.Off {
		return "off"
	}
	return l.Severity.String()
}

// Config is a parsed leakls.json. The nil *Config is valid and means "no
// configuration": nothing is ignored and rules keep their own severity.
type Config struct {
	// Path is the file the configuration was read from; empty when none
	// was found.
	Path string
	// Dir is the absolute directory that ignore patterns are relative to:
	// the directory of Path. Callers that parse text that is not a file
	// (the language server's initializationOptions) set it to the
	// workspace root.
	Dir string
	// Rules maps rule IDs to their configured level. Rules not listed keep
	// their default severity.
	Rules map[string]Level
	// Ignore holds the ignore patterns as written.
	Ignore []string

	globs []*glob
}

// Error is a problem in a configuration file. Line and Col are 1-based
// (the column counted in bytes); both are 0 when the position is unknown.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

// Error formats the problem as "file:line:col: message".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// knownRules returns the IDs of every rule, in order.
func knownRules() []string {
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
	}
	return ids
}

// Load reads and parses the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return Parse(data, path)
}

// Find looks for leakls.json in dir and then in each parent directory, and
// loads the first one found. When there is none it returns an empty
// configuration (Path "") whose Dir is dir.
func Find(dir string) (*Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("finding %s: %w", FileName, err)
	}
	for d := abs; ; {
		p := filepath.Join(d, FileName)
		info, err := os.Stat(p)
		if err == nil && !info.IsDir() {
			return Load(p)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
			return nil, fmt.Errorf("finding %s: %w", FileName, err)
		}
		parent := filepath.Dir(d)
		if parent == d {
			return &Config{Dir: abs}, nil
		}
		d = parent
	}
}

// Parse parses the configuration in data. name is the file it came from,
// used in errors and to set Dir.
func Parse(data []byte, name string) (*Config, error) {
	dir, err := filepath.Abs(filepath.Dir(name))
	if err != nil {
		dir = filepath.Dir(name)
	}
	c := &Config{Path: name, Dir: dir, Rules: make(map[string]Level)}
	// Editors on Windows may start the file with a UTF-8 byte order mark.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	p := &parser{data: data, name: name, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	if err := p.parse(c); err != nil {
		return nil, err
	}
	return c, nil
}

// Enabled reports whether rule id runs under this configuration.
func (c *Config) Enabled(id string) bool {
	if c == nil {
		return true
	}
	return !c.Rules[id].Off
}

// Ignored reports whether path (absolute, or relative to the current
// directory) matches an ignore pattern, or lies in a directory that does.
// Paths outside Dir are never ignored.
func (c *Config) Ignored(path string) bool {
	if c == nil || len(c.globs) == 0 {
		return false
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	rel, ok := relpath.Under(c.Dir, abs)
	if !ok || rel == "." {
		return false
	}
	segs := strings.Split(rel, "/")
	for _, g := range c.globs {
		if g.matchPrefix(segs) {
			return true
		}
	}
	return false
}

// Apply returns the findings that the configuration keeps: findings of rules
// that are off and findings in ignored files are dropped, and configured
// severities replace the rules' own. The input slice is not modified.
func (c *Config) Apply(findings []finding.Finding) []finding.Finding {
	if c == nil {
		return findings
	}
	out := make([]finding.Finding, 0, len(findings))
	ignored := make(map[string]bool) // per file, computed once
	for _, f := range findings {
		lvl, set := c.Rules[f.Rule]
		if set && lvl.Off {
			continue
		}
		ign, seen := ignored[f.File]
		if !seen {
			ign = c.Ignored(f.File)
			ignored[f.File] = ign
		}
		if ign {
			continue
		}
		if set {
			f.Severity = lvl.Severity
		}
		out = append(out, f)
	}
	return out
}

// parser walks the JSON token stream so that every error can point at the
// key or value at fault.
type parser struct {
	data []byte
	name string
	dec  *json.Decoder
}

// errAt returns an *Error at byte offset off (the first non-separator byte
// at or after off).
func (p *parser) errAt(off int64, format string, args ...any) error {
	o := max(int(off), 0)
	for o < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[o]) >= 0 {
		o++
	}
	o = min(o, len(p.data))
	line := 1 + bytes.Count(p.data[:o], []byte("\n"))
	col := o - (bytes.LastIndexByte(p.data[:o], '\n') + 1) + 1
	return &Error{File: p.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next token and the offset where it starts.
func (p *parser) next() (json.Token, int64, error) {
	off := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err == nil {
		return tok, off, nil
	}
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &syn):
		return nil, off, p.errAt(syn.Offset-1, "malformed JSON: %s", syn.Error())
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return nil, off, p.errAt(int64(len(p.data)), "unexpected end of file: the JSON object is incomplete")
	}
	return nil, off, p.errAt(off, "malformed JSON: %v", err)
}

// kind names the JSON type of a token for error messages.
func kind(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "null"
}

// skip consumes the rest of a value that started with tok.
func (p *parser) skip(tok json.Token) error {
	d, ok := tok.(json.Delim)
	if !ok || (d != '{' && d != '[') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, _, err := p.next()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

// nextString reads the next value, which must be a string. Another value
// is skipped and reported as "mustBe, not <its kind>".
func (p *parser) nextString(mustBe string) (string, int64, error) {
	tok, off, err := p.next()
	if err != nil {
		return "", off, err
	}
	s, ok := tok.(string)
	if !ok {
		if err := p.skip(tok); err != nil {
			return "", off, err
		}
		return "", off, p.errAt(off, "%s, not %s", mustBe, kind(tok))
	}
	return s, off, nil
}

func (p *parser) parse(c *Config) error {
	tok, off, err := p.next()
	if err != nil {
		if len(bytes.TrimSpace(p.data)) == 0 {
			return &Error{File: p.name, Msg: `the file is empty; write a JSON object such as {"rules": {}}`}
		}
		return err
	}
	if tok != json.Delim('{') {
		return p.errAt(off, "the configuration must be a JSON object, not %s", kind(tok))
	}
	seen := make(map[string]bool)
	for p.dec.More() {
		tok, off, err := p.next()
		if err != nil {
			return err
		}
		key := tok.(string) // object keys are always strings
		if seen[key] {
			return p.errAt(off, "duplicate key %q", key)
		}
		seen[key] = true
		switch key {
		case "rules":
			err = p.parseRules(c)
		case "ignore":
			err = p.parseIgnore(c)
		case "$schema":
			err = p.parseSchema()
		default:
			return p.errAt(off, `unknown key %q (the keys are "rules" and "ignore")`, key)
		}
		if err != nil {
			return err
		}
	}
	if _, _, err := p.next(); err != nil { // the closing '}'
		return err
	}
	end := p.dec.InputOffset()
	if rest := bytes.TrimSpace(p.data[end:]); len(rest) > 0 {
		return p.errAt(end, "unexpected text after the configuration object")
	}
	return nil
}

func (p *parser) parseSchema() error {
	tok, off, err := p.next()
	if err != nil {
		return err
	}
	if _, ok := tok.(string); !ok {
		return p.errAt(off, `"$schema" must be a string, not %s`, kind(tok))
	}
	return nil
}

func (p *parser) parseRules(c *Config) error {
	tok, off, err := p.next()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return p.errAt(off, `"rules" must be an object mapping rule IDs to levels, such as {"LK001": "error"}, not %s`, kind(tok))
	}
	for p.dec.More() {
		tok, keyOff, err := p.next()
		if err != nil {
			return err
		}
		r := rules.Lookup(tok.(string)) // an ID or a name, as --rules takes
		if r == nil {
			return p.errAt(keyOff, "unknown rule %q (known rules: %s)", tok, strings.Join(knownRules(), ", "))
		}
		id := r.ID
		if _, dup := c.Rules[id]; dup {
			return p.errAt(keyOff, "rule %s is configured twice", id)
		}
		s, valOff, err := p.nextString(fmt.Sprintf(`the level of %s must be a string ("off", "hint", "info", "warning" or "error")`, id))
		if err != nil {
			return err
		}
		lvl, err := parseLevel(s)
		if err != nil {
			return p.errAt(valOff, "rule %s: %v", id, err)
		}
		c.Rules[id] = lvl
	}
	_, _, err = p.next() // '}'
	return err
}

func parseLevel(s string) (Level, error) {
	if s == "off" {
		return Level{Off: true}, nil
	}
	sev, err := finding.ParseSeverity(s)
	if err != nil {
		return Level{}, fmt.Errorf("unknown level %q (want off, hint, info, warning or error)", s)
	}
	return Level{Severity: sev}, nil
}

func (p *parser) parseIgnore(c *Config) error {
	tok, off, err := p.next()
	if err != nil {
		return err
	}
	if tok != json.Delim('[') {
		return p.errAt(off, `"ignore" must be an array of glob patterns, such as ["dist/**"], not %s`, kind(tok))
	}
	for p.dec.More() {
		s, off, err := p.nextString("an ignore pattern must be a string")
		if err != nil {
			return err
		}
		g, err := compileGlob(s)
		if err != nil {
			return p.errAt(off, "%v", err)
		}
		c.Ignore = append(c.Ignore, s)
		c.globs = append(c.globs, g)
	}
	_, _, err = p.next() // ']'
	return err
}
