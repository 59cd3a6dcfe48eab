package server

import (
	"math"
	"net/http"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// stationProps is a decoded station.
type stationProps struct {
	ID   int    `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	Unit *struct {
		Code  string `json:"code"`
		Level string `json:"level"`
	} `json:"unit"`
	Community *struct {
		Code string `json:"code"`
	} `json:"community"`
	Point     [2]float64 `json:"point"`
	OnNetwork bool       `json:"on_network"`
	SnapM     *float64   `json:"snap_m"`
}

type stationFeature struct {
	Type     string `json:"type"`
	ID       int    `json:"id"`
	Geometry struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	} `json:"geometry"`
	Properties stationProps `json:"properties"`
}

// nearestJSON is a decoded nearest-station answer.
type nearestJSON struct {
	CRS      string `json:"crs"`
	Building *struct {
		ID         int `json:"id"`
		Households int `json:"households"`
	} `json:"building"`
	Station   stationProps `json:"station"`
	DistanceM float64      `json:"distance_m"`
	Minutes   float64      `json:"minutes"`
	Covered   bool         `json:"covered"`
	AccessM   float64      `json:"access_m"`
	Version   int          `json:"version"`
}

// TestStations lists the stations of the fixture city and checks each
// against the snapshot, then fetches some one by one.
func TestStations(t *testing.T) {
	s := walkServer(t)
	city := s.Snapshot().City
	var fc struct {
		Type     string           `json:"type"`
		Count    int              `json:"count"`
		Features []stationFeature `json:"features"`
	}
	r := getJSON(t, s, "/v1/stations", &fc)
	if fc.Type != "FeatureCollection" || fc.Count != len(city.Stations) || len(fc.Features) != len(city.Stations) {
		t.Fatalf("GET /v1/stations: type %q count %d, %d features; want %d stations", fc.Type, fc.Count, len(fc.Features), len(city.Stations))
	}
	byID := map[int]*geo.Station{}
	for _, st := range city.Stations {
		byID[int(st.ID)] = st
	}
	for _, f := range fc.Features {
		checkStation(t, byID[f.ID], f)
	}
	if r304 := do(t, s, http.MethodGet, "/v1/stations", "", "", "If-None-Match", r.header.Get("ETag")); r304.status != http.StatusNotModified {
		t.Errorf("GET /v1/stations with its ETag = %d, want 304", r304.status)
	}
	for _, st := range city.Stations[:5] {
		var f stationFeature
		getJSON(t, s, "/v1/stations/"+strconv.Itoa(int(st.ID)), &f)
		checkStation(t, st, f)
	}
}

// checkStation compares a station feature with the snapshot's station.
func checkStation(t *testing.T, st *geo.Station, f stationFeature) {
	t.Helper()
	if st == nil {
		t.Errorf("feature %d names no station", f.ID)
		return
	}
	p := f.Properties
	where := "station " + strconv.Itoa(int(st.ID))
	if f.Type != "Feature" || f.Geometry.Type != "Point" || p.ID != int(st.ID) || p.Kind != st.Kind.String() || p.Name != st.Name {
		t.Errorf("%s: got %+v, want kind %s name %s", where, f, st.Kind, st.Name)
	}
	if d := orb.Point(f.Geometry.Coordinates); math.Abs(d[0]-st.Point[0]) > 1e-7 || math.Abs(d[1]-st.Point[1]) > 1e-7 {
		t.Errorf("%s: point %v, want %v", where, d, st.Point)
	}
	if p.Unit == nil || p.Unit.Code != st.Unit.String() {
		t.Errorf("%s: unit %+v, want %s", where, p.Unit, st.Unit)
	}
	if st.Kind == geo.StationCommunity && (p.Community == nil || p.Community.Code != st.Unit.String()) {
		t.Errorf("%s: community %+v, want %s", where, p.Community, st.Unit)
	}
	if st.Kind == geo.StationCentre && p.Community != nil {
		t.Errorf("%s: a subdistrict centre serves community %s, want null", where, p.Community.Code)
	}
	if !p.OnNetwork || p.SnapM == nil || *p.SnapM < 0 || *p.SnapM > 500 {
		t.Errorf("%s: on_network %v snap_m %v, want on the network within 500 m", where, p.OnNetwork, p.SnapM)
	}
}

// TestNearestStation asks for the station nearest each of a sample of
// stations' own points, in every coordinate system: the walk is at most
// the station's access walk there and back.
func TestNearestStation(t *testing.T) {
	s := walkServer(t)
	sts := s.Snapshot().City.Stations
	for i := 0; i < len(sts); i += len(sts) / 12 {
		st := sts[i]
		var own stationFeature
		getJSON(t, s, "/v1/stations/"+strconv.Itoa(int(st.ID)), &own)
		for _, c := range []crs.CRS{crs.WGS84, crs.GCJ02, crs.BD09} {
			p := crs.FromWGS84(c, st.Point)
			target := "/v1/nearest-station?lon=" + ftoa(p[0]) + "&lat=" + ftoa(p[1]) + "&crs=" + c.String()
			var got nearestJSON
			getJSON(t, s, target, &got)
			if max := 2**own.Properties.SnapM + 0.2; got.DistanceM > max || got.CRS != c.String() {
				t.Errorf("%s: station %d at %.1f m (crs %s), want at most %.1f m", target, got.Station.ID, got.DistanceM, got.CRS, max)
			}
			if got.Covered != (got.DistanceM <= 1000) || math.Abs(got.Minutes-got.DistanceM/(4000.0/60)) > 0.06 {
				t.Errorf("%s: covered %v minutes %v for %.1f m", target, got.Covered, got.Minutes, got.DistanceM)
			}
		}
	}
}

// TestBuildingStation checks /v1/buildings/{id}/station against the
// 15-minute coverage: a building is covered exactly when its nearest
// station is within 1000 m.
func TestBuildingStation(t *testing.T) {
	s := walkServer(t)
	bs := s.Snapshot().City.Buildings
	var gaps gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?limit=0", &gaps)
	uncovered := map[int]bool{}
	for _, f := range gaps.Features {
		uncovered[f.Properties.ID] = true
	}
	ids := []int{}
	for i := 0; i < len(bs); i += len(bs) / 40 {
		ids = append(ids, int(bs[i].ID))
	}
	for _, f := range gaps.Features[:min(10, len(gaps.Features))] {
		ids = append(ids, f.Properties.ID)
	}
	for _, id := range ids {
		target := "/v1/buildings/" + strconv.Itoa(id) + "/station"
		r := do(t, s, http.MethodGet, target, "", "")
		if r.status == http.StatusUnprocessableEntity && uncovered[id] {
			continue // off the network or no station reachable: a gap
		}
		var got nearestJSON
		getJSON(t, s, target, &got)
		if got.Building == nil || got.Building.ID != id {
			t.Errorf("%s: building %+v, want %d", target, got.Building, id)
		}
		if got.Covered == uncovered[id] {
			t.Errorf("%s: covered %v at %.1f m, but the gaps list it: %v", target, got.Covered, got.DistanceM, uncovered[id])
		}
	}
}

func TestStationsBadInput(t *testing.T) {
	s := walkServer(t)
	cases := []struct {
		name, target string
		status       int
		field        string
	}{
		{"unknown station", "/v1/stations/999999", http.StatusNotFound, "id"},
		{"station id not a number", "/v1/stations/abc", http.StatusBadRequest, "id"},
		{"station id zero", "/v1/stations/0", http.StatusBadRequest, "id"},
		{"unknown building", "/v1/buildings/99999999/station", http.StatusNotFound, "id"},
		{"building id not a number", "/v1/buildings/x1/station", http.StatusBadRequest, "id"},
		{"nearest without lon", "/v1/nearest-station?lat=26.6", http.StatusBadRequest, "lon"},
		{"nearest lat out of range", "/v1/nearest-station?lon=104.8&lat=96", http.StatusBadRequest, "lat"},
		{"nearest bad crs", "/v1/nearest-station?lon=104.8&lat=26.6&crs=mars", http.StatusBadRequest, "crs"},
		{"nearest off the network", "/v1/nearest-station?lon=106.5&lat=27.9", http.StatusUnprocessableEntity, "point"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, c.target, "", ""), c.status, c.field)
		})
	}
}
