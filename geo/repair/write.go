package repair

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Report file names written by WriteReport.
const (
	ReportGeoJSON  = "repairs.geojson"
	ReportJSON     = "summary.json"
	ReportMarkdown = "summary.md"
)

// WriteGeoJSON writes the repairs, and the faults that have a place, as a
// GeoJSON FeatureCollection in WGS-84 that QGIS and GDAL open: each
// feature's geometry is the area moved (polygons), the vertex moves
// (lines) or the place (a point); its properties are kind, grids (comma
// separated), community, area_m2, move_m, count and note.
func WriteGeoJSON(w io.Writer, repairs []Repair, faults []Fault) error {
	fc := geojson.NewFeatureCollection()
	for _, r := range repairs {
		g := r.Geometry
		if g == nil {
			g = r.At
		}
		f := geojson.NewFeature(g)
		f.Properties = geojson.Properties{
			"kind": string(r.Kind), "grids": strings.Join(r.Grids, ","), "community": r.Community,
			"area_m2": round3(r.AreaM2), "move_m": round3(r.MoveM), "count": r.Count, "note": r.Note,
		}
		fc.Append(f)
	}
	for _, ft := range faults {
		if ft.At == nil {
			continue
		}
		f := geojson.NewFeature(*ft.At)
		f.Properties = geojson.Properties{"kind": "fault", "grids": ft.Grid, "community": ft.Community,
			"area_m2": 0.0, "move_m": 0.0, "count": 0, "note": ft.Reason}
		fc.Append(f)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return fmt.Errorf("repair: encoding repairs as GeoJSON: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// round3 rounds v to millimetres (or mm²), for readable reports.
func round3(v float64) float64 {
	return math.Round(v*1000) / 1000
}

// A Report is the summary written as JSON: the counts and largest
// changes, and the faults that stopped the repair, if any.
type Report struct {
	Summary
	// Faults are what could not be repaired.
	Faults []Fault `json:"faults"`
}

// MarshalJSON writes a fault with its place as [lon, lat].
func (f Fault) MarshalJSON() ([]byte, error) {
	type plain struct {
		Grid      string     `json:"grid,omitempty"`
		Community string     `json:"community"`
		At        *orb.Point `json:"at,omitempty"`
		Reason    string     `json:"reason"`
	}
	return json.Marshal(plain(f))
}

// WriteReport writes the repair report into dir (created if missing):
// repairs.geojson (WriteGeoJSON), summary.json (a Report) and summary.md
// (the same for people). faults may be nil; err, the error Grids
// returned, supplies them when it is an *Error.
func WriteReport(dir string, repairs []Repair, err error) error {
	var faults []Fault
	if e, ok := err.(*Error); ok {
		faults = e.Faults
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("repair: writing report: %w", err)
	}
	var gj bytes.Buffer
	if err := WriteGeoJSON(&gj, repairs, faults); err != nil {
		return err
	}
	rep := Report{Summary: Summarize(repairs), Faults: faults}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("repair: encoding summary: %w", err)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, rep); err != nil {
		return err
	}
	for name, data := range map[string][]byte{ReportGeoJSON: gj.Bytes(), ReportJSON: append(js, '\n'), ReportMarkdown: md.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("repair: writing report: %w", err)
		}
	}
	return nil
}

// WriteMarkdown writes rep as a Markdown summary: counts and areas per
// kind, the largest area changes and vertex moves, and the faults.
func WriteMarkdown(out io.Writer, rep Report) error {
	w := &bytes.Buffer{}
	w.WriteString("# Topology repair\n\n| kind | count | area m² |\n| --- | ---: | ---: |\n")
	for _, k := range Kinds() {
		if n := rep.Counts[k]; n > 0 {
			fmt.Fprintf(w, "| %s | %d | %.1f |\n", k, n, rep.AreaM2[k])
		}
	}
	if len(rep.LargestAreas) > 0 {
		w.WriteString("\n## Largest area changes\n\n| kind | grids | community | area m² | at | note |\n| --- | --- | --- | ---: | --- | --- |\n")
		for _, r := range rep.LargestAreas {
			fmt.Fprintf(w, "| %s | %s | %s | %.1f | %.7f,%.7f | %s |\n", r.Kind, strings.Join(r.Grids, ", "), r.Community, r.AreaM2, r.At[0], r.At[1], mdCell(r.Note))
		}
	}
	if len(rep.LargestMoves) > 0 {
		w.WriteString("\n## Largest vertex moves\n\n| grid | community | vertices moved | farthest m | at |\n| --- | --- | ---: | ---: | --- |\n")
		for _, r := range rep.LargestMoves {
			fmt.Fprintf(w, "| %s | %s | %d | %.2f | %.7f,%.7f |\n", strings.Join(r.Grids, ", "), r.Community, r.Count, r.MoveM, r.At[0], r.At[1])
		}
	}
	if len(rep.Faults) > 0 {
		fmt.Fprintf(w, "\n## Faults that cannot be repaired (%d)\n\n", len(rep.Faults))
		for _, f := range rep.Faults {
			fmt.Fprintf(w, "- %s\n", mdCell(f.String()))
		}
	}
	_, err := out.Write(w.Bytes())
	return err
}

// mdCell escapes a table cell's pipes and line breaks.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
