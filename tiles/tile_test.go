package tiles

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"
)

func TestNewTile(t *testing.T) {
	r := newTestRenderer(t, 1)
	data, err := r.Render(Key{14, 12962, 6936})
	if err != nil || len(data) == 0 {
		t.Fatalf("Render = %d bytes, %v", len(data), err)
	}
	tile, err := NewTile(data)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(tile.Gzip))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(plain, data) {
		t.Errorf("gunzip(Gzip) = %d bytes, %v; want the %d data bytes", len(plain), err, len(data))
	}
	again, _ := r.RenderTile(Key{14, 12962, 6936})
	other, _ := r.RenderTile(Key{14, 12962, 6935})
	if tile.ETag != again.ETag || tile.ETag == other.ETag || tile.ETag[0] != '"' || tile.ETag[len(tile.ETag)-1] != '"' {
		t.Errorf("ETags %s, %s (same tile), %s (other tile): want quoted, equal for equal content only", tile.ETag, again.ETag, other.ETag)
	}
	if tile.Empty || tile.Size() != int64(len(tile.Data)+len(tile.Gzip)+len(tile.ETag)) {
		t.Errorf("tile Empty %v Size %d", tile.Empty, tile.Size())
	}
}
