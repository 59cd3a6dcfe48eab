package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/valyala/fasthttp"
)

// circleJSON is a decoded circle answer; geometries stay raw so that
// simplefeatures can parse (and validate) them.
type circleJSON struct {
	Type     string `json:"type"`
	Features []struct {
		Type       string          `json:"type"`
		Geometry   json.RawMessage `json:"geometry"`
		Properties struct {
			Role       string        `json:"role"`
			Minutes    float64       `json:"minutes"`
			Meters     float64       `json:"meters"`
			Buildings  int           `json:"buildings"`
			Households int           `json:"households"`
			Station    *stationProps `json:"station"`
			AccessM    float64       `json:"access_m"`
			Foot       [2]float64    `json:"foot"`
		} `json:"properties"`
	} `json:"features"`
	Summary struct {
		Minutes    float64 `json:"minutes"`
		LimitM     float64 `json:"limit_m"`
		Buildings  int     `json:"buildings"`
		Households int     `json:"households"`
		Covered    []struct {
			ID         int     `json:"id"`
			DistanceM  float64 `json:"distance_m"`
			Households int     `json:"households"`
		} `json:"covered"`
	} `json:"summary"`
}

// bandGeoms parses the band polygons, largest first, failing on invalid
// geometry, and checks the origin feature comes last.
func (c circleJSON) bandGeoms(t *testing.T, where string) []geom.Geometry {
	t.Helper()
	if c.Type != "FeatureCollection" || len(c.Features) < 2 {
		t.Fatalf("%s: %s with %d features, want a FeatureCollection of bands and the origin", where, c.Type, len(c.Features))
	}
	var gs []geom.Geometry
	for i, f := range c.Features {
		if f.Properties.Role == "origin" {
			if i != len(c.Features)-1 {
				t.Errorf("%s: origin is feature %d of %d, want the last", where, i, len(c.Features))
			}
			continue
		}
		g, err := geom.UnmarshalGeoJSON(f.Geometry)
		if err != nil {
			t.Fatalf("%s: band %v min: invalid polygon: %v", where, f.Properties.Minutes, err)
		}
		if g.Type() != geom.TypeMultiPolygon || g.IsEmpty() {
			t.Errorf("%s: band %v min is an empty %s, want a MultiPolygon", where, f.Properties.Minutes, g.Type())
		}
		gs = append(gs, g)
	}
	return gs
}

// checkNested checks each band lies inside the one before it (larger).
func checkNested(t *testing.T, where string, gs []geom.Geometry) {
	t.Helper()
	for i := 1; i < len(gs); i++ {
		ok, err := geom.Contains(gs[i-1], gs[i])
		if err != nil || !ok {
			diff, _ := geom.Difference(gs[i], gs[i-1])
			t.Errorf("%s: band %d does not lie inside band %d (%v; outside area %g deg²)", where, i, i-1, err, diff.Area())
		}
	}
}

// TestStationCircleBands draws the 5/10/15-minute bands of a sample of
// stations and checks the polygons are valid and nest, the counts per band
// grow, and the listed buildings add up to the summary.
func TestStationCircleBands(t *testing.T) {
	s := walkServer(t)
	sts := s.Snapshot().City.Stations
	for i := 0; i < len(sts); i += len(sts) / 8 {
		st := sts[i]
		target := "/v1/stations/" + strconv.Itoa(int(st.ID)) + "/circle?minutes=15&bands=15,5,10&buildings=1"
		var c circleJSON
		getJSON(t, s, target, &c)
		gs := c.bandGeoms(t, target)
		if len(gs) != 3 {
			t.Fatalf("%s: %d bands, want 3", target, len(gs))
		}
		checkNested(t, target, gs)
		wantMeters := []float64{1000, 500, 300}
		prev := c.Summary.Buildings + 1
		for k, f := range c.Features[:3] {
			if f.Properties.Meters != wantMeters[k] || f.Properties.Buildings > prev {
				t.Errorf("%s: band %d: %v m with %d buildings, want %v m and no more than %d", target, k, f.Properties.Meters, f.Properties.Buildings, wantMeters[k], prev)
			}
			prev = f.Properties.Buildings
		}
		if c.Features[0].Properties.Buildings != c.Summary.Buildings || c.Features[0].Properties.Households != c.Summary.Households {
			t.Errorf("%s: outer band %+v disagrees with summary %+v", target, c.Features[0].Properties, c.Summary)
		}
		origin := c.Features[3].Properties
		if origin.Role != "origin" || origin.Station == nil || origin.Station.ID != int(st.ID) {
			t.Errorf("%s: origin %+v, want station %d", target, origin, st.ID)
		}
		foot := geom.NewPoint(geom.Coordinates{XY: geom.XY{X: origin.Foot[0], Y: origin.Foot[1]}})
		if in, _ := geom.Contains(gs[2], foot.AsGeometry()); !in {
			t.Errorf("%s: the 5-minute band does not hold the station's foot %v", target, origin.Foot)
		}
		checkCovered(t, target, c)
	}
}

// checkCovered checks the covered list against the summary: as many
// buildings, the same households, nearest first, all within the limit.
func checkCovered(t *testing.T, where string, c circleJSON) {
	t.Helper()
	hh, last := 0, 0.0
	for _, b := range c.Summary.Covered {
		hh += b.Households
		if b.DistanceM < last || b.DistanceM > c.Summary.LimitM+0.05 {
			t.Errorf("%s: building %d at %.1f m after %.1f m (limit %v)", where, b.ID, b.DistanceM, last, c.Summary.LimitM)
		}
		last = b.DistanceM
	}
	if len(c.Summary.Covered) != c.Summary.Buildings || hh != c.Summary.Households || hh == 0 {
		t.Errorf("%s: %d covered buildings with %d households, summary says %d and %d", where,
			len(c.Summary.Covered), hh, c.Summary.Buildings, c.Summary.Households)
	}
}

// TestCirclePostMatchesStation checks that a what-if circle from a
// station's own point, sent in GCJ-02, covers what the station's circle
// covers, and that one from a building's door covers that building.
func TestCirclePostMatchesStation(t *testing.T) {
	s := walkServer(t)
	snap := s.Snapshot()
	for _, st := range snap.City.Stations[:4] {
		var want circleJSON
		getJSON(t, s, "/v1/stations/"+strconv.Itoa(int(st.ID))+"/circle?minutes=10", &want)
		p := crs.FromWGS84(crs.GCJ02, st.Point)
		body := fmt.Sprintf(`{"point":[%s,%s],"crs":"gcj02","minutes":10}`, ftoa(p[0]), ftoa(p[1]))
		var got circleJSON
		postJSON(t, s, "/v1/circles", body, &got)
		got.bandGeoms(t, body)
		if got.Summary.Buildings != want.Summary.Buildings || got.Summary.Households != want.Summary.Households || got.Summary.LimitM != 500 {
			t.Errorf("POST %s: %+v, want the station's %+v", body, got.Summary, want.Summary)
		}
		if o := got.Features[len(got.Features)-1].Properties; o.Role != "origin" || o.Station != nil {
			t.Errorf("POST %s: origin %+v, want a what-if point with no station", body, o)
		}
	}
	b := snap.City.Buildings[len(snap.City.Buildings)/2]
	body := fmt.Sprintf(`{"point":[%s,%s],"minutes":7.5,"bands":[3,7.5],"buildings":true}`, ftoa(b.Point[0]), ftoa(b.Point[1]))
	var got circleJSON
	postJSON(t, s, "/v1/circles", body, &got)
	checkNested(t, body, got.bandGeoms(t, body))
	checkCovered(t, body, got)
	if len(got.Summary.Covered) == 0 || got.Summary.Covered[0].ID != int(b.ID) {
		t.Errorf("POST %s: nearest covered building %+v, want the building itself (%d)", body, got.Summary.Covered[:min(1, len(got.Summary.Covered))], b.ID)
	}
}

func TestCircleBadInput(t *testing.T) {
	s := walkServer(t)
	get := []struct {
		name, target string
		status       int
		field        string
	}{
		{"unknown station", "/v1/stations/999999/circle", http.StatusNotFound, "id"},
		{"bad station id", "/v1/stations/-3/circle", http.StatusBadRequest, "id"},
		{"minutes zero", "/v1/stations/1/circle?minutes=0", http.StatusBadRequest, "minutes"},
		{"minutes above 60", "/v1/stations/1/circle?minutes=61", http.StatusBadRequest, "minutes"},
		{"minutes NaN", "/v1/stations/1/circle?minutes=NaN", http.StatusBadRequest, "minutes"},
		{"minutes huge", "/v1/stations/1/circle?minutes=1e400", http.StatusBadRequest, "minutes"},
		{"minutes not a number", "/v1/stations/1/circle?minutes=ten", http.StatusBadRequest, "minutes"},
		{"band beyond the limit", "/v1/stations/1/circle?minutes=10&bands=5,15", http.StatusBadRequest, "bands"},
		{"band not a number", "/v1/stations/1/circle?bands=5,x", http.StatusBadRequest, "bands"},
		{"band empty", "/v1/stations/1/circle?bands=5,,10", http.StatusBadRequest, "bands"},
		{"band zero", "/v1/stations/1/circle?bands=0", http.StatusBadRequest, "bands"},
		{"too many bands", "/v1/stations/1/circle?bands=1,2,3,4,5,6,7", http.StatusBadRequest, "bands"},
		{"bad buildings flag", "/v1/stations/1/circle?buildings=yes", http.StatusBadRequest, "buildings"},
	}
	for _, c := range get {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, c.target, "", ""), c.status, c.field)
		})
	}
	post := []struct {
		name, contentType, body string
		status                  int
		field                   string
	}{
		{"malformed JSON", "application/json", `{"point":[104.8,26.6]`, http.StatusBadRequest, "body"},
		{"not JSON", "application/json", `point=1`, http.StatusBadRequest, "body"},
		{"trailing data", "application/json", `{"point":[104.83,26.59]} {}`, http.StatusBadRequest, "body"},
		{"empty body", "application/json", ``, http.StatusBadRequest, "body"},
		{"wrong content type", "text/plain", `{"point":[104.8,26.6]}`, http.StatusUnsupportedMediaType, "Content-Type"},
		{"unknown member", "application/json", `{"point":[104.8,26.6],"minute":5}`, http.StatusBadRequest, "minute"},
		{"point missing", "application/json", `{"minutes":15}`, http.StatusBadRequest, "point"},
		{"point not an array", "application/json", `{"point":"104.8,26.6"}`, http.StatusBadRequest, "point"},
		{"point of three", "application/json", `{"point":[104.8,26.6,3]}`, http.StatusBadRequest, "point"},
		{"point out of range", "application/json", `{"point":[204.8,26.6]}`, http.StatusBadRequest, "point"},
		{"point off the network", "application/json", `{"point":[106.5,27.9]}`, http.StatusUnprocessableEntity, "point"},
		{"bad crs", "application/json", `{"point":[104.8,26.6],"crs":"utm"}`, http.StatusBadRequest, "crs"},
		{"minutes out of range", "application/json", `{"point":[104.83,26.59],"minutes":90}`, http.StatusBadRequest, "minutes"},
		{"minutes a string", "application/json", `{"point":[104.83,26.59],"minutes":"15"}`, http.StatusBadRequest, "minutes"},
		{"bands empty", "application/json", `{"point":[104.83,26.59],"bands":[]}`, http.StatusBadRequest, "bands"},
		{"band beyond the limit", "application/json", `{"point":[104.83,26.59],"minutes":5,"bands":[10]}`, http.StatusBadRequest, "bands"},
	}
	for _, c := range post {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodPost, "/v1/circles", c.contentType, c.body), c.status, c.field)
		})
	}
}

// BenchmarkCircleHandler measures GET /v1/stations/{id}/circle with the
// three standard bands through Fiber's handler, without the network,
// rotating over every station; the engine sub-benchmark makes the same
// StationReach and Circle calls directly, so the difference is what HTTP
// and the GeoJSON encoding add.
func BenchmarkCircleHandler(b *testing.B) {
	s := quietServer(b)
	sts := s.Snapshot().City.Stations
	b.Run("engine", func(b *testing.B) {
		net, err := s.view.Load().network()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			r, err := net.StationReach(sts[i%len(sts)].ID, 1000)
			if err == nil {
				_, err = net.Circle(r, 300, 500, 1000)
			}
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("http", func(b *testing.B) {
		h := s.App().Handler()
		uris := make([][]byte, len(sts))
		for i, st := range sts {
			uris[i] = []byte("/v1/stations/" + strconv.Itoa(int(st.ID)) + "/circle?bands=5,10,15")
		}
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetMethod(http.MethodGet)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			ctx.Request.SetRequestURIBytes(uris[i%len(uris)])
			ctx.Response.Reset()
			h(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("status %d: %.300s", ctx.Response.StatusCode(), ctx.Response.Body())
			}
			i++
		}
	})
}

// BenchmarkCircleWhatIf measures POST /v1/circles from building doors.
func BenchmarkCircleWhatIf(b *testing.B) {
	s := quietServer(b)
	h := s.App().Handler()
	bs := s.Snapshot().City.Buildings
	bodies := make([][]byte, 256)
	for i := range bodies {
		p := bs[i*len(bs)/len(bodies)].Point
		bodies[i] = fmt.Appendf(nil, `{"point":[%s,%s]}`, ftoa(p[0]), ftoa(p[1]))
	}
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx.Request.Reset()
		ctx.Request.Header.SetMethod(http.MethodPost)
		ctx.Request.SetRequestURI("/v1/circles")
		ctx.Request.Header.SetContentType("application/json")
		ctx.Request.SetBody(bodies[i%len(bodies)])
		ctx.Response.Reset()
		h(&ctx)
		if ctx.Response.StatusCode() != http.StatusOK {
			b.Fatalf("status %d: %.300s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
		i++
	}
}

// FuzzCircleArgs feeds the circle query parser arbitrary minutes, bands
// and buildings values: it must answer a 400 naming one of them, or bands
// sorted by distance and none beyond the limit.
func FuzzCircleArgs(f *testing.F) {
	for _, seed := range [][3]string{{"15", "5,10,15", "1"}, {"", "", ""}, {"7.5", "3, 7.5", "true"},
		{"10", "5,15", "0"}, {"NaN", "", ""}, {"15", "5,,", "x"}, {"1e400", "-1", ""}, {"60", "1,2,3,4,5,6", ""}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	s := newTestServer(f)
	net, err := s.view.Load().network()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, minutes, bands, list string) {
		req, err := parseCircleArgs(net, []byte(minutes), []byte(bands), []byte(list))
		if err != nil {
			fe, ok := err.(*FieldError)
			if !ok || fe.status() != http.StatusBadRequest || (fe.Field != "minutes" && fe.Field != "bands" && fe.Field != "buildings") {
				t.Fatalf("parseCircleArgs(%q, %q, %q) = %v, want a 400 naming minutes, bands or buildings", minutes, bands, list, err)
			}
			return
		}
		if len(req.bands) == 0 || len(req.bands) > maxBands {
			t.Fatalf("parseCircleArgs(%q, %q, %q): %d bands", minutes, bands, list, len(req.bands))
		}
		for i, b := range req.bands {
			if b.meters < 1 || b.meters > req.limitMeters || (i > 0 && b.meters <= req.bands[i-1].meters) {
				t.Fatalf("parseCircleArgs(%q, %q, %q): bands %v with limit %v", minutes, bands, list, req.bands, req.limitMeters)
			}
		}
	})
}
