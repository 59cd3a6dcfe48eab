package osmfile

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
)

// tinyOSM has one of each case the layers handle.
const tinyOSM = `<osm version="0.6">
<node id="1" lat="26.60" lon="104.80"/><node id="2" lat="26.60" lon="104.81"/>
<node id="3" lat="26.61" lon="104.81"/><node id="4" lat="26.61" lon="104.80"/>
<node id="5" lat="26.62" lon="104.80"/><node id="6" lat="26.62" lon="104.81"/>
<node id="7" lat="26.63" lon="104.83"><tag k="addr:street" v="钟山大道"/><tag k="addr:housenumber" v="12"/></node>
<way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/><tag k="name" v="钟山大道"/></way>
<way id="11"><nd ref="1"/><nd ref="99"/><tag k="highway" v="residential"/></way>
<way id="12"><nd ref="1"/><nd ref="2"/><tag k="highway" v="motorway"/></way>
<way id="20"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/><tag k="building" v="yes"/><tag k="addr:housenumber" v="3"/></way>
<way id="21"><nd ref="3"/><nd ref="4"/><nd ref="5"/></way>
<way id="22"><nd ref="5"/><nd ref="6"/><nd ref="3"/></way>
<way id="23"><nd ref="4"/><nd ref="5"/><nd ref="6"/><nd ref="3"/><nd ref="4"/><tag k="building" v="school"/><tag k="name" v="一中"/></way>
<way id="24"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="no"/></way>
<relation id="30"><member type="way" ref="21" role="outer"/><member type="way" ref="22" role="outer"/><tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
<relation id="31"><member type="way" ref="23" role="outer"/><tag k="type" v="multipolygon"/></relation>
<relation id="32"><member type="way" ref="98" role="outer"/><tag k="type" v="multipolygon"/><tag k="building" v="yes"/></relation>
</osm>`

// TestTinyExtract checks the layer rules: walkable ways only, incomplete
// ways and relations left out and counted, closed building ways, a
// multipolygon of two open ways, an old-style multipolygon taking its
// outer way's tags (the way itself left out), building=no ignored,
// addressed nodes as points.
func TestTinyExtract(t *testing.T) {
	x, err := ReadFrom(context.Background(), strings.NewReader(tinyOSM), "tiny.osm")
	if err != nil {
		t.Fatal(err)
	}
	var streets []string
	for i := range x.Streets.Features {
		f := &x.Streets.Features[i]
		id, _ := x.Streets.Get(f, "osm_id")
		name, _ := x.Streets.Get(f, "name")
		streets = append(streets, id+":"+name+":"+string(f.Geometry.GeoJSONType()))
	}
	if got, want := strings.Join(streets, " "), "10:钟山大道:LineString"; got != want {
		t.Errorf("streets = %s, want %s", got, want)
	}
	var buildings []string
	for i := range x.Buildings.Features {
		f := &x.Buildings.Features[i]
		var parts []string
		for _, k := range []string{"osm_type", "osm_id", "building", "name", "addr:housenumber"} {
			v, _ := x.Buildings.Get(f, k)
			parts = append(parts, v)
		}
		buildings = append(buildings, strings.Join(parts, ",")+":"+string(f.Geometry.GeoJSONType()))
	}
	want := "node,7,,,12:Point way,20,yes,,3:Polygon relation,30,yes,,:Polygon relation,31,school,一中,:Polygon"
	if got := strings.Join(buildings, " "); got != want {
		t.Errorf("buildings =\n%s\nwant\n%s", got, want)
	}
	if st := x.Stats; st.IncompleteWays != 1 || st.IncompleteRelations != 1 || st.Nodes != 7 || st.Ways != 8 || st.Relations != 3 {
		t.Errorf("stats = %+v", st)
	}
	if x.Buildings.SRS.EPSG != 4326 || x.Streets.Name != Streets || x.Buildings.Name != Buildings {
		t.Errorf("layers %s, %s in EPSG:%d", x.Streets.Name, x.Buildings.Name, x.Buildings.SRS.EPSG)
	}
}

// TestBadFiles checks malformed extracts fail with an ingest.Error naming
// the file and the fault, never a panic.
func TestBadFiles(t *testing.T) {
	pbf, _ := extracts(t)
	real, err := os.ReadFile(pbf)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file string
		data       []byte
		fault      string
	}{
		{"truncated pbf", "cut.osm.pbf", real[:1<<20], "truncated"},
		{"not a pbf", "text.osm.pbf", []byte("<osm version='0.6'></osm>"), "64 KiB"},
		{"empty xml", "empty.osm", []byte("<osm version='0.6'></osm>"), "no OpenStreetMap"},
		{"malformed xml", "bad.osm", []byte("<osm><node id='1' lat='26.6' lon='104.8'><tag k='a'"), "malformed OSM XML"},
		{"not bzip2", "bad.osm.bz2", []byte("<osm/>"), "bzip2"},
		{"not gzip", "bad.osm.gz", []byte("<osm/>"), "gzip"},
		{"unknown extension", "city.geojson", []byte("{}"), "not an OpenStreetMap extract"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrom(context.Background(), bytes.NewReader(tc.data), tc.file)
			var ie *ingest.Error
			if !errors.As(err, &ie) || ie.File != tc.file || !strings.Contains(ie.Reason, tc.fault) {
				t.Errorf("ReadFrom(%s) = %v, want an ingest.Error naming %s with %q", tc.file, err, tc.file, tc.fault)
			}
		})
	}
}

// FuzzXML feeds arbitrary bytes to the XML path and the layer rules.
func FuzzXML(f *testing.F) {
	f.Add([]byte(tinyOSM))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadFrom(context.Background(), bytes.NewReader(b), "f.osm")
	})
}
