package tiles

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sizedTile returns a tile whose Size is n bytes (n >= 2).
func sizedTile(n int) Tile { return Tile{Data: make([]byte, n-2), ETag: `""`} }

func TestCacheHitMissAndVersion(t *testing.T) {
	c := NewCache(1 << 20)
	renders := 0
	render := func() (Tile, error) { renders++; return sizedTile(100), nil }
	k := Key{14, 13123, 7012}
	steps := []struct {
		name        string
		version     uint64
		key         Key
		wantHit     bool
		wantRenders int
	}{
		{"first get misses", 1, k, false, 1},
		{"second get hits", 1, k, true, 1},
		{"other key misses", 1, Key{14, 13123, 7013}, false, 2},
		{"new version misses", 2, k, false, 3},
		{"new version then hits", 2, k, true, 3},
		{"old version still cached", 1, k, true, 3},
	}
	for _, s := range steps {
		_, hit, err := c.Get(s.version, s.key, render)
		if err != nil || hit != s.wantHit || renders != s.wantRenders {
			t.Errorf("%s: Get(%d, %v) hit %v err %v renders %d, want hit %v renders %d", s.name, s.version, s.key, hit, err, renders, s.wantHit, s.wantRenders)
		}
	}
	c.Retain(2)
	if _, hit, _ := c.Get(1, k, render); hit {
		t.Errorf("Get of version 1 after Retain(2) hit, want a miss")
	}
	st := c.Stats()
	if st.Hits != 3 || st.Misses != 4 || st.Renders != 4 {
		t.Errorf("Stats() = %+v, want 3 hits, 4 misses, 4 renders", st)
	}
}

func TestCacheByteBoundAndLRU(t *testing.T) {
	const tileSize = 1000
	per := int64(tileSize + entryOverhead)
	c := NewCache(3 * per)
	get := func(x uint32) bool {
		_, hit, err := c.Get(1, Key{10, x, 0}, func() (Tile, error) { return sizedTile(tileSize), nil })
		if err != nil {
			t.Fatal(err)
		}
		return hit
	}
	get(0)
	get(1)
	get(2)
	get(0) // 0 is now the most recently used; 1 the least
	get(3) // evicts 1
	if st := c.Stats(); st.Bytes > st.MaxBytes || st.Entries != 3 || st.Evictions != 1 {
		t.Errorf("Stats() = %+v, want 3 entries within %d bytes and 1 eviction", st, 3*per)
	}
	for _, x := range []uint32{0, 2, 3} {
		if !get(x) {
			t.Errorf("tile %d was evicted, want it kept (recently used)", x)
		}
	}
	if get(1) {
		t.Errorf("tile 1 hit, want it evicted as least recently used")
	}
	huge := NewCache(per)
	if _, _, err := huge.Get(1, Key{}, func() (Tile, error) { return sizedTile(2 * tileSize), nil }); err != nil {
		t.Fatal(err)
	}
	if st := huge.Stats(); st.Entries != 0 || st.Bytes != 0 {
		t.Errorf("a tile larger than the cache was kept: %+v", st)
	}
}

func TestCacheCollapsesConcurrentMisses(t *testing.T) {
	c := NewCache(1 << 20)
	const callers = 16
	var renders atomic.Int32
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]Tile, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tile, _, err := c.Get(7, Key{12, 1, 2}, func() (Tile, error) {
				renders.Add(1)
				<-release
				return Tile{Data: []byte{1, 2, 3}, ETag: `"x"`}, nil
			})
			if err != nil {
				t.Error(err)
			}
			results[i] = tile
		}(i)
	}
	// Wait until every caller is either rendering or waiting on the render.
	deadline := time.Now().Add(5 * time.Second)
	for c.Stats().Misses < callers && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d concurrent misses ran %d renders, want 1", callers, n)
	}
	for i, r := range results {
		if r.ETag != `"x"` {
			t.Errorf("caller %d got %+v, want the rendered tile", i, r)
		}
	}
}

func TestCacheErrorsAndPanicsAreNotCached(t *testing.T) {
	c := NewCache(1 << 20)
	boom := errors.New("boom")
	if _, _, err := c.Get(1, Key{}, func() (Tile, error) { return Tile{}, boom }); !errors.Is(err, boom) {
		t.Fatalf("Get error %v, want boom", err)
	}
	func() {
		defer func() { _ = recover() }()
		_, _, _ = c.Get(1, Key{}, func() (Tile, error) { panic("render bug") })
	}()
	_, hit, err := c.Get(1, Key{}, func() (Tile, error) { return sizedTile(10), nil })
	if hit || err != nil {
		t.Errorf("Get after a failed and a panicked render: hit %v err %v, want a fresh render", hit, err)
	}
	if st := c.Stats(); st.Entries != 1 {
		t.Errorf("Stats() = %+v, want only the good tile kept", st)
	}
}

// TestCacheServesRenderedTiles runs the cache in front of a renderer from
// several goroutines (run with -race) and checks each tile against a
// direct render.
func TestCacheServesRenderedTiles(t *testing.T) {
	r := newTestRenderer(t, 1)
	c := NewCache(4 << 20)
	var keys []Key
	for k := range KeysIn(r.Bound(), 12, 15) {
		keys = append(keys, k)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, k := range keys {
				tile, _, err := c.Tile(r, k)
				if err != nil {
					t.Error(err)
					return
				}
				want, _ := r.Render(k)
				if string(tile.Data) != string(want) || tile.Empty != (len(want) == 0) {
					t.Errorf("cached tile %s differs from a direct render", k)
					return
				}
			}
		}()
	}
	wg.Wait()
	st := c.Stats()
	if st.Renders != uint64(len(keys)) {
		t.Errorf("%d renders for %d keys fetched by 4 goroutines, want one each", st.Renders, len(keys))
	}
}
