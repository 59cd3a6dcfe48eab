package server

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/valyala/fasthttp"
)

func FuzzParseLookupQuery(f *testing.F) {
	for _, q := range []string{"lon=104.8&lat=26.5", "lon=1e400&lat=0", "lon=NaN&lat=1&crs=gcj02",
		"lat=-90&lon=-180&crs=BD-09", "lon=0x1p-2&lat=1_0", "lon=%00&lat=", "crs=%ff"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		var args fasthttp.Args
		args.Parse(q)
		p, c, err := parseLookupArgs(&args)
		if err != nil {
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("parseLookupArgs(%q) error %T %v, want *FieldError", q, err, err)
			}
			return
		}
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 || !c.Valid() {
			t.Fatalf("parseLookupArgs(%q) = %v %v, accepted a bad point", q, p, c)
		}
	})
}

func FuzzParseBatch(f *testing.F) {
	for _, b := range []string{`{"points":[[104.8,26.5]]}`, `{"crs":"gcj02","points":[[1,2],[3,4]]}`,
		`{"points":[[1,2,3]]}`, `{"p\u006fints":[]}`, `{"points":[[-0.0e-0,1E+2]]} `, `[`, `{"points":[[[[[[`} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseBatch(body, 20)
		if err != nil {
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("parseBatch(%q) error %T %v, want *FieldError", body, err, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("parseBatch accepted invalid JSON %q", body)
		}
		if len(req.points) == 0 || len(req.points) > 20 || !req.crs.Valid() {
			t.Fatalf("parseBatch(%q) = %d points, crs %v", body, len(req.points), req.crs)
		}
		for _, p := range req.points {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.Abs(p[0]) > 180 || math.Abs(p[1]) > 90 {
				t.Fatalf("parseBatch(%q) accepted %v", body, p)
			}
		}
	})
}

func FuzzParseGeocodeBatch(f *testing.F) {
	for _, b := range []string{`{"addresses":["钟山区荷城街道"]}`, `{"crs":"gcj02","addresses":["a",1,null]}`,
		`{"addresses":[]}`, `{"adresses":["a"]}`, `{"crs":7,"addresses":["a"]}`, `["a"]`, `{"addresses":["\ud800"]} `} {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseGeocodeBatch(body, 20)
		if err != nil {
			if _, ok := err.(*FieldError); !ok {
				t.Fatalf("parseGeocodeBatch(%q) error %T %v, want *FieldError", body, err, err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("parseGeocodeBatch accepted invalid JSON %q", body)
		}
		if len(req.addrs) == 0 || len(req.addrs) > 20 || len(req.itemErrs) != len(req.addrs) || !req.crs.Valid() {
			t.Fatalf("parseGeocodeBatch(%q) = %d addresses, %d item errors, crs %v", body, len(req.addrs), len(req.itemErrs), req.crs)
		}
	})
}
