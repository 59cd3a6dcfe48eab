package pgtest

import (
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestClusterLifecycle(t *testing.T) {
	c := New(t)
	t.Logf("cluster started in %v on port %d", c.Started, c.Port())
	ctx := context.Background()
	dsn1, err := c.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dsn2, err := c.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if dsn1 == dsn2 {
		t.Fatalf("two databases share the DSN %s", dsn1)
	}
	conn, err := pgx.Connect(ctx, dsn1)
	if err != nil {
		t.Fatal(err)
	}
	var version, fsync string
	if err := conn.QueryRow(ctx, "SELECT postgis_lib_version(), current_setting('fsync')").Scan(&version, &fsync); err != nil {
		t.Fatalf("querying PostGIS: %v", err)
	}
	if !strings.HasPrefix(version, "3.") || fsync != "off" {
		t.Errorf("postgis %q fsync %q, want 3.x and off", version, fsync)
	}
	var contains bool
	q := "SELECT ST_Contains(ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))', 4326), ST_SetSRID(ST_MakePoint(0.5, 0.5), 4326))"
	if err := conn.QueryRow(ctx, q).Scan(&contains); err != nil || !contains {
		t.Errorf("ST_Contains = %v, %v; want true", contains, err)
	}
	conn.Close(ctx)

	pid := c.cmd.Process.Pid
	if err := c.Stop(); err != nil {
		t.Fatalf("Stop = %v", err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("postmaster %d still exists after Stop (kill 0 = %v)", pid, err)
	}
	if _, err := os.Stat(c.root); !os.IsNotExist(err) {
		t.Errorf("cluster directory %s remains after Stop: %v", c.root, err)
	}
	if err := c.Stop(); err != nil {
		t.Errorf("second Stop = %v, want nil", err)
	}
	ctx2, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx2, dsn1); err == nil {
		conn.Close(ctx2)
		t.Errorf("connected after Stop")
	}
}

func TestFindMissing(t *testing.T) {
	_, err := Find(t.TempDir())
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "postgresql-15-postgis-3") {
		t.Errorf("Find(empty dir) = %v, want ErrMissing naming the packages", err)
	}
}
