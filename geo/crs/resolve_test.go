package crs

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The files testdata/WKT1_ESRI.txt, WKT1_GDAL.txt and WKT2_2019.txt hold
// PROJ's own WKT of every supported EPSG system ("code<TAB>wkt" lines),
// written by `projinfo -o FORMAT -q --single-line EPSG:code` (PROJ 9.1.1,
// Debian proj-bin). TestResolveProjinfoLive checks a few of them against
// the installed projinfo.
var wktFormats = []string{"WKT1_ESRI", "WKT1_GDAL", "WKT2_2019"}

// readWKTTable reads one testdata table.
func readWKTTable(t *testing.T, format string) map[int]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", format+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[int]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		code, wkt, ok := strings.Cut(sc.Text(), "\t")
		n, err := strconv.Atoi(code)
		if !ok || err != nil {
			t.Fatalf("%s: bad line %q", format, sc.Text())
		}
		out[n] = wkt
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// topAuthority matches the top-level EPSG authority at the end of a WKT1
// or WKT2 text.
var topAuthority = regexp.MustCompile(`,(AUTHORITY\["EPSG","\d+"\]|ID\["EPSG",\d+\])\]$`)

// TestResolvePROJWKT resolves PROJ's WKT of every supported system in
// each format, as written and with the top-level authority removed (so
// that recognition by parameters is what answers), to its own code.
func TestResolvePROJWKT(t *testing.T) {
	for _, format := range wktFormats {
		table := readWKTTable(t, format)
		if len(table) != 67 {
			t.Fatalf("%s: %d systems, want 67", format, len(table))
		}
		for code, wkt := range table {
			bare := topAuthority.ReplaceAllString(wkt, "]")
			if format != "WKT1_ESRI" && bare == wkt {
				t.Fatalf("%s EPSG:%d: no top-level authority to remove", format, code)
			}
			for _, text := range []string{wkt, bare} {
				got, err := Resolve(0, text)
				if err != nil || got.EPSG() != code {
					t.Errorf("%s: Resolve(EPSG:%d WKT) = %v, %v", format, code, got, err)
				}
			}
			if format == "WKT2_2019" && code != 4326 {
				name := wkt[strings.IndexByte(wkt, '"')+1:]
				name = name[:strings.IndexByte(name, '"')]
				if s, _ := ByEPSG(code); s.Name() != name {
					t.Errorf("ByEPSG(%d).Name() = %q, PROJ says %q", code, s.Name(), name)
				}
			}
		}
	}
}

// TestResolveProjinfoLive checks the testdata against the installed PROJ.
func TestResolveProjinfoLive(t *testing.T) {
	bin := needProj(t, "projinfo")
	table := readWKTTable(t, "WKT1_ESRI")
	for _, code := range []int{4490, 4544, 4523} {
		out, err := exec.Command(bin, "-o", "WKT1_ESRI", "-q", "--single-line", "EPSG:"+strconv.Itoa(code)).Output()
		if err != nil {
			t.Fatalf("projinfo EPSG:%d: %v", code, err)
		}
		if got := strings.TrimSpace(string(out)); got != table[code] {
			t.Errorf("projinfo EPSG:%d = %s\ntestdata has %s", code, got, table[code])
		}
	}
}

func TestResolve(t *testing.T) {
	const cgcsGeog = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	gk := func(name, proj string, fe, cm, k float64) string {
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		return `PROJCS["` + name + `",` + cgcsGeog + `,PROJECTION["` + proj + `"],PARAMETER["False_Easting",` + f(fe) +
			`],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",` + f(cm) + `],PARAMETER["Scale_Factor",` + f(k) +
			`],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	}
	cases := []struct {
		name string
		epsg int
		wkt  string
		want int
	}{
		{"code wins", 4544, "garbage", 4544},
		{"esri 3 degree CM 105", 0, gk("CGCS2000_3_Degree_GK_CM_105E", "Gauss_Kruger", 500000, 105, 1), 4544},
		{"esri 6 degree CM 105", 0, gk("CGCS2000_GK_CM_105E", "Gauss_Kruger", 500000, 105, 1), 4507},
		{"transverse mercator, odd CM is 3 degree", 0, gk("my grid", "Transverse_Mercator", 500000, 108, 1), 4545},
		{"zone 35", 0, gk("x", "Transverse_Mercator", 35500000, 105, 1), 4523},
		{"zone 18", 0, gk("x", "Gauss_Kruger", 18500000, 105, 1), 4496},
		{"lower case keywords, parentheses", 0, `geogcs("x",datum("China 2000",spheroid("CGCS2000",6378137,298.257222101)))`, 4490},
		{"old ESRI Web Mercator on a sphere", 0, `PROJCS["WGS_1984_Web_Mercator",GEOGCS["GCS_WGS_1984_Major_Auxiliary_Sphere",DATUM["D_WGS_1984_Major_Auxiliary_Sphere",SPHEROID["WGS_1984_Major_Auxiliary_Sphere",6378137.0,0.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.017453292519943295]],PROJECTION["Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],UNIT["Meter",1.0]]`, 3857},
		{"spaces and newlines", 0, "GEOGCS [ \"WGS 84\" ,\n DATUM [\"WGS_1984\", SPHEROID[\"WGS 84\",6378137,298.257223563]]]", 4326},
	}
	for _, tc := range cases {
		got, err := Resolve(tc.epsg, tc.wkt)
		if err != nil || got.EPSG() != tc.want {
			t.Errorf("%s: Resolve = %v, %v, want EPSG:%d", tc.name, got, err, tc.want)
		}
	}

	bad := []struct {
		name, wkt, says string
		err             error
	}{
		{"empty", "  ", "no EPSG code", ErrUnknownCRS},
		{"unknown datum", `GEOGCS["Beijing 1954",DATUM["Beijing_1954",SPHEROID["Krassowsky 1940",6378245,298.3]]]`, `unknown datum "Beijing_1954"`, ErrUnknownCRS},
		{"Xian 1980 GK", `PROJCS["Xian_1980_3_Degree_GK_CM_105E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]],PROJECTION["Gauss_Kruger"]]`, `unknown datum "D_Xian_1980"`, ErrUnknownCRS},
		{"wrong ellipsoid", `GEOGCS["x",DATUM["China_2000",SPHEROID["Krassowsky",6378245,298.3]]]`, "not its own", ErrUnknownCRS},
		{"UTM", `PROJCS["WGS 84 / UTM zone 48N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",105],PARAMETER["scale_factor",0.9996],PARAMETER["false_easting",500000],UNIT["metre",1]]`, "on WGS 84", ErrUnknownCRS},
		{"scale not 1", gk("x", "Gauss_Kruger", 500000, 105, 0.9996), "scale 0.9996", ErrUnknownCRS},
		{"CM off the zones", gk("x", "Gauss_Kruger", 500000, 104, 1), "central meridian 104", ErrUnknownCRS},
		{"zone and CM disagree", gk("x", "Gauss_Kruger", 35500000, 108, 1), "false easting 3.55e+07", ErrUnknownCRS},
		{"feet", strings.Replace(gk("x", "Gauss_Kruger", 500000, 105, 1), `UNIT["Meter",1.0]`, `UNIT["Foot_US",0.3048006096012192]`, 1), "not meters", ErrUnknownCRS},
		{"world mercator", `PROJCS["WGS 84 / World Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],UNIT["metre",1]]`, `projection "Mercator_1SP"`, ErrUnknownCRS},
		{"web mercator with offsets", `PROJCS["x_Web_Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",1000],UNIT["metre",1]]`, "false easting 1000", ErrUnknownCRS},
		{"lambert", `PROJCS["x",` + cgcsGeog + `,PROJECTION["Lambert_Conformal_Conic"],UNIT["Meter",1]]`, `projection "Lambert_Conformal_Conic"`, ErrUnknownCRS},
		{"unsupported authority", `PROJCS["x",GEOGCS["y"],AUTHORITY["EPSG","32648"]]`, "EPSG:32648", ErrUnknownCRS},
		{"vertical", `VERT_CS["x",VERT_DATUM["y",2005]]`, "not a geographic or projected", ErrUnknownCRS},
		{"unclosed", `GEOGCS["x",DATUM["y"`, "unclosed", ErrBadWKT},
		{"unclosed string", `GEOGCS["x`, "unclosed string", ErrBadWKT},
		{"trailing", `GEOGCS["x"] x`, "after the end", ErrBadWKT},
		{"not wkt", `{"type":"name"}`, "want a keyword", ErrBadWKT},
		{"too deep", strings.Repeat("A[", 100) + strings.Repeat("]", 100), "nested deeper", ErrBadWKT},
	}
	for _, tc := range bad {
		got, err := Resolve(0, tc.wkt)
		if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: Resolve = %v, %v, want %v saying %q", tc.name, got, err, tc.err, tc.says)
		}
	}
}

// FuzzResolveWKT checks that no WKT text panics or hangs Resolve, and that
// whatever it accepts is a supported system.
func FuzzResolveWKT(f *testing.F) {
	for _, format := range wktFormats {
		data, err := os.ReadFile(filepath.Join("testdata", format+".txt"))
		if err != nil {
			f.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if _, wkt, ok := strings.Cut(line, "\t"); ok && i%9 == 0 {
				f.Add(wkt)
			}
		}
	}
	f.Add(`GEOGCS["x",DATUM["y"`)
	f.Add(`A("a""b",1e400,-,[])`)
	f.Fuzz(func(t *testing.T, wkt string) {
		s, err := Resolve(0, wkt)
		if err == nil {
			if _, err2 := ByEPSG(s.EPSG()); err2 != nil {
				t.Fatalf("Resolve(%q) = %v, not a supported EPSG system", wkt, s)
			}
		} else if !errors.Is(err, ErrUnknownCRS) && !errors.Is(err, ErrBadWKT) {
			t.Fatalf("Resolve(%q) error %v wraps neither ErrUnknownCRS nor ErrBadWKT", wkt, err)
		}
	})
}
