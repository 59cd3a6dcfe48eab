// Package thirdparty gives the ingest readers' tests the real third-party
// data and tools they compare against: Debian packages fetched with
// apt-get download into a cache, and GDAL's command-line tools.
//
// A missing tool or package fails the test with what to install, unless
// the environment variable GRIDMAP_SKIP lists it ("gdal", "apt"; comma
// separated), which skips instead.
package thirdparty

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Skipped reports whether GRIDMAP_SKIP lists what.
func Skipped(what string) bool {
	for _, s := range strings.Split(os.Getenv("GRIDMAP_SKIP"), ",") {
		if strings.TrimSpace(s) == what {
			return true
		}
	}
	return false
}

// Tool returns the path of the command name from the Debian package pkg,
// failing t (or skipping it when GRIDMAP_SKIP lists skip) when it is not
// installed.
func Tool(t testing.TB, name, pkg, skip string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if Skipped(skip) {
		t.Skipf("%s not installed and GRIDMAP_SKIP=%s", name, skip)
	}
	t.Fatalf("%s is not on PATH: install Debian's %s (apt-get install %s), or set GRIDMAP_SKIP=%s to skip", name, pkg, pkg, skip)
	return ""
}

// Ogr2ogr runs GDAL's ogr2ogr with args and fails t on error, showing
// its output.
func Ogr2ogr(t testing.TB, args ...string) {
	t.Helper()
	bin := Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// DebianPackage returns the root of Debian package pkg's files, unpacked
// with `apt-get download` and `dpkg -x` into a cache directory shared by
// test runs (under the user cache dir, or GRIDMAP_TESTDATA when set).
func DebianPackage(t testing.TB, pkg string) string {
	t.Helper()
	cache := os.Getenv("GRIDMAP_TESTDATA")
	if cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		cache = filepath.Join(base, "gridmap-testdata")
	}
	root := filepath.Join(cache, pkg)
	if _, err := os.Stat(filepath.Join(root, ".complete")); err == nil {
		return root
	}
	if err := unpack(cache, pkg, root); err != nil {
		if Skipped("apt") {
			t.Skipf("Debian package %s unavailable and GRIDMAP_SKIP=apt: %v", pkg, err)
		}
		t.Fatalf("fetching Debian package %s (needs apt-get with a reachable Debian mirror and dpkg; or set GRIDMAP_SKIP=apt): %v", pkg, err)
	}
	return root
}

// unpack downloads pkg into a fresh temporary directory and renames it
// to root, so concurrent test binaries never see half a package.
func unpack(cache, pkg, root string) error {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(cache, pkg+".tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dl := exec.Command("apt-get", "download", pkg)
	dl.Dir = tmp
	if out, err := dl.CombinedOutput(); err != nil {
		return fmt.Errorf("apt-get download %s: %v\n%s", pkg, err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, pkg+"_*.deb"))
	if len(debs) == 0 {
		return errors.New("apt-get download left no .deb")
	}
	dir := filepath.Join(tmp, "root")
	if out, err := exec.Command("dpkg", "-x", debs[0], dir).CombinedOutput(); err != nil {
		return fmt.Errorf("dpkg -x: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
		return err
	}
	if err := os.Rename(dir, root); err != nil {
		if _, serr := os.Stat(filepath.Join(root, ".complete")); serr == nil {
			return nil // another test binary got there first
		}
		return err
	}
	return nil
}

// RCranSF returns the directory of the data files r-cran-sf ships (with
// shape/nc.shp, shape/olinda1.shp, gpkg/nc.gpkg, ...).
func RCranSF(t testing.TB) string {
	t.Helper()
	return filepath.Join(DebianPackage(t, "r-cran-sf"), "usr", "lib", "R", "site-library", "sf")
}
