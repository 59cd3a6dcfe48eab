package cityio

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// Read reads the city in directory dir. See ReadFS.
func Read(dir string) (*geo.City, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("reading city: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("reading city: %s is not a directory", dir)
	}
	return ReadFS(os.DirFS(dir))
}

// ReadFS reads a city from the root of fsys: city.json and the five layer
// files, and the grids' staff from staff.json when it is there. It converts coordinates from the CRS that city.json names to
// WGS-84, normalizes the result (see Normalize) and validates it (see
// Validate). On any fault it returns no city and a *ValidationError
// listing every problem found in every file; it never returns a partly
// loaded city.
func ReadFS(fsys fs.FS) (*geo.City, error) {
	var probs problems
	var city *geo.City
	var meta Meta
	if data, err := readCapped(fsys, metaFile, MaxMetaBytes); err != nil {
		probs.add(LayerCity, "", err.Error())
		city = &geo.City{}
	} else {
		city, meta = decodeMeta(data, &probs)
	}
	metaBad := len(probs.list) > 0
	d := decodeLayers(fsys, &probs)
	d.metaBad = metaBad
	d.city.Code, d.city.Name, d.city.Province = city.Code, city.Name, city.Province
	c := &d.city
	if meta.CRS != crs.WGS84 && meta.CRS != crs.CGCS2000 {
		convertCity(c, meta.CRS)
	}
	Normalize(c)
	readStaff(fsys, c, &probs)
	validate(c, d, &probs)
	if err := probs.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// layerDecoders maps each layer to its decoder.
func layerDecoder(l Layer) func([]byte, *problems, *decoded) {
	switch l {
	case LayerUnits:
		return decodeUnits
	case LayerGrids:
		return decodeGrids
	case LayerBuildings:
		return decodeBuildings
	case LayerStations:
		return decodeStations
	}
	return decodeStreets
}

// decodeLayers reads and decodes the five layer files concurrently and
// merges what they hold.
func decodeLayers(fsys fs.FS, probs *problems) *decoded {
	var parts [len(layers)]struct {
		probs problems
		d     *decoded
	}
	var wg sync.WaitGroup
	for i, l := range layers {
		parts[i].d = newDecoded()
		wg.Go(func() {
			data, err := readCapped(fsys, l.File(), MaxLayerBytes)
			if err != nil {
				parts[i].probs.add(l, "", err.Error())
				parts[i].d.lost[l] = true
				return
			}
			layerDecoder(l)(data, &parts[i].probs, parts[i].d)
		})
	}
	wg.Wait()
	d := newDecoded()
	for _, p := range parts {
		probs.merge(p.probs.list)
		c := &p.d.city
		d.city.Units = append(d.city.Units, c.Units...)
		d.city.Grids = append(d.city.Grids, c.Grids...)
		d.city.Buildings = append(d.city.Buildings, c.Buildings...)
		d.city.Stations = append(d.city.Stations, c.Stations...)
		d.city.Streets = append(d.city.Streets, c.Streets...)
		maps.Copy(d.brokenUnits, p.d.brokenUnits)
		maps.Copy(d.brokenGrids, p.d.brokenGrids)
		maps.Copy(d.brokenGridRefs, p.d.brokenGridRefs)
		maps.Copy(d.lost, p.d.lost)
	}
	return d
}

// convertCity converts every coordinate of c from system s to WGS-84.
func convertCity(c *geo.City, s crs.CRS) {
	conv := func(p orb.Point) orb.Point { return crs.ToWGS84(s, p) }
	convertMulti := func(mp orb.MultiPolygon) {
		for _, poly := range mp {
			for _, r := range poly {
				for i, p := range r {
					r[i] = conv(p)
				}
			}
		}
	}
	for _, u := range c.Units {
		convertMulti(u.Geometry)
	}
	for _, g := range c.Grids {
		convertMulti(g.Geometry)
	}
	for _, b := range c.Buildings {
		b.Point = conv(b.Point)
	}
	for _, s := range c.Stations {
		s.Point = conv(s.Point)
	}
	for _, st := range c.Streets {
		for i, p := range st.Line {
			st.Line[i] = conv(p)
		}
	}
}
