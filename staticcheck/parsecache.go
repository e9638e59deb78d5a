package staticcheck

import (
	"container/list"
	"context"
	"crypto/sha256"
	"errors"
	"sync"
)

// ParseStats counts what a Checker's parse cache did.
type ParseStats struct {
	// Parses is the number of files parsed: versions the cache did not hold.
	Parses int64
	// Hits is the number of files served from the cache.
	Hits int64
	// Evictions is the number of parsed files dropped to stay within the
	// budget.
	Evictions int64
}

// parseCache keeps the parsed units of files keyed by path and the SHA-256
// of their content: a file checked again unchanged is not parsed again.
// It holds one version per path (a new version replaces the old) and
// drops the least recently used files when their sources exceed budget
// bytes (0: no limit). Concurrent requests for the same version share one
// parse. It is safe for concurrent use.
type parseCache struct {
	budget int64

	mu     sync.Mutex
	size   int64                  // source bytes of the cached units
	byPath map[string]*cacheEntry // latest version of each path
	lru    list.List              // *cacheEntry, most recently used first
	stats  ParseStats
}

// cacheEntry is one parsed version of a file. ready is closed once unit or
// err is set; an entry whose parse failed leaves the cache.
type cacheEntry struct {
	path  string
	sum   [sha256.Size]byte
	size  int64
	ready chan struct{}
	unit  *Unit
	err   error
	elem  *list.Element // nil once out of the cache
}

func newParseCache(budget int64) *parseCache {
	return &parseCache{budget: budget, byPath: make(map[string]*cacheEntry)}
}

// parse returns the unit of f, parsing it (see parseFile) unless the cache
// holds this version.
func (c *parseCache) parse(ctx context.Context, f File) (*Unit, error) {
	sum := sha256.Sum256(f.Src)
	for {
		e, owner := c.lookup(f.Path, sum, int64(len(f.Src)))
		if owner {
			e.unit, e.err = parseFile(ctx, f)
			c.finish(e)
			return e.unit, e.err
		}
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil || !isCancel(e.err) {
			return e.unit, e.err
		}
		// The parse this call waited for was cancelled by its caller's
		// ctx, not by ours: parse again.
	}
}

// lookup returns the entry of path at version sum, and whether the caller
// must parse it (a new entry) rather than wait for it.
func (c *parseCache) lookup(path string, sum [sha256.Size]byte, size int64) (*cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.byPath[path]; e != nil {
		if e.sum == sum {
			c.lru.MoveToFront(e.elem)
			c.stats.Hits++
			return e, false
		}
		c.removeLocked(e)
	}
	e := &cacheEntry{path: path, sum: sum, size: size, ready: make(chan struct{})}
	e.elem = c.lru.PushFront(e)
	c.byPath[path] = e
	c.size += size
	c.stats.Parses++
	c.evictLocked(e)
	return e, true
}

// finish publishes the outcome of e's parse; a failed parse leaves the
// cache, so that the next request tries again.
func (c *parseCache) finish(e *cacheEntry) {
	c.mu.Lock()
	if e.err != nil && e.elem != nil {
		c.removeLocked(e)
	}
	c.mu.Unlock()
	close(e.ready)
}

// evictLocked drops the least recently used entries, other than keep,
// while the cache is over its budget. The caller holds c.mu.
func (c *parseCache) evictLocked(keep *cacheEntry) {
	for c.budget > 0 && c.size > c.budget {
		back := c.lru.Back()
		if back == nil || back.Value == keep {
			return
		}
		c.removeLocked(back.Value.(*cacheEntry))
		c.stats.Evictions++
	}
}

// removeLocked takes e out of the cache. The caller holds c.mu.
func (c *parseCache) removeLocked(e *cacheEntry) {
	if e.elem == nil {
		return
	}
	c.lru.Remove(e.elem)
	e.elem = nil
	c.size -= e.size
	if c.byPath[e.path] == e {
		delete(c.byPath, e.path)
	}
}

// snapshot returns the counters.
func (c *parseCache) snapshot() ParseStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
