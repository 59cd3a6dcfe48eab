package edit

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/wire"
)

// MarshalJSON writes the operation in the form DecodeOp reads, with only
// the members its kind uses, in a fixed order.
func (op Op) MarshalJSON() ([]byte, error) {
	b := []byte(`{"op":`)
	b = wire.AppendString(b, string(op.Kind))
	if op.Grid != 0 {
		b = appendCodeMember(b, "grid", op.Grid)
	}
	if op.Community != 0 {
		b = append(b, `,"community":`...)
		b = wire.AppendString(b, op.Community.String())
	}
	if len(op.Grids) > 0 {
		b = appendCodes(append(b, `,"grids":`...), op.Grids)
	}
	if len(op.Into) > 0 {
		b = appendCodes(append(b, `,"into":`...), op.Into)
	}
	if len(op.Codes) > 0 {
		b = appendCodes(append(b, `,"codes":`...), op.Codes)
	}
	if len(op.Names) > 0 {
		names, _ := json.Marshal(op.Names)
		b = append(append(b, `,"names":`...), names...)
	}
	if op.Code != 0 {
		b = appendCodeMember(b, "code", op.Code)
	}
	if op.Name != "" {
		b = wire.AppendString(append(b, `,"name":`...), op.Name)
	}
	if op.Geometry != nil {
		b = wire.Exact.AppendMultiPolygon(append(b, `,"geometry":`...), op.Geometry)
	}
	if op.Line != nil {
		b = wire.Exact.AppendLineString(append(b, `,"line":`...), op.Line)
	}
	if op.Kind == KindReplaceLayout {
		b = appendLayout(append(b, `,"grids":`...), op.Layout)
	}
	if op.Kind == KindStaff {
		staff, err := json.Marshal(nonNilStaff(op.Staff))
		if err != nil {
			return nil, fmt.Errorf("encoding staff: %w", err)
		}
		b = append(append(b, `,"staff":`...), staff...)
	}
	if op.Reason != "" {
		b = wire.AppendString(append(b, `,"reason":`...), op.Reason)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON decodes an operation strictly, as ParseOp does.
func (op *Op) UnmarshalJSON(data []byte) error {
	o, err := ParseOp(data)
	if err != nil {
		return err
	}
	*op = o
	return nil
}

// EncodeGridFeature returns g as a GeoJSON Feature with the properties of
// cityio's grids.geojson (id, code, name, community, households,
// buildings) and a MultiPolygon geometry. Snapped coordinates round-trip
// exactly through DecodeGridFeature. The grid's staff are left out: names
// and phones are not for every reader of a feature.
func EncodeGridFeature(g *geo.Grid) []byte {
	return appendGridFeature(nil, g, true)
}

// appendGridFeature appends g as a Feature; withCounts adds households
// and buildings.
func appendGridFeature(b []byte, g *geo.Grid, withCounts bool) []byte {
	b = append(b, `{"type":"Feature","id":`...)
	b = strconv.AppendUint(b, uint64(g.ID), 10)
	b = append(b, `,"properties":{"id":`...)
	b = strconv.AppendUint(b, uint64(g.ID), 10)
	b = appendCodeMember(b, "code", g.Code)
	b = wire.AppendString(append(b, `,"name":`...), g.Name)
	b = wire.AppendString(append(b, `,"community":`...), g.Community().String())
	if withCounts {
		b = append(b, `,"households":`...)
		b = strconv.AppendInt(b, int64(g.Households), 10)
		b = append(b, `,"buildings":`...)
		b = strconv.AppendInt(b, int64(g.Buildings), 10)
	}
	b = append(b, `},"geometry":`...)
	b = wire.Exact.AppendMultiPolygon(b, g.Geometry)
	return append(b, '}')
}

// appendLayout appends layout grids as a FeatureCollection.
func appendLayout(b []byte, layout []LayoutGrid) []byte {
	b = append(b, `{"type":"FeatureCollection","features":[`...)
	for i, g := range layout {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":"Feature","properties":{`...)
		sep := ""
		if g.ID != 0 {
			b = strconv.AppendUint(append(b, `"id":`...), uint64(g.ID), 10)
			sep = ","
		}
		if g.Code != 0 {
			b = wire.AppendString(append(b, sep+`"code":`...), g.Code.String())
			sep = ","
		}
		if g.Community != 0 {
			b = wire.AppendString(append(b, sep+`"community":`...), g.Community.String())
			sep = ","
		}
		if g.Name != "" {
			b = wire.AppendString(append(b, sep+`"name":`...), g.Name)
		}
		b = wire.Exact.AppendMultiPolygon(append(b, `},"geometry":`...), g.Geometry)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// A gridFeature is the wire form DecodeGridFeature reads.
type gridFeature struct {
	Properties struct {
		ID         uint64          `json:"id"`
		Code       json.RawMessage `json:"code"`
		Name       string          `json:"name"`
		Households int             `json:"households"`
		Buildings  int             `json:"buildings"`
	} `json:"properties"`
	Geometry json.RawMessage `json:"geometry"`
}

// DecodeGridFeature parses a Feature written by EncodeGridFeature into a
// new grid with its Bound set.
func DecodeGridFeature(data []byte) (*geo.Grid, error) {
	var f gridFeature
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("decoding grid feature: %w", err)
	}
	p := f.Properties
	if p.ID == 0 || p.ID > 1<<32-1 {
		return nil, fmt.Errorf("decoding grid feature: id %d is not a positive 32-bit integer", p.ID)
	}
	code, err := parseGridCodeValue(p.Code)
	if err != nil {
		return nil, fmt.Errorf("decoding grid feature %d: %w", p.ID, err)
	}
	if p.Households < 0 || p.Buildings < 0 {
		return nil, fmt.Errorf("decoding grid feature %d: negative count", p.ID)
	}
	n := 0
	mp, err := decodeArea(f.Geometry, "geometry", &n)
	if err != nil {
		return nil, fmt.Errorf("decoding grid feature %d: %w", p.ID, err)
	}
	return &geo.Grid{
		ID: geo.GridID(p.ID), Code: code, Name: p.Name, Geometry: mp, Bound: mp.Bound(),
		Households: p.Households, Buildings: p.Buildings,
	}, nil
}

// appendCodeMember appends ,"name":"code".
func appendCodeMember(b []byte, name string, c geo.GridCode) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return wire.AppendString(b, c.String())
}

// appendCodes appends grid codes as a JSON array of strings; zero codes
// are written as null.
func appendCodes(b []byte, cs []geo.GridCode) []byte {
	b = append(b, '[')
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		if c == 0 {
			b = append(b, "null"...)
			continue
		}
		b = wire.AppendString(b, c.String())
	}
	return append(b, ']')
}
