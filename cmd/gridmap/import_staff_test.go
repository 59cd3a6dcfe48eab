package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// writeGBK writes text to path encoded in GB18030 (GBK for these
// characters), as a grid office's Excel exports its CSV.
func writeGBK(t *testing.T, path, text string) {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// ogrFeatureCount is GDAL's count of the rows of a CSV: the oracle for
// how many rows the staff table holds.
func ogrFeatureCount(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command(needTool(t, "ogrinfo", "gdal-bin"), "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", path, err, out)
	}
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("ogrinfo %s: no feature count in\n%s", path, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// TestImportStaffGBK imports the fixture grids with a staff table in GBK
// with a Chinese header: every row that names a grid is matched, the
// report says so, and the store serves the staff.
func TestImportStaffGBK(t *testing.T) {
	city := smallCity(t)
	c, err := cityio.Read(city)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("网格编码,姓名,职务,类型,手机号码\r\n")
	want := map[geo.GridCode][]geo.Staff{}
	rows := 0
	for _, g := range c.Grids[:40] {
		for _, s := range g.Staff {
			fmt.Fprintf(&b, "%s,%s,%s,%s,%s\r\n", g.Code, s.Name, s.Role.Chinese(), s.Type.Chinese(), geo.PhoneDigits(s.Phone))
			rows++
		}
		want[g.Code] = g.Staff
	}
	b.WriteString("520201999999001,张三,网格员,专职,13900000000\r\n") // no such grid
	rows++
	dir := t.TempDir()
	csv := filepath.Join(dir, "网格员.csv")
	writeGBK(t, csv, b.String())
	if n := ogrFeatureCount(t, csv); n != rows {
		t.Fatalf("ogrinfo counts %d rows in the staff CSV, the test wrote %d", n, rows)
	}
	store := filepath.Join(t.TempDir(), "store")
	report := filepath.Join(t.TempDir(), "report")
	out, err := run(t, context.Background(), "import", "--quiet", "--store", store, "--report", report, "--crs", "wgs84",
		"--grids", filepath.Join(city, "grids.geojson"), "--units", filepath.Join(city, "units.geojson"), "--staff", csv)
	if err != nil {
		t.Fatalf("import --staff: %v", err)
	}
	wantLine := fmt.Sprintf("staff: %d of %d rows matched grids (40 grids have staff; 1 rows name no grid)", rows-1, rows)
	if !strings.Contains(out, wantLine) {
		t.Errorf("import output lacks %q:\n%s", wantLine, out)
	}
	md, _ := os.ReadFile(filepath.Join(report, "report.md"))
	if !strings.Contains(string(md), "## Staff") || !strings.Contains(string(md), "520201999999001") {
		t.Errorf("report.md lacks the staff section or the unmatched row:\n%s", md)
	}
	st, err := openStore(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	loaded, err := st.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, g := range loaded.City.Grids {
		w, ok := want[g.Code]
		switch {
		case ok && !slices.Equal(g.Staff, w):
			t.Errorf("grid %s staff = %+v, want %+v", g.Code, g.Staff, w)
		case !ok && len(g.Staff) > 0:
			t.Errorf("grid %s got staff %+v from no row", g.Code, g.Staff)
		case ok:
			got++
		}
	}
	if got != 40 {
		t.Errorf("%d grids have their staff, want 40", got)
	}
	st.Close()
	importStaffOnly(t, store, c.Grids[3])
}

// importStaffOnly runs import --staff without --grids on store: grid g
// gets new staff as one changeset; the same file again changes nothing.
func importStaffOnly(t *testing.T, store string, g *geo.Grid) {
	t.Helper()
	csv := filepath.Join(t.TempDir(), "staff.tsv")
	text := fmt.Sprintf("grid_code\tname\trole\ttype\tphone\n%s\t赵丽华\t网格长\t专职\t139 8500 1234\n%s\t钱伟\t兼职网格员\t\t0858-8221234\n", g.Code, g.Code)
	writeGBK(t, csv, text)
	out, err := run(t, context.Background(), "import", "--dry-run", "--store", store, "--staff", csv)
	if err != nil || !strings.Contains(out, "the staff of 1 grids would change") {
		t.Fatalf("staff-only dry run = %v:\n%s", err, out)
	}
	out, err = run(t, context.Background(), "import", "--store", store, "--staff", csv)
	if err != nil || !strings.Contains(out, "committed the staff of 1 grids") {
		t.Fatalf("staff-only import = %v:\n%s", err, out)
	}
	out, err = run(t, context.Background(), "import", "--store", store, "--staff", csv)
	if err != nil || !strings.Contains(out, "committed the staff of 0 grids") {
		t.Fatalf("the same staff again = %v:\n%s", err, out)
	}
	st, err := openStore(store, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, err := st.Changeset(context.Background(), 1)
	if err != nil || cs.Kind != "staff" || cs.Author != staffAuthor || len(cs.Changes) != 1 || cs.Changes[0].ID != g.ID {
		t.Fatalf("changeset 1 = %+v, %v", cs, err)
	}
	want := []geo.Staff{{Name: "赵丽华", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "139-8500-1234"},
		{Name: "钱伟", Role: geo.RoleWorker, Type: geo.StaffPartTime, Phone: "0858-8221234"}}
	if !slices.Equal(cs.Changes[0].StaffAfter, want) {
		t.Errorf("staff after = %+v, want %+v", cs.Changes[0].StaffAfter, want)
	}
	if v, _ := st.Version(context.Background()); v != 1 {
		t.Errorf("store at version %d, want 1", v)
	}
}

// TestImportStaffFaults: a bad staff row refuses the import, naming the
// file, the row and the fault, and stores nothing.
func TestImportStaffFaults(t *testing.T) {
	city := smallCity(t)
	c, err := cityio.Read(city)
	if err != nil {
		t.Fatal(err)
	}
	code := c.Grids[0].Code.String()
	dir := t.TempDir()
	cases := []struct{ name, text, want string }{
		{"bad phone", "网格编码,姓名,职务,电话\n520201001001001,王秀英,网格长,13812345678\n520201001001001,李明,网格员,12345\n", "feature 2: phone"},
		{"empty name", "网格编码,姓名,职务,电话\n520201001001001,,网格员,13812345678\n", "feature 1: name: empty"},
		{"bad role", "grid code,name,role,phone\n520201001001001,王秀英,组长,13812345678\n", "feature 1: role \"组长\""},
		{"two heads", "网格编码,姓名,职务,电话\n520201001001001,王秀英,网格长,13812345678\n520201001001001,李明,网格长,13812345679\n", "feature 2: grid CODE: a grid has one head"},
		{"bad code", "网格编码,姓名,职务,电话\n5202010010,王秀英,网格长,13812345678\n", "feature 1: grid code \"5202010010\""},
		{"no phone column", "网格编码,姓名,职务\n520201001001001,王秀英,网格长\n", "no column for phone"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			csv := filepath.Join(dir, fmt.Sprintf("staff%d.csv", i))
			writeGBK(t, csv, strings.ReplaceAll(tc.text, "520201001001001", code))
			tc.want = strings.ReplaceAll(tc.want, "CODE", code)
			store := filepath.Join(t.TempDir(), "store")
			_, err := run(t, context.Background(), "import", "--quiet", "--store", store, "--crs", "wgs84",
				"--grids", filepath.Join(city, "grids.geojson"), "--staff", csv)
			if err == nil || !strings.Contains(err.Error(), csv) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("import = %v, want an error naming %s and %q", err, csv, tc.want)
			}
			if _, err := os.Stat(store); err == nil {
				t.Error("a refused import created the store")
			}
		})
	}
	if _, err := run(t, context.Background(), "import", "--dry-run", "--grids", filepath.Join(city, "grids.geojson"), "--staff", filepath.Join(dir, "staff.shp")); err == nil || !strings.Contains(err.Error(), "--staff") {
		t.Errorf("import --staff staff.shp = %v, want an unknown file type error", err)
	}
}
