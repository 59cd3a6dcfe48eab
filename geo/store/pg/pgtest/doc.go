// Package pgtest starts throw-away PostgreSQL clusters with PostGIS for
// tests: initdb into a temporary directory, one postgres process on a
// free 127.0.0.1 port with fsync off, a template database holding the
// postgis extension, and a fresh database per test cloned from it.
//
// Tests that need PostgreSQL are real tests: where the server binaries or
// PostGIS are missing they fail with a message naming the Debian packages
// to install (postgresql-15 and postgresql-15-postgis-3), unless the
// environment sets GRIDMAP_SKIP_PG=1, which skips them instead.
//
// The binaries are looked up in GRIDMAP_PG_BIN when set, then in
// /usr/lib/postgresql/<newest>/bin, then on PATH. Run as root, the
// cluster belongs to the postgres OS user (initdb and postgres refuse to
// run as root); otherwise to the current user. The postmaster runs in its
// own process group and gets SIGKILL if the test process dies, so a
// crashed test leaves no server behind.
package pgtest
