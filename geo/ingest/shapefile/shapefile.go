// Package shapefile reads ESRI Shapefiles (.shp, .shx, .dbf and the
// optional .cpg and .prj), on disk or inside a .zip, into an ingest.Layer.
// It is written by hand in pure Go and checked against GDAL's ogr2ogr.
//
// Geometry: shape types null (0), point (1), polyline (3), polygon (5) and
// multipoint (8) with their Z (11, 13, 15, 18) and M (21, 23, 25, 28)
// variants, Z and M dropped; MultiPatch (31) is refused. Polylines of one
// part are LineStrings, of several MultiLineStrings; polygon parts are
// grouped into polygons as GDAL groups them (see assemblePolygons).
//
// Records: the .shx index locates records when it agrees with the .shp;
// an index that disagrees (stale after an edit) is ignored and the .shp is
// walked from its header. A .shp, .shx or .dbf is required (a missing .shx
// is an error, as in GDAL, unless Options.WithoutIndex). When the .shp and
// .dbf hold different numbers of records the file is refused: GDAL reads
// up to the shorter and errors on the rest, which would half-import.
//
// Attributes: dBase III/IV tables with C, N, F, L, D and M fields (memo
// values are not read and come out empty); records marked deleted are
// skipped, as GDAL skips them. Text is decoded from the encoding the
// caller declares, else the .cpg, else the language driver id, else
// detected (valid UTF-8, else GB18030); Layer.Encoding and
// Layer.EncodingFrom say which. Unlike GDAL, the id 0x57 ("ANSI", the
// writer's system code page) is detected rather than taken as ISO-8859-1,
// since the system code page of Chinese GIS desktops is GBK.
//
// Every size a header declares is checked against the bytes actually
// present before anything is allocated from it, so a hostile header
// cannot make the reader allocate more than a small multiple of the
// file's size.
package shapefile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
)

// DefaultMaxBytes is the largest component file read when Options.MaxBytes
// is zero: 2 GiB, the most a .shp's 32-bit length in 16-bit words can
// address usefully and what the format's specification allows.
const DefaultMaxBytes = 2 << 30

// Options tune a read. The zero value reads a plain Shapefile with its
// declared or detected encoding.
type Options struct {
	// Layer picks the Shapefile inside a .zip by base name (without
	// .shp, case-insensitive). It may be empty when the zip holds one.
	Layer string
	// Encoding, when set, overrides the .cpg and the detection (e.g.
	// "GBK" for a .dbf whose .cpg is wrong).
	Encoding string
	// WithoutIndex reads a Shapefile whose .shx is missing by walking the
	// .shp (GDAL's SHAPE_RESTORE_SHX=YES), instead of failing.
	WithoutIndex bool
	// MaxBytes bounds the size of each component file; 0 means
	// DefaultMaxBytes.
	MaxBytes int64
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// Files are the contents of one Shapefile's component files; nil for a
// missing file. Name is the layer name and Source the path for messages.
type Files struct {
	Name, Source            string
	SHP, SHX, DBF, CPG, PRJ []byte
}

// Read reads the Shapefile at path: a .shp with its sibling files (their
// extensions in any case), or a .zip holding one or several Shapefiles,
// possibly in folders, chosen by Options.Layer.
func Read(path string, opt Options) (*ingest.Layer, error) {
	if strings.EqualFold(filepath.Ext(path), ".zip") {
		f, err := readZip(path, opt)
		if err != nil {
			return nil, err
		}
		return Parse(f, opt)
	}
	f, err := readDir(path, opt)
	if err != nil {
		return nil, err
	}
	return Parse(f, opt)
}

// readDir loads the component files beside the .shp at path.
func readDir(path string, opt Options) (Files, error) {
	ext := filepath.Ext(path)
	if !strings.EqualFold(ext, ".shp") {
		return Files{}, ingest.Errorf(path, 0, "not a .shp or .zip file")
	}
	base := strings.TrimSuffix(path, ext)
	f := Files{Name: filepath.Base(base), Source: path}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return f, fmt.Errorf("reading shapefile %s: %w", path, err)
	}
	want := map[string]*[]byte{".shp": &f.SHP, ".shx": &f.SHX, ".dbf": &f.DBF, ".cpg": &f.CPG, ".prj": &f.PRJ}
	for _, e := range entries {
		name := e.Name()
		e := filepath.Ext(name)
		dst, ok := want[strings.ToLower(e)]
		if !ok || strings.TrimSuffix(name, e) != filepath.Base(base) || *dst != nil {
			continue
		}
		p := filepath.Join(filepath.Dir(path), name)
		if err := readBounded(p, opt.maxBytes(), dst); err != nil {
			return f, err
		}
	}
	if f.SHP == nil {
		return f, fmt.Errorf("reading shapefile %s: %w", path, os.ErrNotExist)
	}
	return f, nil
}

// readBounded reads the file at p into dst, refusing one above max bytes.
func readBounded(p string, max int64, dst *[]byte) error {
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("reading shapefile: %w", err)
	}
	if st.Size() > max {
		return ingest.Errorf(p, 0, "file is %d bytes, more than the %d-byte limit", st.Size(), max)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("reading shapefile: %w", err)
	}
	if b == nil {
		b = []byte{}
	}
	*dst = b
	return nil
}

// Parse decodes a Shapefile's component files into a Layer.
func Parse(f Files, opt Options) (*ingest.Layer, error) {
	shpName, shxName, dbfName := f.Source, component(f.Source, ".shx"), component(f.Source, ".dbf")
	if f.SHP == nil {
		return nil, ingest.Errorf(shpName, 0, "missing .shp")
	}
	if f.SHX == nil && !opt.WithoutIndex {
		return nil, ingest.Errorf(shxName, 0, "missing: a Shapefile needs its .shx index (or read it without, walking the .shp)")
	}
	if f.DBF == nil {
		return nil, ingest.Errorf(dbfName, 0, "missing: a Shapefile needs its .dbf attribute table")
	}
	recs, err := spans(f.SHP, f.SHX, shpName, shxName)
	if err != nil {
		return nil, err
	}
	t, err := parseDBF(f.DBF)
	if err != nil {
		return nil, ingest.Errorf(dbfName, 0, "%v", err)
	}
	if len(recs) != t.records {
		return nil, ingest.Errorf(dbfName, 0, "record count mismatch: the .dbf has %d records, the .shp %d; the files do not belong together or one is truncated", t.records, len(recs))
	}
	cd, from, err := chooseCodec(opt.Encoding, f.CPG, t)
	if err != nil {
		src := component(f.Source, ".cpg")
		if from == "declared" {
			src = f.Source
		}
		return nil, ingest.Errorf(src, 0, "%v", err)
	}
	l := &ingest.Layer{Name: f.Name, Source: f.Source, Encoding: cd.name, EncodingFrom: from}
	if f.PRJ != nil {
		l.SRS = srsOf(f.PRJ)
	}
	for i := range t.fields {
		l.Fields = append(l.Fields, cd.decode(t.fields[i].rawName))
	}
	if l.Features, err = features(f, recs, t, cd); err != nil {
		return nil, err
	}
	return l, nil
}

// features decodes every record that is not marked deleted.
func features(f Files, recs []span, t *table, cd *codec) ([]ingest.Feature, error) {
	nf := len(t.fields)
	live := 0
	for i := range recs {
		if _, del := t.record(i); !del {
			live++
		}
	}
	out := make([]ingest.Feature, 0, live)
	props := make([]string, live*nf)
	for i, s := range recs {
		r, del := t.record(i)
		if del {
			continue
		}
		g, err := decodeRecord(f.SHP[s.off : s.off+s.n])
		if err != nil {
			return nil, ingest.Errorf(f.Source, i+1, "%v", err)
		}
		p := props[:nf:nf]
		props = props[nf:]
		for j := range t.fields {
			fd := &t.fields[j]
			if fd.typ == 'C' {
				p[j] = cd.decode(fd.value(r))
			} else {
				p[j] = formatValue(fd.typ, fd.value(r))
			}
		}
		out = append(out, ingest.Feature{Index: i + 1, Geometry: g, Props: p})
	}
	return out, nil
}

// component names the sibling of a .shp path with another extension.
func component(shp, ext string) string {
	return strings.TrimSuffix(shp, filepath.Ext(shp)) + ext
}
