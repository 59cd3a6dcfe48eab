package importer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// A Report says what an import read, chose, changed and refused.
type Report struct {
	Inputs []InputReport `json:"inputs"`
	Counts Counts        `json:"counts"`
	// NewCodes counts grids that got a new code in the standard order.
	NewCodes int `json:"new_codes"`
	// CommunitiesBy counts grids by how their community was found.
	CommunitiesBy map[string]int `json:"communities_by"`
	// Repairs are every change the repair made, and RepairCounts their
	// number per kind.
	Repairs      []RepairRecord `json:"repairs"`
	RepairCounts map[string]int `json:"repair_counts"`
	// Unparsed lists addresses the address engine could not split into
	// parts; their buildings are kept with what was parsed.
	Unparsed []Unparsed `json:"unparsed_addresses"`
	// Skipped lists features left out with the reason (buildings outside
	// every grid, streets without a line).
	Skipped []string `json:"skipped"`
	// Warnings are choices made that the user should know of.
	Warnings []string `json:"warnings"`
	// Faults are what refused the import (empty when it succeeded).
	Faults []string `json:"faults"`
	// Staff says how the staff table matched grids; nil without one.
	Staff *StaffReport `json:"staff,omitempty"`
}

// An InputReport describes one layer read.
type InputReport struct {
	Role     Role     `json:"role"`
	Source   string   `json:"source"`
	Layer    string   `json:"layer"`
	Features int      `json:"features"`
	Encoding string   `json:"encoding,omitempty"`
	CRS      string   `json:"crs"`
	Columns  []Column `json:"columns"`
	Note     string   `json:"note,omitempty"`
}

// Counts are the sizes of the built city.
type Counts struct {
	Units     int `json:"units"`
	Grids     int `json:"grids"`
	Buildings int `json:"buildings"`
	// Households is the sum over buildings whose households are known;
	// HouseholdsUnknown counts buildings whose households the data did
	// not give (0 in the model).
	Households        int `json:"households"`
	HouseholdsUnknown int `json:"buildings_households_unknown"`
	Stations          int `json:"stations"`
	Streets           int `json:"streets"`
}

// A RepairRecord is one change the repair made: its kind, the grids it
// touched, where (an interior point of the change), the area changed in
// m² and how far a vertex moved in m.
type RepairRecord struct {
	Kind   string    `json:"kind"`
	Grids  []string  `json:"grids"`
	Where  orb.Point `json:"where"`
	AreaM2 float64   `json:"area_m2,omitempty"`
	MovedM float64   `json:"moved_m,omitempty"`
	Detail string    `json:"detail,omitempty"`
}

// An Unparsed address is one the address engine could not place.
type Unparsed struct {
	Source  string   `json:"source"`
	Feature int      `json:"feature"`
	Address string   `json:"address"`
	Rest    []string `json:"rest,omitempty"`
}

func (r *Report) warnf(format string, args ...any) {
	r.Warnings = append(r.Warnings, fmt.Sprintf(format, args...))
}

func (r *Report) addRepair(rec RepairRecord) {
	r.Repairs = append(r.Repairs, rec)
	if r.RepairCounts == nil {
		r.RepairCounts = map[string]int{}
	}
	r.RepairCounts[rec.Kind]++
}

// Largest returns up to n repairs with the largest area or move, largest
// first.
func (r *Report) Largest(n int) []RepairRecord {
	s := slices.Clone(r.Repairs)
	slices.SortStableFunc(s, func(a, b RepairRecord) int {
		return cmp.Compare(b.AreaM2+b.MovedM, a.AreaM2+a.MovedM)
	})
	return s[:min(n, len(s))]
}

// WriteJSON writes the report as indented JSON, with the largest repairs
// under "largest_repairs".
func (r *Report) WriteJSON(w io.Writer) error {
	type out struct {
		*Report
		Largest []RepairRecord `json:"largest_repairs"`
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out{r, r.Largest(20)})
}

// WriteMarkdown writes the report as a Markdown summary for people.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# gridmap import report\n\n## Inputs\n\n| role | file | layer | features | encoding | coordinates | columns |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, in := range r.Inputs {
		var cols []string
		for _, c := range in.Columns {
			cols = append(cols, fmt.Sprintf("%s = %s (%s)", c.Attribute, c.Field, c.By))
		}
		if in.Note != "" {
			cols = append(cols, in.Note)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %s | %s |\n", in.Role, in.Source, in.Layer, in.Features, in.Encoding, in.CRS, strings.Join(cols, "; "))
	}
	c := r.Counts
	fmt.Fprintf(&b, "\n## The city\n\n%d units, %d grids (%d new codes), %d buildings, %d households known",
		c.Units, c.Grids, r.NewCodes, c.Buildings, c.Households)
	if c.HouseholdsUnknown > 0 {
		fmt.Fprintf(&b, " (households unknown for %d buildings)", c.HouseholdsUnknown)
	}
	fmt.Fprintf(&b, ", %d stations, %d streets.\n\nCommunities found by: %s.\n", c.Stations, c.Streets, countList(r.CommunitiesBy))
	fmt.Fprintf(&b, "\n## Repairs\n\n%d repairs: %s.\n", len(r.Repairs), countList(r.RepairCounts))
	if big := r.Largest(10); len(big) > 0 {
		b.WriteString("\n| kind | grids | where | area m² | moved m | detail |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, x := range big {
			fmt.Fprintf(&b, "| %s | %s | %.6f, %.6f | %.2f | %.3f | %s |\n", x.Kind, strings.Join(x.Grids, " "), x.Where[0], x.Where[1], x.AreaM2, x.MovedM, x.Detail)
		}
	}
	list := func(title string, items []string) {
		if len(items) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n## %s (%d)\n\n", title, len(items))
		for i, s := range items {
			if i == 200 {
				fmt.Fprintf(&b, "- and %d more (see report.json)\n", len(items)-200)
				break
			}
			fmt.Fprintf(&b, "- %s\n", s)
		}
	}
	var unparsed []string
	for _, u := range r.Unparsed {
		unparsed = append(unparsed, fmt.Sprintf("%s feature %d: %s", u.Source, u.Feature, u.Address))
	}
	if s := r.Staff; s != nil {
		fmt.Fprintf(&b, "\n## Staff\n\n%s: %d of %d rows matched grids; %d grids have staff.\n", s.Source, s.Matched, s.Rows, s.Grids)
	}
	list("Faults", r.Faults)
	if r.Staff != nil {
		list("Staff rows without a grid", r.Staff.Unmatched)
	}
	list("Unparsed addresses", unparsed)
	list("Skipped features", r.Skipped)
	list("Warnings", r.Warnings)
	_, err := io.WriteString(w, b.String())
	return err
}

// countList renders counts as "a 3, b 1", by key.
func countList(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
