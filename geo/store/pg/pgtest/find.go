package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Environment variables read by Require and Find.
const (
	// SkipEnv, set to 1, makes Require skip the test instead of failing
	// it when PostgreSQL or PostGIS is missing.
	SkipEnv = "GRIDMAP_SKIP_PG"
	// BinEnv names the directory holding initdb and postgres.
	BinEnv = "GRIDMAP_PG_BIN"
)

// Install is the command that installs what the tests need on Debian 12.
const Install = "apt-get install -y postgresql-15 postgresql-15-postgis-3"

// ErrMissing is returned (wrapped) when the PostgreSQL server binaries or
// the PostGIS extension are not installed.
var ErrMissing = errors.New("pgtest: PostgreSQL server or PostGIS not installed")

// debianRoot is where Debian installs the server binaries per major version.
const debianRoot = "/usr/lib/postgresql"

// Find returns the directory holding initdb and postgres: dir when not
// empty, else the newest /usr/lib/postgresql/*/bin, else the directory of
// initdb on PATH. It checks that the postgis extension is installed for
// that server.
func Find(dir string) (string, error) {
	if dir == "" {
		dir = defaultBinDir()
	}
	if dir == "" {
		return "", fmt.Errorf("%w: no initdb in %s/*/bin or on PATH; install with: %s", ErrMissing, debianRoot, Install)
	}
	for _, exe := range []string{"initdb", "postgres", "pg_config"} {
		if _, err := os.Stat(filepath.Join(dir, exe)); err != nil {
			return "", fmt.Errorf("%w: %s not in %s; install with: %s", ErrMissing, exe, dir, Install)
		}
	}
	out, err := exec.Command(filepath.Join(dir, "pg_config"), "--sharedir").Output()
	if err != nil {
		return "", fmt.Errorf("%w: running pg_config --sharedir: %v", ErrMissing, err)
	}
	control := filepath.Join(strings.TrimSpace(string(out)), "extension", "postgis.control")
	if _, err := os.Stat(control); err != nil {
		return "", fmt.Errorf("%w: PostGIS (%s) missing; install with: %s", ErrMissing, control, Install)
	}
	return dir, nil
}

// defaultBinDir returns the newest Debian server binary directory, or the
// directory of initdb on PATH, or "".
func defaultBinDir() string {
	entries, _ := os.ReadDir(debianRoot)
	var majors []int
	for _, e := range entries {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			if _, err := os.Stat(filepath.Join(debianRoot, e.Name(), "bin", "initdb")); err == nil {
				majors = append(majors, n)
			}
		}
	}
	if len(majors) > 0 {
		return filepath.Join(debianRoot, strconv.Itoa(slices.Max(majors)), "bin")
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// serverUser returns the credential the server runs under: the postgres OS
// user when running as root (initdb and postgres refuse root), else nil
// (the current user).
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("%w: running as root needs a postgres OS user (the postgresql-15 package creates it): %v", ErrMissing, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("pgtest: postgres user has uid %q gid %q", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}
