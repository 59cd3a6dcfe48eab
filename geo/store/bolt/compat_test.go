package bolt

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
)

// TestOpensOlderStore opens testdata/store-b1e8461.db.gz, a bbolt store
// (file format 1, changeset records without a format) written by gridmap
// at commit b1e8461 with testdata/genstore.go.txt, checks everything in it
// (storetest.CheckOlder), commits on it and opens it again.
func TestOpensOlderStore(t *testing.T) {
	dir := t.TempDir()
	gunzipFile(t, "testdata/store-b1e8461.db.gz", filepath.Join(dir, FileName))
	s, err := OpenOptions(dir, storetest.NoSeed(t), Options{NoSync: true})
	if err != nil {
		t.Fatalf("opening the older store = %v", err)
	}
	defer s.Close()
	after := storetest.CheckOlder(t, s, "gm_GgRSjTl2hM8_kke0VKFLuQW12mQiXlXJzb4m_zlVmeI")
	s.Close()
	s, err = OpenOptions(dir, storetest.NoSeed(t), Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening after a commit = %v", err)
	}
	defer s.Close()
	if got := mustLoad(t, s); got.Version != after.Version || storetest.StateHash(t, got) != storetest.StateHash(t, after) {
		t.Errorf("reopened after a commit: version %d, want %d and the same state", got.Version, after.Version)
	}
}

// gunzipFile writes the decompressed gzip file src to dst.
func gunzipFile(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
