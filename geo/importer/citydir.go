package importer

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/ingest/geojsonfile"
)

// CityDirInputs reads a directory in cityio's format (city.json and the
// layer files) as layers for Run, so that a city written by gridmap
// fixtures, or by hand in that format, goes through the same repair as
// any other data. It returns the inputs (every layer in the system
// city.json names) and the province city.json names. A missing optional
// layer (stations, streets, buildings, units) is left out; a missing
// grids.geojson or city.json is an error.
func CityDirInputs(dir string) (map[Role]Input, string, error) {
	c, meta, err := cityio.ReadMeta(os.DirFS(dir))
	if err != nil {
		return nil, "", fmt.Errorf("reading %s: %w", filepath.Join(dir, "city.json"), err)
	}
	in := map[Role]Input{}
	for _, role := range Roles {
		path := filepath.Join(dir, string(role)+".geojson")
		if _, err := os.Stat(path); err != nil && role != RoleGrids {
			continue
		}
		l, err := geojsonfile.Read(path)
		if err != nil {
			return nil, "", err
		}
		in[role] = Input{Layer: l, CRS: meta.CRS.String()}
	}
	return in, c.Province, nil
}
