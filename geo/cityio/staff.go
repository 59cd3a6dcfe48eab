package cityio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo"
)

// LayerStaff is the optional staff.json file: the grids' heads and
// workers, one JSON object per line (see StaffRecord). It is not a
// feature layer: ParseLayer and WriteLayer refuse it.
const LayerStaff Layer = "staff"

// staffFile is LayerStaff's file name.
const staffFile = "staff.json"

// MaxStaffBytes caps the size of staff.json (64 MiB).
const MaxStaffBytes = 64 << 20

// A StaffRecord is one line of staff.json: a member of a grid's staff.
type StaffRecord struct {
	// Grid is the 15-digit code of the grid.
	Grid geo.GridCode `json:"grid,string"`
	geo.Staff
}

// readStaff reads staff.json, when present, into the grids of c, naming
// the record and fault of every problem. Members of one grid keep their
// order in the file.
func readStaff(fsys fs.FS, c *geo.City, probs *problems) {
	data, err := readCapped(fsys, staffFile, MaxStaffBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		probs.add(LayerStaff, "", err.Error())
		return
	}
	byCode := make(map[geo.GridCode]*geo.Grid, len(c.Grids))
	for _, g := range c.Grids {
		byCode[g.Code] = g
	}
	lists := map[geo.GridCode][]geo.Staff{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		var r StaffRecord
		err := dec.Decode(&r)
		if err == io.EOF {
			break
		}
		feature := fmt.Sprintf("#%d", i)
		if err != nil {
			probs.addf(LayerStaff, feature, "not a staff record: %v", err)
			return
		}
		if byCode[r.Grid] == nil {
			probs.addf(LayerStaff, feature, "grid %s does not exist", r.Grid)
			continue
		}
		lists[r.Grid] = append(lists[r.Grid], r.Staff)
	}
	for code, list := range lists {
		ok, err := geo.CheckStaff(list)
		if err != nil {
			probs.addf(LayerStaff, code.String(), "%v", err)
			continue
		}
		byCode[code].Staff = ok
	}
}

// writeStaff writes the staff of c's grids to dir/staff.json, or removes
// that file when no grid has staff.
func writeStaff(dir string, c *geo.City) error {
	n := 0
	for _, g := range c.Grids {
		n += len(g.Staff)
	}
	if n == 0 {
		if err := os.Remove(filepath.Join(dir, staffFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("writing %s: %w", staffFile, err)
		}
		return nil
	}
	return writeFileAtomic(dir, staffFile, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, g := range c.Grids {
			for _, s := range g.Staff {
				if err := enc.Encode(StaffRecord{Grid: g.Code, Staff: s}); err != nil {
					return fmt.Errorf("writing %s: grid %s: %w", staffFile, g.Code, err)
				}
			}
		}
		return nil
	})
}
