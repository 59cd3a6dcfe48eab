package shapefile

import (
	"archive/zip"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/gridmap/gridmap/geo/ingest"
)

// Layers lists the Shapefiles inside the .zip at zipPath by layer name
// (base name without .shp), sorted.
func Layers(zipPath string) ([]string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return nil, ingest.Errorf(zipPath, 0, "not a readable zip: %v", err)
	}
	defer zr.Close()
	var names []string
	for _, f := range shpEntries(&zr.Reader) {
		names = append(names, layerName(f.Name))
	}
	sort.Strings(names)
	return names, nil
}

// shpEntries returns the .shp entries of a zip, skipping macOS resource
// forks (__MACOSX/, ._name).
func shpEntries(zr *zip.Reader) []*zip.File {
	var out []*zip.File
	for _, f := range zr.File {
		if strings.EqualFold(path.Ext(f.Name), ".shp") && !junk(f.Name) {
			out = append(out, f)
		}
	}
	return out
}

func junk(name string) bool {
	return strings.HasPrefix(name, "__MACOSX/") || strings.HasPrefix(path.Base(name), "._")
}

func layerName(entry string) string {
	b := path.Base(entry)
	return strings.TrimSuffix(b, path.Ext(b))
}

// readZip loads the component files of the Shapefile named by opt.Layer
// (or the only one) from the zip at zipPath.
func readZip(zipPath string, opt Options) (Files, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return Files{}, ingest.Errorf(zipPath, 0, "not a readable zip: %v", err)
	}
	defer zr.Close()
	shp, err := pickShp(zipPath, shpEntries(&zr.Reader), opt.Layer)
	if err != nil {
		return Files{}, err
	}
	stem := strings.TrimSuffix(shp.Name, path.Ext(shp.Name))
	f := Files{Name: layerName(shp.Name), Source: zipPath + "/" + shp.Name}
	want := map[string]*[]byte{".shp": &f.SHP, ".shx": &f.SHX, ".dbf": &f.DBF, ".cpg": &f.CPG, ".prj": &f.PRJ}
	for _, e := range zr.File {
		ext := path.Ext(e.Name)
		dst, ok := want[strings.ToLower(ext)]
		if !ok || strings.TrimSuffix(e.Name, ext) != stem || *dst != nil {
			continue
		}
		if *dst, err = readEntry(zipPath, e, opt.maxBytes()); err != nil {
			return f, err
		}
	}
	return f, nil
}

// pickShp chooses the .shp entry named layer (case-insensitive), or the
// only one when layer is empty.
func pickShp(zipPath string, shps []*zip.File, layer string) (*zip.File, error) {
	var names []string
	for _, f := range shps {
		if layer == "" && len(shps) == 1 || strings.EqualFold(layerName(f.Name), layer) {
			return f, nil
		}
		names = append(names, layerName(f.Name))
	}
	sort.Strings(names)
	switch {
	case len(shps) == 0:
		return nil, ingest.Errorf(zipPath, 0, "the zip holds no .shp file")
	case layer == "":
		return nil, ingest.Errorf(zipPath, 0, "the zip holds %d Shapefiles (%s): name the layer", len(shps), strings.Join(names, ", "))
	}
	return nil, ingest.Errorf(zipPath, 0, "the zip holds no Shapefile named %q (it has %s)", layer, strings.Join(names, ", "))
}

// readEntry decompresses one entry, refusing more than max bytes whatever
// its header declares (a zip bomb's declared sizes are not trusted).
func readEntry(zipPath string, e *zip.File, max int64) ([]byte, error) {
	rc, err := e.Open()
	if err != nil {
		return nil, ingest.Errorf(zipPath+"/"+e.Name, 0, "cannot open zip entry: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, ingest.Errorf(zipPath+"/"+e.Name, 0, "reading zip entry: %v", err)
	}
	if int64(len(b)) > max {
		return nil, ingest.Errorf(zipPath+"/"+e.Name, 0, "entry is more than the %d-byte limit", max)
	}
	return b, nil
}
