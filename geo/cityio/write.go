package cityio

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gridmap/gridmap/geo"
)

// Write validates c and writes it to dir (created if needed) as city.json
// and the five layer files, with an empty Meta (not synthetic, no source).
// See WriteMeta.
func Write(dir string, c *geo.City) error { return WriteMeta(dir, c, Meta{}) }

// WriteMeta validates c and writes it to dir (created if needed): the
// five layer files, staff.json (removed when no grid has staff), then city.json with m (its CRS is ignored: the files
// are always WGS-84). An invalid c is refused with a *ValidationError
// before anything is written. Each file is replaced atomically (written
// to a temporary file in dir, synced, then renamed), so a reader sees
// each file either old or new, never torn. The output is deterministic.
func WriteMeta(dir string, c *geo.City, m Meta) error {
	if err := Validate(c); err != nil {
		return err
	}
	meta, err := encodeMeta(c, m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("writing city to %s: %w", dir, err)
	}
	for _, l := range layers {
		err := writeFileAtomic(dir, l.File(), func(w io.Writer) error { return WriteLayer(w, c, l) })
		if err != nil {
			return err
		}
	}
	if err := writeStaff(dir, c); err != nil {
		return err
	}
	return writeFileAtomic(dir, metaFile, func(w io.Writer) error {
		if _, err := w.Write(meta); err != nil {
			return fmt.Errorf("writing %s: %w", metaFile, err)
		}
		return nil
	})
}

// writeFileAtomic writes dir/name through a temporary file and a rename.
func writeFileAtomic(dir, name string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err // already says what it was writing
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err = os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}
