package shapefile

import (
	"encoding/binary"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
)

// gdalGrids writes the sample polygons with ogr2ogr (GBK) into a fresh
// directory and returns the .shp path.
func gdalGrids(t *testing.T) string {
	t.Helper()
	thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	in := sampleLayers(t, t.TempDir(), rand.New(rand.NewSource(1)))["grids"]
	shp := filepath.Join(t.TempDir(), "grids.shp")
	thirdparty.Ogr2ogr(t, "-f", "ESRI Shapefile", shp, in, "-lco", "ENCODING=GBK")
	return shp
}

// copyShapefile copies every component of src into a new directory.
func copyShapefile(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	for _, ext := range []string{".shp", ".shx", ".dbf", ".cpg", ".prj"} {
		b, err := os.ReadFile(component(src, ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "grids"+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "grids.shp")
}

func edit(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, f(b), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadFiles damages a GDAL-written Shapefile in the ways real files are
// damaged and checks each read fails with an ingest.Error naming the file
// at fault, the feature where one is, and the fault.
func TestBadFiles(t *testing.T) {
	src := gdalGrids(t)
	secondRecord := func(shp []byte) int { // byte offset of record 2's header
		return headerLen + recordHdr + int(binary.BigEndian.Uint32(shp[headerLen+4:]))*2
	}
	cases := []struct {
		name    string
		damage  func(shp string)
		file    string // extension of the file the error must name
		feature int
		fault   string
	}{
		{"truncated shp", func(p string) { edit(t, p, func(b []byte) []byte { return b[:len(b)-37] }) }, ".shp", 0, "truncated"},
		{"truncated shp and its header", func(p string) {
			edit(t, p, func(b []byte) []byte {
				b = b[:len(b)-37]
				binary.BigEndian.PutUint32(b[24:], uint32(len(b)/2))
				return b
			})
		}, ".shp", 0, "beyond the end of the file"},
		{"wrong file code", func(p string) { edit(t, p, func(b []byte) []byte { b[3] = 0; return b }) }, ".shp", 0, "file code"},
		{"wrong file length", func(p string) {
			edit(t, p, func(b []byte) []byte { binary.BigEndian.PutUint32(b[24:], uint32(len(b))); return b })
		}, ".shp", 0, "truncated"},
		{"multipatch", func(p string) {
			edit(t, p, func(b []byte) []byte { binary.LittleEndian.PutUint32(b[32:], 31); return b })
		}, ".shp", 0, "MultiPatch"},
		{"record length beyond the file", func(p string) {
			edit(t, p, func(b []byte) []byte { binary.BigEndian.PutUint32(b[secondRecord(b)+4:], 1<<30); return b })
		}, ".shp", 0, "beyond the end of the file"},
		{"point count beyond the record", func(p string) {
			edit(t, p, func(b []byte) []byte { binary.LittleEndian.PutUint32(b[secondRecord(b)+8+40:], 1<<28); return b })
		}, ".shp", 2, "more than its"},
		{"part index beyond the points", func(p string) {
			edit(t, p, func(b []byte) []byte { binary.LittleEndian.PutUint32(b[secondRecord(b)+8+44:], 1<<20); return b })
		}, ".shp", 2, "part 1"},
		{"truncated shx", func(p string) { edit(t, component(p, ".shx"), func(b []byte) []byte { return b[:len(b)-3] }) }, ".shx", 0, "truncated"},
		{"missing shx", func(p string) { os.Remove(component(p, ".shx")) }, ".shx", 0, "missing"},
		{"missing dbf", func(p string) { os.Remove(component(p, ".dbf")) }, ".dbf", 0, "missing"},
		{"dbf record count too high", func(p string) {
			edit(t, component(p, ".dbf"), func(b []byte) []byte {
				binary.LittleEndian.PutUint32(b[4:], binary.LittleEndian.Uint32(b[4:])+1)
				return b
			})
		}, ".dbf", 0, "record count"},
		{"dbf record count too low", func(p string) {
			edit(t, component(p, ".dbf"), func(b []byte) []byte {
				binary.LittleEndian.PutUint32(b[4:], binary.LittleEndian.Uint32(b[4:])-1)
				return b
			})
		}, ".dbf", 0, "record count mismatch"},
		{"dbf header length beyond the file", func(p string) {
			edit(t, component(p, ".dbf"), func(b []byte) []byte { binary.LittleEndian.PutUint16(b[8:], 0xFFFF); return b })
		}, ".dbf", 0, "header length"},
		{"dbf field type unknown", func(p string) {
			edit(t, component(p, ".dbf"), func(b []byte) []byte { b[32+11] = '@'; return b })
		}, ".dbf", 0, "type"},
		{"dbase 7", func(p string) { edit(t, component(p, ".dbf"), func(b []byte) []byte { b[0] = 4; return b }) }, ".dbf", 0, "dBase 7"},
		{"unknown encoding", func(p string) {
			edit(t, component(p, ".cpg"), func([]byte) []byte { return []byte("KOI8-R") })
		}, ".cpg", 0, `"KOI8-R"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := copyShapefile(t, src)
			tc.damage(p)
			_, err := Read(p, Options{})
			var ie *ingest.Error
			if !errors.As(err, &ie) || !errors.Is(err, ingest.ErrFormat) {
				t.Fatalf("Read = %v, want an *ingest.Error", err)
			}
			t.Log(err)
			if ie.File != component(p, tc.file) || ie.Feature != tc.feature || !strings.Contains(ie.Reason, tc.fault) {
				t.Errorf("Read = %q (file %s, feature %d), want file %s, feature %d, a reason with %q",
					err, ie.File, ie.Feature, component(p, tc.file), tc.feature, tc.fault)
			}
		})
	}
}

// TestIndexOptional reads a Shapefile whose .shx is missing (with
// WithoutIndex) or stale, and gets the same layer as with its index.
func TestIndexOptional(t *testing.T) {
	src := gdalGrids(t)
	want, err := Read(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		damage func(p string)
		opt    Options
	}{
		{"missing", func(p string) { os.Remove(component(p, ".shx")) }, Options{WithoutIndex: true}},
		{"stale", func(p string) {
			edit(t, component(p, ".shx"), func(b []byte) []byte { // swap entries 1 and 2
				e1 := append([]byte(nil), b[100:108]...)
				copy(b[100:108], b[108:116])
				copy(b[108:116], e1)
				binary.BigEndian.PutUint32(b[116+4:], 3) // and break entry 3
				return b
			})
		}, Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := copyShapefile(t, src)
			tc.damage(p)
			got, err := Read(p, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Features) != len(want.Features) {
				t.Fatalf("%d features, want %d", len(got.Features), len(want.Features))
			}
			for i := range got.Features {
				if err := sameGeometry(got.Features[i].Geometry, want.Features[i].Geometry); err != nil {
					t.Fatalf("feature %d: %v", i+1, err)
				}
			}
		})
	}
}

// TestDeletedRecordsAgainstGDAL marks records of a GDAL-written .dbf
// deleted and checks Read skips them as GDAL does.
func TestDeletedRecordsAgainstGDAL(t *testing.T) {
	p := copyShapefile(t, gdalGrids(t))
	edit(t, component(p, ".dbf"), func(b []byte) []byte {
		hdr := int(binary.LittleEndian.Uint16(b[8:]))
		rec := int(binary.LittleEndian.Uint16(b[10:]))
		for _, i := range []int{0, 2, 77} {
			b[hdr+i*rec] = '*'
		}
		return b
	})
	l, err := Read(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Features) != 147 || l.Features[0].Index != 2 {
		t.Errorf("%d features, the first record %d; want 147 from record 2", len(l.Features), l.Features[0].Index)
	}
	compareWithGDAL(t, l, gdalRead(t, p))
}
