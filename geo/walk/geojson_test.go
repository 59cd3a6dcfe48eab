package walk

import (
	"errors"
	"testing"

	"github.com/paulmach/orb/geojson"
)

func TestWaysFromGeoJSON(t *testing.T) {
	raw := []byte(`{"type":"FeatureCollection","features":[
	 {"type":"Feature","id":7,"properties":{"name":"人民中路","highway":"primary"},
	  "geometry":{"type":"LineString","coordinates":[[104.830,26.590],[104.831,26.590]]}},
	 {"type":"Feature","properties":{"name":"钟山大道","class":"secondary"},
	  "geometry":{"type":"MultiLineString","coordinates":[[[104.831,26.590],[104.831,26.591]],[[104.840,26.600],[104.841,26.600]]]}},
	 {"type":"Feature","properties":{"name":"广场"},"geometry":{"type":"Point","coordinates":[104.83,26.59]}}]}`)
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		t.Fatalf("UnmarshalFeatureCollection: %v", err)
	}
	ways, err := WaysFromGeoJSON(fc)
	if err != nil {
		t.Fatalf("WaysFromGeoJSON: %v", err)
	}
	if len(ways) != 3 || ways[0].ID != 7 || ways[0].Name != "人民中路" || ways[0].Class != "primary" || ways[1].ID != 2 || ways[2].Class != "secondary" {
		t.Fatalf("ways = %+v, want 3 ways: 7 人民中路 primary, then feature 2's two lines as secondary", ways)
	}
	g, err := BuildGraph(ways)
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	if got := len(g.Components()); got != 2 {
		t.Errorf("components = %d, want 2", got)
	}
	if _, err := WaysFromGeoJSON(nil); !errors.Is(err, ErrEmptyNetwork) {
		t.Errorf("WaysFromGeoJSON(nil) error = %v, want ErrEmptyNetwork", err)
	}
}
