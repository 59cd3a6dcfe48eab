package repair_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/repair"
)

// TestWriteReport writes the report of the roughened city and opens the
// GeoJSON with GDAL's ogrinfo, as QGIS would.
func TestWriteReport(t *testing.T) {
	_, grids, comms := roughCity(t, 1)
	res, err := repair.Grids(grids, comms, repair.Options{})
	if err != nil {
		t.Fatalf("Grids: %v", err)
	}
	dir := t.TempDir()
	if err := repair.WriteReport(dir, res.Repairs, nil); err != nil {
		t.Fatalf("WriteReport: %v", err)
	}
	var rep repair.Report
	data, err := os.ReadFile(filepath.Join(dir, repair.ReportJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	for _, k := range []repair.Kind{repair.KindSnap, repair.KindOverlap, repair.KindGapFilled, repair.KindDuplicate, repair.KindInvalidRing} {
		if rep.Counts[k] == 0 {
			t.Errorf("summary.json counts no %s repair: %v", k, rep.Counts)
		}
	}
	if len(rep.LargestAreas) == 0 || rep.LargestAreas[0].AreaM2 < rep.LargestAreas[len(rep.LargestAreas)-1].AreaM2 {
		t.Errorf("largest areas not listed largest first: %+v", rep.LargestAreas)
	}
	md, _ := os.ReadFile(filepath.Join(dir, repair.ReportMarkdown))
	if !bytes.Contains(md, []byte("| overlap |")) {
		t.Errorf("summary.md has no overlap row:\n%s", md)
	}
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Fatalf("ogrinfo not found: install Debian's gdal-bin")
	}
	out, err := exec.Command(ogrinfo, "-so", "-al", filepath.Join(dir, repair.ReportGeoJSON)).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	want := "Feature Count: " + itoa(len(res.Repairs))
	if !strings.Contains(string(out), want) || !strings.Contains(string(out), "kind: String") {
		t.Errorf("ogrinfo does not read %d features with a kind:\n%s", len(res.Repairs), out)
	}
}

// TestWriteReportFaults writes a report for a failed repair: the faults
// are listed in the summaries and placed in the GeoJSON.
func TestWriteReportFaults(t *testing.T) {
	grids := []repair.Grid{
		{Key: "a", Community: "c", Geometry: square(104.80, 26.50, 0.001)},
		{Key: "a", Community: "c", Geometry: square(104.90, 26.50, 0.001)},
	}
	_, err := repair.Grids(grids, nil, repair.Options{})
	if err == nil {
		t.Fatal("Grids(a key used twice with different shapes) = nil error")
	}
	dir := t.TempDir()
	if err := repair.WriteReport(dir, nil, err); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, repair.ReportMarkdown))
	if !strings.Contains(string(md), "used twice with different shapes") {
		t.Errorf("summary.md does not list the fault:\n%s", md)
	}
	gj, _ := os.ReadFile(filepath.Join(dir, repair.ReportGeoJSON))
	if !strings.Contains(string(gj), `"kind":"fault"`) {
		t.Errorf("repairs.geojson has no fault feature: %s", gj)
	}
}
