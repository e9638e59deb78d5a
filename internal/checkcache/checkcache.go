// Package checkcache remembers the findings of "leakls check" so that a
// second run over unchanged files does not analyse them again.
//
// # What a key covers
//
// Rules use cross-file facts (an exported Map filled in one module may be
// evicted in another), so one file's findings can change when a different
// file changes. A per-file cache keyed by that file's content alone could
// return stale findings. Instead, one entry holds the findings of a whole
// run, and its key is a hash of everything the run depends on: the leakls
// build, the selected rules, the options, and the path and content hash of
// every analysed file and of every project file the module graph reads
// (package.json, tsconfig.json). Any change to any of them is a miss, so a
// hit can never be stale; the price is that editing one file re-analyses
// the set. The warm path costs reading and hashing the files, which is far
// cheaper than parsing and analysing them.
//
// # Storage
//
// Entries live in os.UserCacheDir()/leakls (or a chosen directory), one file
// per key, written atomically (temporary file and rename) with a checksum of
// their contents. An entry that is truncated, corrupt, or from another
// format version is treated as a miss and removed. Reading an entry marks
// it as used; the cache keeps the most recently used MaxEntries entries.
package checkcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/leakls/leakls/finding"
)

// MaxEntries is how many entries a cache directory keeps; older ones are
// removed when a new one is written.
const MaxEntries = 64

// header starts every entry file; the hex SHA-256 of the payload follows it.
const header = "leakls-check-cache v1 "

// Key identifies one check run: a SHA-256 over all its inputs.
type Key [sha256.Size]byte

// String returns the key in hex.
func (k Key) String() string { return hex.EncodeToString(k[:]) }

// KeyBuilder hashes the inputs of a run into a Key. Each input is written
// with its length, so that no two different sequences of inputs hash alike.
type KeyBuilder struct {
	h hash.Hash
}

// NewKey starts a key for a run of the given leakls build (any string that
// changes whenever the analysis code may have changed).
func NewKey(build string) *KeyBuilder {
	b := &KeyBuilder{h: sha256.New()}
	b.String("build", build)
	return b
}

// String adds a named string input (an option, a rule ID).
func (b *KeyBuilder) String(name, value string) {
	b.field('s', name)
	b.field('v', value)
}

// File adds a file's path and contents.
func (b *KeyBuilder) File(path string, content []byte) {
	sum := sha256.Sum256(content)
	b.field('f', path)
	b.h.Write(sum[:])
}

func (b *KeyBuilder) field(tag byte, s string) {
	var n [9]byte
	n[0] = tag
	binary.LittleEndian.PutUint64(n[1:], uint64(len(s)))
	b.h.Write(n[:])
	b.h.Write([]byte(s))
}

// Sum returns the key.
func (b *KeyBuilder) Sum() Key {
	var k Key
	b.h.Sum(k[:0])
	return k
}

// Cache is a directory of entries.
type Cache struct {
	dir string
}

// DefaultDir returns os.UserCacheDir()/leakls.
func DefaultDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no user cache directory (set $XDG_CACHE_HOME or $HOME, or use --no-cache): %w", err)
	}
	return filepath.Join(d, "leakls"), nil
}

// Open returns the cache in dir, creating the directory if needed.
func Open(dir string) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("opening check cache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

func (c *Cache) path(k Key) string { return filepath.Join(c.dir, k.String()+".check") }

// Dep is a file a stored result depends on beyond the key's inputs, with
// the content it had.
type Dep struct {
	Path    string   `json:"path"`
	Sum     [32]byte `json:"sum"`
	Missing bool     `json:"missing,omitempty"` // the file did not exist
}

// FileDep records the current content (or absence) of the file at path.
func FileDep(path string) Dep {
	data, err := os.ReadFile(path)
	if err != nil {
		return Dep{Path: path, Missing: true}
	}
	return Dep{Path: path, Sum: sha256.Sum256(data)}
}

// entry is the payload of an entry file.
type entry struct {
	Findings []finding.Finding `json:"findings"`
	Deps     []Dep             `json:"deps"`
}

// Get returns the findings stored under k. A missing, unreadable or corrupt
// entry is a miss, and so is one whose dependencies changed; a corrupt one
// is removed.
func (c *Cache) Get(k Key) ([]finding.Finding, bool) {
	p := c.path(k)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	e, err := decode(data)
	if err != nil {
		os.Remove(p)
		return nil, false
	}
	for _, d := range e.Deps {
		if FileDep(d.Path) != d {
			return nil, false
		}
	}
	now := time.Now()
	os.Chtimes(p, now, now) // mark as recently used; failure only affects trimming
	return e.Findings, true
}

func decode(data []byte) (*entry, error) {
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 || !bytes.HasPrefix(data, []byte(header)) {
		return nil, errors.New("no header")
	}
	want := string(data[len(header):nl])
	payload := data[nl+1:]
	sum := sha256.Sum256(payload)
	if hex.EncodeToString(sum[:]) != want {
		return nil, errors.New("checksum mismatch")
	}
	var e entry
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// Put stores findings under k with the files they depend on beyond the
// key's inputs (see FileDep), then trims the directory to MaxEntries.
func (c *Cache) Put(k Key, fs []finding.Finding, deps []Dep) error {
	if fs == nil {
		fs = []finding.Finding{}
	}
	payload, err := json.Marshal(entry{Findings: fs, Deps: deps})
	if err != nil {
		return fmt.Errorf("writing check cache: %w", err)
	}
	sum := sha256.Sum256(payload)
	tmp, err := os.CreateTemp(c.dir, "tmp-*")
	if err != nil {
		return fmt.Errorf("writing check cache: %w", err)
	}
	_, err = fmt.Fprintf(tmp, "%s%s\n", header, hex.EncodeToString(sum[:]))
	if err == nil {
		_, err = tmp.Write(payload)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), c.path(k))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing check cache: %w", err)
	}
	c.trim()
	return nil
}

// trim removes the least recently used entries beyond MaxEntries, and
// temporary files left by interrupted writes.
func (c *Cache) trim() {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	type entry struct {
		name string
		mod  time.Time
	}
	var entries []entry
	for _, e := range ents {
		info, err := e.Info()
		if err != nil {
			continue
		}
		switch {
		case strings.HasSuffix(e.Name(), ".check"):
			entries = append(entries, entry{e.Name(), info.ModTime()})
		case strings.HasPrefix(e.Name(), "tmp-") && time.Since(info.ModTime()) > time.Hour:
			os.Remove(filepath.Join(c.dir, e.Name()))
		}
	}
	if len(entries) <= MaxEntries {
		return
	}
	slices.SortFunc(entries, func(a, b entry) int { return b.mod.Compare(a.mod) })
	for _, e := range entries[MaxEntries:] {
		os.Remove(filepath.Join(c.dir, e.name))
	}
}
