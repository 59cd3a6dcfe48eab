package tiles

import (
	"errors"
	"sync"
)

// errRenderPanicked is what callers waiting on a render see when it panicked.
var errRenderPanicked = errors.New("tiles: tile render panicked")

// entryOverhead is what a cache entry costs beyond its tile's bytes.
const entryOverhead = 160

// A Cache holds rendered tiles keyed on (snapshot version, z, x, y),
// bounded in bytes and evicting the least recently used. Concurrent misses
// of the same key are collapsed into one render. Failed renders are not
// cached. It is safe for concurrent use.
type Cache struct {
	mu       sync.Mutex
	maxBytes int64
	bytes    int64
	entries  map[cacheKey]*cacheEntry
	calls    map[cacheKey]*cacheCall
	head     cacheEntry // sentinel: head.next is the most recently used
	stats    CacheStats
}

type cacheKey struct {
	version uint64
	key     Key
}

type cacheEntry struct {
	key        cacheKey
	tile       Tile
	size       int64
	prev, next *cacheEntry
}

type cacheCall struct {
	done chan struct{}
	tile Tile
	err  error
}

// CacheStats counts what a cache did.
type CacheStats struct {
	// Hits and Misses count Get calls; a caller that waited for another's
	// render counts as a miss, Renders counts the renders run.
	Hits, Misses, Renders, Evictions uint64
	// Entries and Bytes are what the cache holds now, MaxBytes its bound.
	Entries         int
	Bytes, MaxBytes int64
}

// NewCache returns a cache holding at most maxBytes of tiles (Tile.Size
// plus a small overhead per entry). A tile larger than the bound is served
// but not kept.
func NewCache(maxBytes int64) *Cache {
	c := &Cache{maxBytes: max(maxBytes, 0), entries: make(map[cacheKey]*cacheEntry), calls: make(map[cacheKey]*cacheCall)}
	c.head.prev, c.head.next = &c.head, &c.head
	return c
}

// Get returns the tile k of snapshot version, from the cache (hit true) or
// by calling render once however many callers miss it at the same time.
// Tiles of another version are never returned.
func (c *Cache) Get(version uint64, k Key, render func() (Tile, error)) (tile Tile, hit bool, err error) {
	key := cacheKey{version, k}
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		c.stats.Hits++
		c.unlink(e)
		c.pushFront(e)
		c.mu.Unlock()
		return e.tile, true, nil
	}
	c.stats.Misses++
	if call, ok := c.calls[key]; ok {
		c.mu.Unlock()
		<-call.done
		return call.tile, false, call.err
	}
	call := &cacheCall{done: make(chan struct{}), err: errRenderPanicked}
	c.calls[key] = call
	c.stats.Renders++
	c.mu.Unlock()
	defer c.finish(key, call)
	call.tile, call.err = render()
	return call.tile, false, call.err
}

// finish publishes a render's result to its waiters and keeps it.
func (c *Cache) finish(key cacheKey, call *cacheCall) {
	c.mu.Lock()
	delete(c.calls, key)
	if call.err == nil {
		c.insert(key, call.tile)
	}
	c.mu.Unlock()
	close(call.done)
}

// Tile returns tile k of the renderer's snapshot through the cache.
func (c *Cache) Tile(r *Renderer, k Key) (Tile, bool, error) {
	return c.Get(r.Version(), k, func() (Tile, error) { return r.RenderTile(k) })
}

// insert adds a tile as the most recently used, evicting as needed. c.mu is held.
func (c *Cache) insert(key cacheKey, t Tile) {
	size := t.Size() + entryOverhead
	if size > c.maxBytes {
		return
	}
	if old, ok := c.entries[key]; ok {
		c.remove(old)
	}
	for c.bytes+size > c.maxBytes {
		c.remove(c.head.prev)
		c.stats.Evictions++
	}
	e := &cacheEntry{key: key, tile: t, size: size}
	c.entries[key] = e
	c.pushFront(e)
	c.bytes += size
}

func (c *Cache) remove(e *cacheEntry) {
	c.unlink(e)
	delete(c.entries, e.key)
	c.bytes -= e.size
}

func (c *Cache) unlink(e *cacheEntry) {
	e.prev.next, e.next.prev = e.next, e.prev
}

func (c *Cache) pushFront(e *cacheEntry) {
	e.prev, e.next = &c.head, c.head.next
	c.head.next.prev = e
	c.head.next = e
}

// Carry copies into version to every tile of version from that unchanged
// reports the same in both (see Changes.Unchanged), unless to has it
// already, and returns how many it copied. unchanged runs without the
// cache's lock.
func (c *Cache) Carry(from, to uint64, unchanged func(Key) bool) int {
	c.mu.Lock()
	var keys []Key
	for k := range c.entries {
		if k.version == from {
			keys = append(keys, k.key)
		}
	}
	c.mu.Unlock()
	n := 0
	for _, k := range keys {
		if !unchanged(k) {
			continue
		}
		c.mu.Lock()
		if e, ok := c.entries[cacheKey{from, k}]; ok {
			if _, there := c.entries[cacheKey{to, k}]; !there {
				c.insert(cacheKey{to, k}, e.tile)
				n++
			}
		}
		c.mu.Unlock()
	}
	return n
}

// Retain drops every tile of another snapshot version, to free their
// memory at once after a snapshot change (they are never served anyway).
func (c *Cache) Retain(version uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for e := c.head.next; e != &c.head; {
		next := e.next
		if e.key.version != version {
			c.remove(e)
			c.stats.Evictions++
		}
		e = next
	}
}

// Stats returns the cache's counters.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Entries, s.Bytes, s.MaxBytes = len(c.entries), c.bytes, c.maxBytes
	return s
}
