package table

import (
	"math"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

// coordPairs are the usual names of coordinate columns, folded (lower
// case, no spaces, underscores or hyphens), in order of preference.
var coordPairs = [][2]string{
	{"经度", "纬度"}, {"jd", "wd"}, {"lon", "lat"}, {"lng", "lat"}, {"long", "lat"},
	{"longitude", "latitude"}, {"x", "y"}, {"pointx", "pointy"}, {"x坐标", "y坐标"}, {"东经", "北纬"},
}

// wktNames are the usual names of a WKT column, folded.
var wktNames = []string{"wkt", "wktgeom", "geometry", "geom", "thegeom", "shape"}

// surveyXY are the folded names whose X may hold northing, as Chinese
// surveying writes it.
var surveyXY = map[string]bool{"x": true, "x坐标": true}

// fold lower-cases a column name and drops spaces, underscores and
// hyphens, for matching usual names.
func fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "_", "", "-", "", "\u3000", "").Replace(s)
}

// builder turns rows into features once the geometry columns are chosen.
type builder struct {
	path     string
	fields   []string
	lon, lat int // coordinate columns, or -1
	wkt      int // WKT column, or -1
	decided  bool
	opt      Options
	chosen   Chosen
	features []ingest.Feature
}

// newBuilder chooses the geometry columns of a table with fields.
func newBuilder(path string, fields []string, opt Options) (*builder, error) {
	b := &builder{path: path, fields: fields, lon: -1, lat: -1, wkt: -1, opt: opt}
	if opt.NoGeometry {
		return b, nil
	}
	find := func(name string) (int, error) {
		for i, f := range fields {
			if f == name {
				return i, nil
			}
		}
		for i, f := range fields {
			if strings.EqualFold(f, name) {
				return i, nil
			}
		}
		return -1, ingest.Errorf(path, 0, "no column %q (columns: %s)", name, strings.Join(fields, ", "))
	}
	var err error
	switch {
	case opt.WKT != "":
		b.wkt, err = find(opt.WKT)
		b.chosen.By = "options"
	case opt.Lon != "" || opt.Lat != "":
		if b.lon, err = find(opt.Lon); err == nil {
			b.lat, err = find(opt.Lat)
		}
		b.chosen.By = "options"
		b.decided = true
	default:
		b.recognise()
	}
	if err != nil {
		return nil, err
	}
	if b.lon >= 0 {
		b.chosen.Lon, b.chosen.Lat = fields[b.lon], fields[b.lat]
	}
	if b.wkt >= 0 {
		b.chosen.WKT = fields[b.wkt]
	}
	return b, nil
}

// recognise finds the geometry columns by their usual names: a pair of
// coordinate columns first, else a WKT column.
func (b *builder) recognise() {
	folded := make(map[string]int, len(b.fields))
	for i := len(b.fields) - 1; i >= 0; i-- {
		folded[fold(b.fields[i])] = i
	}
	for _, p := range coordPairs {
		x, okx := folded[p[0]]
		y, oky := folded[p[1]]
		if okx && oky {
			b.lon, b.lat, b.chosen.By = x, y, "recognised"
			b.decided = !surveyXY[p[0]]
			return
		}
	}
	for _, n := range wktNames {
		if i, ok := folded[n]; ok {
			b.wkt, b.chosen.By = i, "recognised"
			return
		}
	}
}

// add makes row (where names it for messages: "line 12") the next
// feature.
func (b *builder) add(row []string, where string) error {
	index := len(b.features) + 1
	if len(row) > len(b.fields) {
		for _, v := range row[len(b.fields):] {
			if strings.TrimSpace(v) != "" {
				return ingest.Errorf(b.path, index, "%s has %d fields, the header %d", where, len(row), len(b.fields))
			}
		}
		row = row[:len(b.fields)]
	}
	props := make([]string, len(b.fields))
	copy(props, row)
	f := ingest.Feature{Index: index, Props: props}
	g, err := b.geometry(props, index, where)
	if err != nil {
		if !b.opt.KeepInvalid {
			return err
		}
		b.chosen.Invalid = append(b.chosen.Invalid, index)
	}
	f.Geometry = g
	b.features = append(b.features, f)
	return nil
}

// geometry reads the geometry of one row; an empty coordinate pair or
// WKT cell is a nil geometry.
func (b *builder) geometry(props []string, index int, where string) (orb.Geometry, error) {
	if b.wkt >= 0 {
		s := strings.TrimSpace(props[b.wkt])
		if s == "" {
			return nil, nil
		}
		g, err := parseWKT(s)
		if err != nil {
			return nil, ingest.Errorf(b.path, index, "%s, column %q: %v", where, b.fields[b.wkt], err)
		}
		return g, nil
	}
	if b.lon < 0 {
		return nil, nil
	}
	xs, ys := strings.TrimSpace(props[b.lon]), strings.TrimSpace(props[b.lat])
	if xs == "" && ys == "" {
		return nil, nil
	}
	x, err := b.number(xs, b.lon, index, where)
	if err != nil {
		return nil, err
	}
	y, err := b.number(ys, b.lat, index, where)
	if err != nil {
		return nil, err
	}
	if !b.decided {
		b.decideSwap(x, y)
	}
	if b.chosen.Swapped {
		x, y = y, x
	}
	return orb.Point{x, y}, nil
}

// number parses one coordinate cell.
func (b *builder) number(s string, col, index int, where string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		if s == "" {
			return 0, ingest.Errorf(b.path, index, "%s, column %q: empty coordinate", where, b.fields[col])
		}
		return 0, ingest.Errorf(b.path, index, "%s, column %q: %q is not a number", where, b.fields[col], clip(s))
	}
	return v, nil
}

// decideSwap looks at the first coordinates of columns named X and Y: in
// China a northing is between 1,000 and 7,000 km, an easting outside that
// range (200-800 km, or above 13,000 km with the zone number), so an X in
// the northing range beside a Y outside it is the surveying convention,
// and the columns are swapped for the whole table.
func (b *builder) decideSwap(x, y float64) {
	b.decided = true
	northing := func(v float64) bool { return v >= 1e6 && v <= 7e6 }
	if northing(x) && !northing(y) && math.Abs(y) > 360 {
		b.chosen.Swapped = true
		b.chosen.Lon, b.chosen.Lat = b.fields[b.lat], b.fields[b.lon]
	}
}

// layer returns the features read as a layer.
func (b *builder) layer(name string) *ingest.Layer {
	return &ingest.Layer{Name: name, Source: b.path, Fields: b.fields, Features: b.features}
}

// clip shortens a cell for an error message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}
