package edit

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sampleOps returns one valid JSON operation of each kind.
func sampleOps() map[string]string {
	poly := `{"type":"Polygon","coordinates":[[[104.83,26.59],[104.84,26.59],[104.84,26.6],[104.83,26.59]]]}`
	line := `{"type":"LineString","coordinates":[[104.83,26.59],[104.84,26.6]]}`
	return map[string]string{
		"replace":        `{"op":"replace","grid":"520201011001003","geometry":` + poly + `,"reason":"重新划分"}`,
		"move_boundary":  `{"op":"move_boundary","grids":["520201011001003","520201011001004"],"line":` + line + `}`,
		"split":          `{"op":"split","grid":520201011001003,"line":{"type":"Feature","properties":{},"geometry":` + line + `},"codes":[null,"520201011001009"],"names":["甲",null]}`,
		"merge":          `{"op":"merge","grids":["520201011001003","520201011001004","520201011001005"],"name":"合并"}`,
		"create":         `{"op":"create","community":"520201011001","geometry":{"type":"MultiPolygon","coordinates":[[[[104.83,26.59],[104.84,26.59],[104.84,26.6],[104.83,26.59]]]]},"code":"520201011001020"}`,
		"retire":         `{"op":"retire","grid":"520201011001003","into":["520201011001004"]}`,
		"replace_layout": `{"op":"replace_layout","community":"520201011001","grids":{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[{"type":"Feature","properties":{"code":"520201011001003","id":7,"name":"第3网格","households":12},"geometry":` + poly + `},{"type":"Feature","properties":{"code":null},"geometry":` + poly + `}]}}`,
	}
}

func TestDecodeOpValid(t *testing.T) {
	for name, src := range sampleOps() {
		t.Run(name, func(t *testing.T) {
			op, err := DecodeOp(strings.NewReader(src))
			if err != nil {
				t.Fatalf("DecodeOp = %v", err)
			}
			if string(op.Kind) != name {
				t.Errorf("Kind = %s, want %s", op.Kind, name)
			}
			data, err := op.MarshalJSON()
			if err != nil {
				t.Fatalf("MarshalJSON = %v", err)
			}
			again, err := ParseOp(data)
			if err != nil {
				t.Fatalf("ParseOp(MarshalJSON) = %v\n%s", err, data)
			}
			if !reflect.DeepEqual(again, op) {
				t.Errorf("round trip = %+v, want %+v", again, op)
			}
		})
	}
}

func TestDecodeOpFields(t *testing.T) {
	op, err := ParseOp([]byte(sampleOps()["split"]))
	if err != nil {
		t.Fatal(err)
	}
	if op.Grid != 520201011001003 || len(op.Line) != 2 || op.Codes[0] != 0 || op.Codes[1] != 520201011001009 || op.Names[0] != "甲" {
		t.Errorf("split decoded as %+v", op)
	}
	op, _ = ParseOp([]byte(sampleOps()["replace_layout"]))
	if len(op.Layout) != 2 || op.Layout[0].ID != 7 || op.Layout[0].Name != "第3网格" || op.Layout[1].Code != 0 {
		t.Errorf("layout decoded as %+v", op.Layout)
	}
}

func TestDecodeOpErrors(t *testing.T) {
	poly := func(coords string) string { return `{"type":"Polygon","coordinates":` + coords + `}` }
	many := strings.Repeat("[104.8,26.5],", MaxOpVertices) + "[104.8,26.5]"
	cases := []struct {
		name, src, field string
	}{
		{"not an object", `[1,2]`, ""},
		{"not JSON", `{"op":`, ""},
		{"NaN", `{"op":"replace","grid":"520201011001003","geometry":` + poly(`[[[NaN,1]]]`) + `}`, ""},
		{"trailing data", sampleOps()["merge"] + `{}`, ""},
		{"missing op", `{}`, "op"},
		{"op not a string", `{"op":5}`, "op"},
		{"unknown op", `{"op":"explode"}`, "op"},
		{"missing grid", `{"op":"retire","into":["520201011001004"]}`, "grid"},
		{"null grid", `{"op":"retire","grid":null,"into":["520201011001004"]}`, "grid"},
		{"member not allowed", `{"op":"merge","grids":["520201011001003","520201011001004"],"line":{}}`, "line"},
		{"bad code", `{"op":"retire","grid":"12","into":["520201011001004"]}`, "grid"},
		{"code with letters", `{"op":"retire","grid":"52020101100100x","into":["520201011001004"]}`, "grid"},
		{"negative code", `{"op":"retire","grid":-520201011001003,"into":["520201011001004"]}`, "grid"},
		{"bad code in list", `{"op":"retire","grid":"520201011001003","into":["520201011001004","x"]}`, "into[1]"},
		{"into not a list", `{"op":"retire","grid":"520201011001003","into":"520201011001004"}`, "into"},
		{"too few grids", `{"op":"merge","grids":["520201011001003"]}`, "grids"},
		{"three grids to move", `{"op":"move_boundary","grids":["520201011001003","520201011001004","520201011001005"],"line":{"type":"LineString","coordinates":[[1,2],[3,4]]}}`, "grids"},
		{"community not a community", `{"op":"create","community":"520201011","geometry":` + poly(`[]`) + `}`, "community"},
		{"geometry a point", `{"op":"replace","grid":"520201011001003","geometry":{"type":"Point","coordinates":[1,2]}}`, "geometry.type"},
		{"geometry without coordinates", `{"op":"replace","grid":"520201011001003","geometry":{"type":"Polygon"}}`, "geometry.coordinates"},
		{"feature without geometry", `{"op":"replace","grid":"520201011001003","geometry":{"type":"Feature","geometry":null}}`, "geometry.geometry"},
		{"coordinates not arrays", `{"op":"replace","grid":"520201011001003","geometry":` + poly(`"x"`) + `}`, "geometry.coordinates"},
		{"number too large", `{"op":"replace","grid":"520201011001003","geometry":` + poly(`[[[1e400,1]]]`) + `}`, "geometry.coordinates"},
		{"longitude out of range", `{"op":"replace","grid":"520201011001003","geometry":` + poly(`[[[104,26],[200,26]]]`) + `}`, "geometry.coordinates[0][1]"},
		{"position too short", `{"op":"replace","grid":"520201011001003","geometry":` + poly(`[[[104]]]`) + `}`, "geometry.coordinates[0][0]"},
		{"too many vertices", `{"op":"replace","grid":"520201011001003","geometry":` + poly(`[[`+many+`]]`) + `}`, fmt.Sprintf("geometry.coordinates[0][%d]", MaxOpVertices)},
		{"line too short", `{"op":"split","grid":"520201011001003","line":{"type":"LineString","coordinates":[[1,2]]}}`, "line.coordinates"},
		{"line a polygon", `{"op":"split","grid":"520201011001003","line":` + poly(`[]`) + `}`, "line.type"},
		{"layout not a collection", `{"op":"replace_layout","community":"520201011001","grids":["520201011001003"]}`, "grids"},
		{"layout empty", `{"op":"replace_layout","community":"520201011001","grids":{"type":"FeatureCollection","features":[]}}`, "grids.features"},
		{"layout bad code", `{"op":"replace_layout","community":"520201011001","grids":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":` + poly(`[]`) + `}]}}`, "grids.features[0].properties.code"},
		{"layout bad id", `{"op":"replace_layout","community":"520201011001","grids":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":-3},"geometry":` + poly(`[]`) + `}]}}`, "grids.features[0].properties.id"},
		{"layout projected crs", `{"op":"replace_layout","community":"520201011001","grids":{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}}`, "grids.crs"},
		{"reason not a string", `{"op":"merge","grids":["520201011001003","520201011001004"],"reason":1}`, "reason"},
		{"reason too long", `{"op":"merge","grids":["520201011001003","520201011001004"],"reason":"` + strings.Repeat("长", MaxReasonRunes+1) + `"}`, "reason"},
		{"names not strings", `{"op":"split","grid":"520201011001003","line":{"type":"LineString","coordinates":[[1,2],[3,4]]},"names":[1]}`, "names[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOp([]byte(tc.src))
			var fe *FieldError
			if !errors.As(err, &fe) || !errors.Is(err, ErrBadOp) {
				t.Fatalf("ParseOp = %v, want a *FieldError", err)
			}
			if fe.Field != tc.field {
				t.Errorf("ParseOp field = %q (%s), want %q", fe.Field, fe.Reason, tc.field)
			}
		})
	}
}

func TestDecodeOpHugeBody(t *testing.T) {
	body := bytes.NewReader(bytes.Repeat([]byte(" "), MaxOpBytes+1))
	_, err := DecodeOp(body)
	var fe *FieldError
	if !errors.As(err, &fe) || !strings.Contains(fe.Reason, "exceeds") {
		t.Fatalf("DecodeOp(huge) = %v, want a body-size FieldError", err)
	}
}

func TestGridFeatureRoundTrip(t *testing.T) {
	s := testSnapshot(t)
	for _, g := range s.City.Grids[:50] {
		got, err := DecodeGridFeature(EncodeGridFeature(g))
		if err != nil {
			t.Fatalf("DecodeGridFeature(%s) = %v", g.Code, err)
		}
		want := *g
		want.Staff = nil // features carry no staff (changesets hold them beside)
		if !reflect.DeepEqual(got, &want) {
			t.Fatalf("grid %s round trip = %+v, want %+v", g.Code, got, &want)
		}
	}
}

func FuzzDecodeOp(f *testing.F) {
	for _, src := range sampleOps() {
		f.Add([]byte(src))
	}
	f.Add([]byte(`{"op":"split","grid":"520201011001003","line":{"type":"LineString","coordinates":[[1,2],[1,2,3]]}}`))
	f.Add([]byte(`{"op":"staff","grid":"520201011001003","staff":[{"name":"王秀英","role":"网格长","type":"兼职","phone":"+86 138 1234 5678"},{"name":"李","role":"worker","phone":"0858-8221234"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		op, err := ParseOp(data)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("ParseOp error %v is not a *FieldError", err)
			}
			return
		}
		enc, err := op.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(decoded) = %v", err)
		}
		again, err := ParseOp(enc)
		if err != nil {
			t.Fatalf("ParseOp(MarshalJSON(op)) = %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(again, op) {
			t.Fatalf("round trip changed the op:\n%+v\n%+v", op, again)
		}
	})
}

func FuzzDecodeLayout(f *testing.F) {
	s := testSnapshot(f)
	u := testCommunity(f, s, 8)
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, g := range s.GridsOf(u.Code) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(EncodeGridFeature(g))
	}
	b.WriteString("]}")
	f.Add(b.Bytes())
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[104.84,26.59],[104.85,26.59],[104.85,26.6],[104.84,26.59]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"` + s.GridsOf(u.Code)[0].Code.String() + `"},"geometry":{"type":"MultiPolygon","coordinates":[[[]],[[[1,1]]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		layout, err := DecodeLayout(bytes.NewReader(data))
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("DecodeLayout error %v is not a *FieldError", err)
			}
			return
		}
		if len(layout) > 60 || countVertices(layout) > 5000 {
			return
		}
		// A watchdog turns a hang (an input that makes Apply crawl) into a
		// crash the fuzzer records.
		tm := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("Apply hangs on %q", data)) })
		res, err := Apply(s, Op{Kind: KindReplaceLayout, Community: u.Code, Layout: layout}, Options{})
		tm.Stop()
		if err != nil {
			t.Fatalf("Apply(decoded layout) = %v", err)
		}
		if res.Valid && res.Next == nil {
			t.Fatalf("valid result without a next city")
		}
	})
}

// countVertices counts the positions of a layout.
func countVertices(layout []LayoutGrid) int {
	n := 0
	for _, lg := range layout {
		n += len(ringPoints(nil, lg.Geometry))
	}
	return n
}
