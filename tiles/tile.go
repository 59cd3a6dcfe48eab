package tiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"github.com/klauspost/compress/gzip"
	"sync"
)

// A Tile is a rendered tile ready to serve.
type Tile struct {
	// Data is the MVT 2.1 encoding (not compressed); nil when Empty.
	Data []byte
	// Gzip is Data compressed with gzip; nil when Empty.
	Gzip []byte
	// ETag is a strong validator for Data, quoted as HTTP wants it: a
	// hash of the content, so an unchanged tile keeps its ETag across
	// snapshot versions.
	ETag string
	// Empty says the tile holds no feature (serve 204 No Content).
	Empty bool
}

// Size returns the bytes the tile holds, as a cache counts them.
func (t Tile) Size() int64 { return int64(len(t.Data) + len(t.Gzip) + len(t.ETag)) }

// tileMaker compresses and hashes tiles, reusing gzip writers.
type tileMaker struct {
	writers sync.Pool
}

// NewTile wraps MVT bytes as a Tile: it hashes them for the ETag and
// compresses them. Empty input gives an Empty tile.
func NewTile(data []byte) (Tile, error) {
	var m tileMaker
	return m.make(data)
}

func (m *tileMaker) make(data []byte) (Tile, error) {
	sum := sha256.Sum256(data)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	if len(data) == 0 {
		return Tile{ETag: etag, Empty: true}, nil
	}
	var buf bytes.Buffer
	buf.Grow(len(data)/2 + 64)
	w, _ := m.writers.Get().(*gzip.Writer)
	if w == nil {
		var err error
		if w, err = gzip.NewWriterLevel(&buf, gzip.BestSpeed); err != nil {
			return Tile{}, fmt.Errorf("compressing tile: %w", err)
		}
	} else {
		w.Reset(&buf)
	}
	defer m.writers.Put(w)
	if _, err := w.Write(data); err != nil {
		return Tile{}, fmt.Errorf("compressing tile: %w", err)
	}
	if err := w.Close(); err != nil {
		return Tile{}, fmt.Errorf("compressing tile: %w", err)
	}
	return Tile{Data: data, Gzip: buf.Bytes(), ETag: etag}, nil
}

// RenderTile renders tile k and wraps it as a Tile (see NewTile).
func (r *Renderer) RenderTile(k Key) (Tile, error) {
	data, err := r.Render(k)
	if err != nil {
		return Tile{}, err
	}
	return r.tiles.make(data)
}
