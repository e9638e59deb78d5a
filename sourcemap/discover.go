package sourcemap

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotFound is returned (wrapped) by Find when generated code names no
// source map and no ".map" file lies next to it.
var ErrNotFound = errors.New("no source map found")

// URLComment returns the URL of the sourceMappingURL comment that ends the
// JavaScript text src — "//# sourceMappingURL=…", the legacy "//@ …" form, or
// "/*# … */" — and false when there is none. Following the ECMA-426
// extraction without parsing, the last such comment wins and any code after
// it cancels it, so a URL mentioned earlier in a string literal is not taken.
func URLComment(src []byte) (string, bool) {
	if !bytes.Contains(src, []byte("sourceMappingURL=")) {
		return "", false
	}
	last := ""
	for len(src) > 0 {
		var line []byte
		line, src = nextLine(src)
		for i := 0; i < len(line); {
			c := line[i]
			i++
			switch {
			case c == '/' && i < len(line) && line[i] == '/':
				if u, ok := matchURL(line[i+1:]); ok {
					last = u
				}
				i = len(line)
			case c == '/' && i < len(line) && line[i] == '*':
				end := bytes.Index(line[i+1:], []byte("*/"))
				if end < 0 {
					// Comments that span lines are not searched (as in
					// the specification's algorithm); the code after
					// them resets the result anyway.
					i = len(line)
					break
				}
				if u, ok := matchURL(line[i+1 : i+1+end]); ok {
					last = u
				}
				i += 1 + end + 2
			case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			default:
				last = ""
			}
		}
	}
	return last, last != ""
}

// nextLine splits off the first line of src at a JavaScript line terminator
// (LF, CR, U+2028 or U+2029).
func nextLine(src []byte) (line, rest []byte) {
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n', '\r':
			return src[:i], src[i+1:]
		case 0xE2:
			if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
				return src[:i], src[i+3:]
			}
		}
	}
	return src, nil
}

// matchURL matches the text of a comment (after "//" or between "/*" and
// "*/") against "[@#] sourceMappingURL=URL" with optional whitespace, where
// URL has no whitespace.
func matchURL(comment []byte) (string, bool) {
	if len(comment) == 0 || comment[0] != '@' && comment[0] != '#' {
		return "", false
	}
	rest := bytes.TrimLeft(comment[1:], " \t\v\f")
	u, ok := bytes.CutPrefix(rest, []byte("sourceMappingURL="))
	if !ok {
		return "", false
	}
	u = bytes.TrimRight(u, " \t\v\f")
	if len(u) == 0 || bytes.ContainsAny(u, " \t\v\f") {
		return "", false
	}
	return string(u), true
}

// Load reads and parses the source map file at path. Relative sources
// resolve against the file's directory.
func Load(path string) (*Map, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	m, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.URL = path
	m.base = filepath.Dir(path)
	return m, nil
}

// Find returns the source map of the generated file at path whose text is
// src (Find reads the file when src is nil; a heap snapshot, for example,
// gives the text of a script that may no longer be on disk). The map is the
// one named by the text's sourceMappingURL comment — inline as a data: URL,
// or a file given by a relative path or a file: URL — or else path+".map".
// When neither exists the error wraps ErrNotFound.
func Find(path string, src []byte) (*Map, error) {
	if src == nil {
		var err error
		if src, err = readFile(path); err != nil {
			return nil, err
		}
	}
	dir := filepath.Dir(path)
	ref, ok := URLComment(src)
	if !ok {
		m, err := Load(path + ".map")
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w (no sourceMappingURL comment and no %s)", path, ErrNotFound, filepath.Base(path)+".map")
		}
		return m, err
	}
	if data, ok := strings.CutPrefix(ref, "data:"); ok {
		js, err := decodeDataURL(data)
		if err != nil {
			return nil, fmt.Errorf("%s: inline source map: %w", path, err)
		}
		m, err := Parse(js)
		if err != nil {
			return nil, fmt.Errorf("%s: inline %w", path, err)
		}
		m.URL = "data:"
		m.base = dir
		return m, nil
	}
	if isAbsoluteURL(ref) {
		if _, ok := fileURLPath(ref); !ok {
			return nil, fmt.Errorf("%s: its sourceMappingURL %q is not a file path, a file: URL or a data: URL; only those can be read", path, ref)
		}
	}
	m, err := Load(resolve(dir, ref))
	if err != nil {
		return nil, fmt.Errorf("%s names its source map by a sourceMappingURL comment, but: %w", path, err)
	}
	return m, nil
}

// maxFileSize bounds what Load and Find read: a name in a comment must not
// make them read a device or an enormous file.
const maxFileSize = 1 << 30

// readFile reads a regular file of at most maxFileSize bytes.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s is larger than %d MiB; not read", path, maxFileSize>>20)
	}
	return data, nil
}

// decodeDataURL decodes the part of a data: URL after "data:": an optional
// media type with parameters, an optional ";base64", a comma, the data.
func decodeDataURL(s string) ([]byte, error) {
	header, data, ok := strings.Cut(s, ",")
	if !ok {
		return nil, errors.New("data: URL without a comma before its data")
	}
	params := strings.Split(header, ";")
	isBase64 := false
	for _, p := range params[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch {
		case strings.EqualFold(k, "base64") && v == "":
			isBase64 = true
		case strings.EqualFold(k, "charset"):
			v = strings.Trim(v, `"`)
			if !strings.EqualFold(v, "utf-8") && !strings.EqualFold(v, "utf8") && !strings.EqualFold(v, "us-ascii") {
				return nil, fmt.Errorf("data: URL in charset %q; source maps must be UTF-8", v)
			}
		}
	}
	if !isBase64 {
		text, err := url.PathUnescape(data)
		if err != nil {
			return nil, fmt.Errorf("data: URL: %w", err)
		}
		return []byte(text), nil
	}
	// Base64 data may itself be percent-escaped, and padding is optional.
	if strings.Contains(data, "%") {
		text, err := url.PathUnescape(data)
		if err != nil {
			return nil, fmt.Errorf("data: URL: %w", err)
		}
		data = text
	}
	out, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		out, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(data, "="))
	}
	if err != nil {
		return nil, fmt.Errorf("data: URL: bad base64: %w", err)
	}
	return out, nil
}

// fileURLPath returns the local path of a file: URL (host empty or
// "localhost"), with percent-escapes decoded.
func fileURLPath(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || !strings.EqualFold(u.Scheme, "file") || u.Host != "" && u.Host != "localhost" || u.Path == "" {
		return "", false
	}
	return filepath.FromSlash(u.Path), true
}

// unescape decodes the percent-escapes of a relative URL, keeping the text
// as it is when it is not a valid escape sequence (a file may well be named
// "100%.js").
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
