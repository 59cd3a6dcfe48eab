package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/cityio"
)

// ogcPage is a decoded items response.
type ogcPage struct {
	Type           string       `json:"type"`
	NumberMatched  int          `json:"numberMatched"`
	NumberReturned int          `json:"numberReturned"`
	TimeStamp      string       `json:"timeStamp"`
	Links          []ogcLinkDoc `json:"links"`
	Features       []ogcFeatDoc `json:"features"`
}

type ogcLinkDoc struct {
	Href, Rel, Type string
}

type ogcFeatDoc struct {
	ID         any            `json:"id"`
	Properties map[string]any `json:"properties"`
	Geometry   *struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

// next returns the page's next link, "" when it is the last page.
func (p ogcPage) next() string {
	for _, l := range p.Links {
		if l.Rel == "next" {
			return l.Href
		}
	}
	return ""
}

// relative strips the scheme and host app.Test answers with.
func relative(tb testing.TB, href string) string {
	tb.Helper()
	u, err := url.Parse(href)
	if err != nil {
		tb.Fatalf("link %q: %v", href, err)
	}
	return u.RequestURI()
}

// getPage fetches an items page and decodes it, requiring 200.
func getPage(tb testing.TB, s *Server, target string) ogcPage {
	tb.Helper()
	r := do(tb, s, http.MethodGet, target, "", "")
	if r.status != http.StatusOK {
		tb.Fatalf("GET %s = %d %.400s", target, r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
		tb.Errorf("GET %s Content-Type = %q, want application/geo+json", target, ct)
	}
	var p ogcPage
	decode(tb, r.body, &p)
	return p
}

// allPages follows next links from target and returns every feature.
func allPages(tb testing.TB, s *Server, target string) []ogcFeatDoc {
	tb.Helper()
	var out []ogcFeatDoc
	for pages := 0; target != ""; pages++ {
		if pages > 100_000 {
			tb.Fatal("paging does not end")
		}
		p := getPage(tb, s, target)
		if p.NumberReturned != len(p.Features) {
			tb.Errorf("%s: numberReturned %d, %d features", target, p.NumberReturned, len(p.Features))
		}
		out = append(out, p.Features...)
		target = p.next()
		if target != "" {
			target = relative(tb, target)
		}
	}
	return out
}

func TestOGCLandingAndConformance(t *testing.T) {
	s := newTestServer(t)
	var land struct {
		Links []ogcLinkDoc `json:"links"`
	}
	r := do(t, s, http.MethodGet, "/ogc", "", "")
	decode(t, r.body, &land)
	var rels []string
	for _, l := range land.Links {
		rels = append(rels, l.Rel)
	}
	for _, want := range []string{"self", "service-desc", "service-doc", "conformance", "data"} {
		if !slices.Contains(rels, want) {
			t.Errorf("landing page links %v lack %s", rels, want)
		}
	}
	var conf struct {
		ConformsTo []string `json:"conformsTo"`
	}
	decode(t, do(t, s, http.MethodGet, "/ogc/conformance?f=json", "", "").body, &conf)
	for _, want := range []string{"ogcapi-features-1/1.0/conf/core", "ogcapi-features-1/1.0/conf/geojson",
		"ogcapi-features-2/1.0/conf/crs", "ogcapi-features-3/1.0/conf/filter", "cql2/1.0/conf/cql2-text",
		"ogcapi-features-4/1.0/conf/create-replace-delete"} {
		if !slices.ContainsFunc(conf.ConformsTo, func(c string) bool { return strings.HasSuffix(c, want) }) {
			t.Errorf("conformance lacks %s", want)
		}
	}
}

func TestOGCCollections(t *testing.T) {
	s := newTestServer(t)
	var doc struct {
		Collections []struct {
			ID       string   `json:"id"`
			ItemType string   `json:"itemType"`
			CRS      []string `json:"crs"`
			Storage  string   `json:"storageCrs"`
			Extent   struct {
				Spatial struct {
					BBox [][]float64 `json:"bbox"`
				} `json:"spatial"`
			} `json:"extent"`
			Links []ogcLinkDoc `json:"links"`
		} `json:"collections"`
	}
	decode(t, do(t, s, http.MethodGet, "/ogc/collections", "", "").body, &doc)
	var ids []string
	for _, c := range doc.Collections {
		ids = append(ids, c.ID)
		if c.ItemType != "feature" || c.Storage != crs84URI || !slices.Contains(c.CRS, epsgPrefix+"4490") {
			t.Errorf("collection %s: itemType %q storageCrs %q crs %v", c.ID, c.ItemType, c.Storage, c.CRS)
		}
		if len(c.Extent.Spatial.BBox) != 1 || len(c.Extent.Spatial.BBox[0]) != 4 {
			t.Errorf("collection %s: extent %v", c.ID, c.Extent.Spatial.BBox)
		}
	}
	want := []string{"districts", "subdistricts", "communities", "grids", "buildings", "stations", "streets"}
	if !slices.Equal(ids, want) {
		t.Errorf("collections = %v, want %v", ids, want)
	}
	if r := do(t, s, http.MethodGet, "/ogc/collections/grids", "", ""); r.status != 200 || !bytes.Contains(r.body, []byte(`"id":"grids"`)) {
		t.Errorf("GET /ogc/collections/grids = %d %.200s", r.status, r.body)
	}
	var q struct {
		Properties map[string]map[string]any `json:"properties"`
	}
	decode(t, do(t, s, http.MethodGet, "/ogc/collections/grids/queryables", "", "").body, &q)
	for _, p := range []string{"geometry", "households", "code", "community"} {
		if _, ok := q.Properties[p]; !ok {
			t.Errorf("grid queryables %v lack %s", q.Properties, p)
		}
	}
}

// exportFeatures returns the features of /v1/export/{layer}.geojson.
func exportFeatures(tb testing.TB, s *Server, layer string) []ogcFeatDoc {
	tb.Helper()
	r := do(tb, s, http.MethodGet, "/v1/export/"+layer+".geojson", "", "")
	var fc struct {
		Features []ogcFeatDoc `json:"features"`
	}
	decode(tb, r.body, &fc)
	return fc.Features
}

// exportOf returns the export features that make up an OGC collection.
func exportOf(tb testing.TB, s *Server, collection string) []ogcFeatDoc {
	tb.Helper()
	level := map[string]string{"districts": "district", "subdistricts": "subdistrict", "communities": "community"}[collection]
	if level == "" {
		return exportFeatures(tb, s, collection)
	}
	var out []ogcFeatDoc
	for _, f := range exportFeatures(tb, s, "units") {
		if f.Properties["level"] == level {
			out = append(out, f)
		}
	}
	return out
}

// TestOGCPagingMatchesExport pages through every collection two features
// at a time and checks that the pages hold every feature of /v1/export
// exactly once, in its order, with the same id, properties and geometry.
func TestOGCPagingMatchesExport(t *testing.T) {
	s := newTestServer(t)
	for _, col := range ogcCollections {
		got := allPages(t, s, "/ogc/collections/"+col.id+"/items?limit=2")
		want := exportOf(t, s, col.id)
		if len(got) != len(want) || len(want) == 0 {
			t.Errorf("%s: paged %d features, export has %d", col.id, len(got), len(want))
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: paged features differ from the export:\n got %+v\nwant %+v", col.id, got[0], want[0])
		}
		first := getPage(t, s, "/ogc/collections/"+col.id+"/items")
		if first.NumberMatched != len(want) || first.TimeStamp == "" {
			t.Errorf("%s: numberMatched %d, want %d; timeStamp %q", col.id, first.NumberMatched, len(want), first.TimeStamp)
		}
	}
}

// TestOGCPropertiesMatchSchema checks the getters the filters read and the
// schema against what the encoder writes, property by property.
func TestOGCPropertiesMatchSchema(t *testing.T) {
	s := newTestServer(t)
	v := s.view.Load()
	for _, col := range ogcCollections {
		l := v.ogcLayers().byID[col.id]
		enc := cityio.NewFeatureEncoder(nil, nil)
		for i := range l.Len() {
			var f ogcFeatDoc
			decode(t, l.Append(nil, enc, i), &f)
			for _, p := range col.props {
				got := l.Property(i, p.name)
				raw, ok := f.Properties[p.name]
				switch {
				case !ok && got.Kind != 0:
					t.Errorf("%s #%d: %s is %v but the feature has none", col.id, i, p.name, got)
				case ok && p.typ == "string" && raw != got.Str:
					t.Errorf("%s #%d: %s = %q, feature has %v", col.id, i, p.name, got.Str, raw)
				case ok && p.typ == "integer" && raw.(json.Number).String() != ftoa(got.Num):
					t.Errorf("%s #%d: %s = %v, feature has %v", col.id, i, p.name, got.Num, raw)
				}
			}
			for k := range f.Properties {
				if _, ok := col.prop(k); !ok {
					t.Errorf("%s #%d: property %s is not in the schema", col.id, i, k)
				}
			}
		}
	}
}
