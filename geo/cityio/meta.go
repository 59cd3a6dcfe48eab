package cityio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
)

// metaFile is the name of the city description file.
const metaFile = "city.json"

// Meta is what city.json says beyond the fields of geo.City.
type Meta struct {
	// CRS is the coordinate system of the coordinates in the layer files.
	// The reader converts them to WGS-84; the writer always writes WGS-84.
	CRS crs.CRS
	// Synthetic is true when the geometry is made up (the fixtures city):
	// no public boundary of the communities or grids exists.
	Synthetic bool
	// Source credits where names, codes and geometry come from.
	Source string
	// Generator optionally describes the program and options that made
	// the data. It is kept as compact JSON.
	Generator json.RawMessage
}

// metaJSON is city.json's layout, in the order the fields are written.
type metaJSON struct {
	Code      string          `json:"code"`
	Name      string          `json:"name"`
	Province  string          `json:"province"`
	CRS       string          `json:"crs"`
	Synthetic bool            `json:"synthetic"`
	Source    string          `json:"source,omitempty"`
	Generator json.RawMessage `json:"generator,omitempty"`
}

// ReadMeta reads city.json from fsys: the city's code and names into the
// returned City (with no layers) and the rest into Meta. Faults are
// returned as a *ValidationError.
func ReadMeta(fsys fs.FS) (*geo.City, Meta, error) {
	var probs problems
	data, err := readCapped(fsys, metaFile, MaxMetaBytes)
	if err != nil {
		probs.add(LayerCity, "", err.Error())
		return nil, Meta{}, probs.err()
	}
	c, m := decodeMeta(data, &probs)
	if err := probs.err(); err != nil {
		return nil, Meta{}, err
	}
	return c, m, nil
}

// decodeMeta parses city.json, recording faults in probs.
func decodeMeta(data []byte, probs *problems) (*geo.City, Meta) {
	var j metaJSON
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte(wire.BOM)), &j); err != nil {
		probs.add(LayerCity, "", "invalid JSON: "+err.Error())
		return &geo.City{}, Meta{}
	}
	c := &geo.City{Name: j.Name, Province: j.Province}
	m := Meta{Synthetic: j.Synthetic, Source: j.Source}
	code, err := geo.ParseDivisionCode(j.Code)
	switch {
	case err != nil:
		probs.add(LayerCity, "", "bad code: "+err.Error())
	case code.Level() != geo.LevelCity:
		probs.addf(LayerCity, "", "code %s is a %s, want a city", code.Short(), code.Level())
	default:
		c.Code = code
	}
	if m.CRS, err = crs.Parse(j.CRS); err != nil {
		probs.add(LayerCity, "", err.Error())
	}
	if len(j.Generator) > 0 && !bytes.Equal(j.Generator, []byte("null")) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, j.Generator); err == nil {
			m.Generator = buf.Bytes()
		}
	}
	return c, m
}

// encodeMeta renders city.json for c and m (always in WGS-84).
func encodeMeta(c *geo.City, m Meta) ([]byte, error) {
	j := metaJSON{
		Code:      c.Code.Short(),
		Name:      c.Name,
		Province:  c.Province,
		CRS:       crs.WGS84.String(),
		Synthetic: m.Synthetic,
		Source:    m.Source,
	}
	if len(m.Generator) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, m.Generator); err != nil {
			return nil, fmt.Errorf("encoding city.json: generator: %w", err)
		}
		j.Generator = buf.Bytes()
	}
	out, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding city.json: %w", err)
	}
	return append(out, '\n'), nil
}

// readCapped reads a whole file, refusing one larger than limit bytes.
func readCapped(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	if size > limit {
		return nil, fmt.Errorf("reading %s: %d bytes, more than the limit of %d", name, size, limit)
	}
	var buf bytes.Buffer
	if size >= 0 {
		buf.Grow(int(size) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("reading %s: more than the limit of %d bytes", name, limit)
	}
	return buf.Bytes(), nil
}
