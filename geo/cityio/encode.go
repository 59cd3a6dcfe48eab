package cityio

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unsafe"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// An encoder renders features into a reusable buffer. Coordinates are
// written snapped (SnapCoord) in their shortest form and rings oriented as
// Normalize orients them, so the output is canonical whatever the input.
type encoder struct {
	buf []byte
	err error // the first non-finite coordinate met
	// proj, when set, maps each snapped WGS-84 position to the output's
	// coordinates, and round rounds each output coordinate (FeatureEncoder).
	proj  func(orb.Point) orb.Point
	round func(float64) float64
	// scratch holds text composed for one property (an address).
	scratch []byte
}

// WriteLayer streams one layer of c to w as a GeoJSON FeatureCollection in
// WGS-84: one feature per line, in the order geo.City documents, with a
// fixed property order, so the same City always gives the same bytes. It
// does not validate c (Write does); a non-finite coordinate is an error.
func WriteLayer(w io.Writer, c *geo.City, layer Layer) error {
	count, feature, err := layerFeatures(c, layer)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &encoder{buf: make([]byte, 0, 8<<10)}
	if _, err := bw.WriteString("{\"type\":\"FeatureCollection\",\"features\":[\n"); err != nil {
		return fmt.Errorf("writing %s: %w", layer.File(), err)
	}
	for i := range count {
		e.buf = e.buf[:0]
		feature(e, i)
		if e.err != nil {
			return fmt.Errorf("writing %s: feature #%d: %w", layer.File(), i, e.err)
		}
		if i+1 < count {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '\n')
		if _, err := bw.Write(e.buf); err != nil {
			return fmt.Errorf("writing %s: %w", layer.File(), err)
		}
	}
	if _, err := bw.WriteString("]}\n"); err != nil {
		return fmt.Errorf("writing %s: %w", layer.File(), err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing %s: %w", layer.File(), err)
	}
	return nil
}

// layerFeatures returns the number of features of a layer and a function
// that encodes the i-th, in sorted order.
func layerFeatures(c *geo.City, layer Layer) (int, func(*encoder, int), error) {
	switch layer {
	case LayerUnits:
		us := sortedBy(c.Units, func(u *geo.Unit) geo.DivisionCode { return u.Code })
		return len(us), func(e *encoder, i int) { e.unit(us[i]) }, nil
	case LayerGrids:
		gs := sortedBy(c.Grids, func(g *geo.Grid) geo.GridCode { return g.Code })
		return len(gs), func(e *encoder, i int) { e.grid(gs[i]) }, nil
	case LayerBuildings:
		bs := sortedBy(c.Buildings, func(b *geo.Building) geo.BuildingID { return b.ID })
		return len(bs), func(e *encoder, i int) { e.building(bs[i]) }, nil
	case LayerStations:
		ss := sortedBy(c.Stations, func(s *geo.Station) geo.StationID { return s.ID })
		return len(ss), func(e *encoder, i int) { e.station(ss[i]) }, nil
	case LayerStreets:
		ss := sortedBy(c.Streets, func(s *geo.Street) geo.StreetID { return s.ID })
		return len(ss), func(e *encoder, i int) { e.street(ss[i]) }, nil
	}
	return 0, nil, fmt.Errorf("%w: %q", ErrUnknownLayer, truncate(string(layer), 40))
}

// sortedBy returns xs without nil entries, sorted by key: xs itself when
// it already is (the usual case), else a sorted copy. xs is not modified.
func sortedBy[T any, K cmp.Ordered](xs []*T, key func(*T) K) []*T {
	ok := !slices.Contains(xs, nil) && slices.IsSortedFunc(xs, func(a, b *T) int { return cmp.Compare(key(a), key(b)) })
	if ok {
		return xs
	}
	out := make([]*T, 0, len(xs))
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	slices.SortStableFunc(out, func(a, b *T) int { return cmp.Compare(key(a), key(b)) })
	return out
}

func (e *encoder) unit(u *geo.Unit) {
	e.begin()
	e.str(u.Code.Short())
	e.key("properties", '{')
	e.strProp("code", u.Code.Short())
	e.strProp("name", u.Name)
	e.strProp("level", u.Level().String())
	if u.Level() != geo.LevelCity {
		e.strProp("parent", u.Code.Parent().Short())
	}
	e.endProps()
	e.multiPolygon(u.Geometry)
	e.buf = append(e.buf, '}')
}

func (e *encoder) grid(g *geo.Grid) {
	e.begin()
	e.int(int64(g.ID))
	e.key("properties", '{')
	e.intProp("id", int64(g.ID))
	e.gridCodeProp("code", g.Code)
	e.strProp("name", g.Name)
	e.divisionCodeProp("community", g.Community())
	e.intProp("households", int64(g.Households))
	e.intProp("buildings", int64(g.Buildings))
	e.endProps()
	e.multiPolygon(g.Geometry)
	e.buf = append(e.buf, '}')
}

func (e *encoder) building(b *geo.Building) {
	e.begin()
	e.uint(uint64(b.ID))
	e.key("properties", '{')
	a := b.Address
	e.uintProp("id", uint64(b.ID))
	e.scratch = a.AppendTo(e.scratch[:0])
	e.prop("address")
	e.str(unsafe.String(unsafe.SliceData(e.scratch), len(e.scratch))) // str only reads it
	for _, kv := range [...]struct{ k, v string }{
		{"province", a.Province}, {"city", a.City}, {"district", a.District},
		{"subdistrict", a.Subdistrict}, {"community", a.Community}, {"road", a.Road},
	} {
		e.strProp(kv.k, kv.v)
	}
	e.intProp("number", int64(a.Number))
	e.strProp("estate", a.Estate)
	e.strProp("building", a.Building)
	e.intProp("units", int64(b.Units))
	e.intProp("floors", int64(b.Floors))
	e.intProp("households", int64(b.Households))
	e.gridCodeProp("grid", b.Grid)
	e.endProps()
	e.point(b.Point)
	e.buf = append(e.buf, '}')
}

func (e *encoder) station(s *geo.Station) {
	e.begin()
	e.int(int64(s.ID))
	e.key("properties", '{')
	e.intProp("id", int64(s.ID))
	e.strProp("kind", s.Kind.String())
	e.strProp("name", s.Name)
	e.strProp("unit", s.Unit.Short())
	if s.Kind == geo.StationCommunity {
		e.strProp("community", s.Unit.String())
	}
	e.endProps()
	e.point(s.Point)
	e.buf = append(e.buf, '}')
}

func (e *encoder) street(s *geo.Street) {
	e.begin()
	e.int(int64(s.ID))
	e.key("properties", '{')
	e.intProp("id", int64(s.ID))
	e.strProp("name", s.Name)
	e.strProp("class", s.Class)
	e.endProps()
	e.buf = append(e.buf, `,"geometry":{"type":"LineString","coordinates":`...)
	e.line(s.Line)
	e.buf = append(e.buf, "}}"...)
}

// begin opens a feature up to its "id" member's value.
func (e *encoder) begin() { e.buf = append(e.buf, `{"type":"Feature","id":`...) }

// key writes `,"k":` and an opening bracket.
func (e *encoder) key(k string, open byte) {
	e.buf = append(e.buf, ',', '"')
	e.buf = append(e.buf, k...)
	e.buf = append(e.buf, '"', ':', open)
}

// prop writes the separator and key of a property.
func (e *encoder) prop(k string) {
	if last := e.buf[len(e.buf)-1]; last != '{' {
		e.buf = append(e.buf, ',')
	}
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, k...)
	e.buf = append(e.buf, '"', ':')
}

func (e *encoder) endProps() { e.buf = append(e.buf, '}') }

func (e *encoder) strProp(k, v string) { e.prop(k); e.str(v) }

// gridCodeProp and divisionCodeProp write a code as a string property
// without formatting it into a string first.
func (e *encoder) gridCodeProp(k string, c geo.GridCode) {
	e.prop(k)
	e.buf = append(c.AppendTo(append(e.buf, '"')), '"')
}

func (e *encoder) divisionCodeProp(k string, c geo.DivisionCode) {
	e.prop(k)
	e.buf = append(c.AppendTo(append(e.buf, '"')), '"')
}

func (e *encoder) intProp(k string, v int64) { e.prop(k); e.int(v) }

func (e *encoder) uintProp(k string, v uint64) { e.prop(k); e.uint(v) }

func (e *encoder) int(v int64) { e.buf = strconv.AppendInt(e.buf, v, 10) }

func (e *encoder) uint(v uint64) { e.buf = strconv.AppendUint(e.buf, v, 10) }

// str writes a JSON string. Invalid UTF-8 is written as U+FFFD, as
// encoding/json does.
func (e *encoder) str(s string) {
	e.buf = wire.AppendString(e.buf, s)
}

// coord writes one snapped coordinate.
func (e *encoder) coord(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if e.err == nil {
			e.err = fmt.Errorf("non-finite coordinate %v", v)
		}
		v = 0
	}
	e.buf = wire.AppendCoord(e.buf, SnapCoord(v))
}

func (e *encoder) pos(p orb.Point) {
	if e.proj != nil {
		e.projPos(p)
		return
	}
	e.buf = append(e.buf, '[')
	e.coord(p[0])
	e.buf = append(e.buf, ',')
	e.coord(p[1])
	e.buf = append(e.buf, ']')
}

// projPos writes one position mapped by e.proj and rounded by e.round.
func (e *encoder) projPos(p orb.Point) {
	q := e.proj(Snap(p))
	e.buf = append(e.buf, '[')
	for i, v := range q {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			if e.err == nil {
				e.err = fmt.Errorf("non-finite coordinate %v after projection of %v", v, p)
			}
			v = 0
		}
		e.buf = wire.AppendCoord(e.buf, e.round(v))
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) point(p orb.Point) {
	e.buf = append(e.buf, `,"geometry":{"type":"Point","coordinates":`...)
	e.pos(p)
	e.buf = append(e.buf, '}')
}

func (e *encoder) line(ls []orb.Point) {
	e.buf = append(e.buf, '[')
	for i, p := range ls {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.pos(p)
	}
	e.buf = append(e.buf, ']')
}

// multiPolygon writes the geometry member: null when mp is empty.
func (e *encoder) multiPolygon(mp orb.MultiPolygon) {
	if len(mp) == 0 {
		e.buf = append(e.buf, `,"geometry":null`...)
		return
	}
	e.buf = append(e.buf, `,"geometry":{"type":"MultiPolygon","coordinates":[`...)
	for i, poly := range mp {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '[')
		for j, ring := range poly {
			if j > 0 {
				e.buf = append(e.buf, ',')
			}
			e.ring(ring, j == 0)
		}
		e.buf = append(e.buf, ']')
	}
	e.buf = append(e.buf, "]}"...)
}

// ring writes a ring in Normalize's orientation, judged on snapped
// coordinates exactly as Normalize judges it.
func (e *encoder) ring(r orb.Ring, outer bool) {
	snapped := true
	for _, p := range r {
		if Snap(p) != p {
			snapped = false
			break
		}
	}
	if !snapped {
		cp := make(orb.Ring, len(r))
		for i, p := range r {
			cp[i] = Snap(p)
		}
		r = cp
	}
	if !planar.WrongWay(r, outer) {
		e.line(r)
		return
	}
	e.buf = append(e.buf, '[')
	for i := len(r) - 1; i >= 0; i-- {
		if i < len(r)-1 {
			e.buf = append(e.buf, ',')
		}
		e.pos(r[i])
	}
	e.buf = append(e.buf, ']')
}
