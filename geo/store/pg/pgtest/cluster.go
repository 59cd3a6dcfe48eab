package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// templateDB is the database holding the postgis extension that every
// test database is cloned from.
const templateDB = "gridmap_template"

// superuser is the cluster's superuser (initdb -U).
const superuser = "postgres"

// A Cluster is a running throw-away PostgreSQL server. Stop it when done;
// Stop also deletes its files.
type Cluster struct {
	root string // temporary directory: data/, the socket, postgres.log
	port int
	cmd  *exec.Cmd
	done <-chan struct{} // closed when the postmaster exits
	// bin and cred start the server again (Restart).
	bin  string
	cred *syscall.Credential

	mu   sync.Mutex
	n    int // databases created
	stop sync.Once
	// Started is how long Start took (initdb, start-up, template).
	Started time.Duration
}

// Start creates and starts a cluster with the binaries in bin (see Find)
// and a template database with PostGIS. It gives up when ctx ends.
func Start(ctx context.Context, bin string) (*Cluster, error) {
	t0 := time.Now()
	cred, err := serverUser()
	if err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp("", "gridmap-pg-")
	if err != nil {
		return nil, fmt.Errorf("starting cluster: %w", err)
	}
	c := &Cluster{root: root}
	if err := c.setUp(ctx, bin, cred); err != nil {
		c.Stop()
		return nil, fmt.Errorf("starting cluster in %s: %w", root, err)
	}
	c.Started = time.Since(t0)
	return c, nil
}

// setUp runs initdb, starts the server and creates the template.
func (c *Cluster) setUp(ctx context.Context, bin string, cred *syscall.Credential) error {
	c.bin, c.cred = bin, cred
	if cred != nil {
		if err := os.Chown(c.root, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", c.dataDir(), "-U", superuser,
		"-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	initdb.Dir, initdb.Env = c.root, serverEnv()
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if out, err := initdb.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb: %w: %s", err, tail(string(out)))
	}
	var err error
	for range 3 { // another process may take the free port first
		if err = c.launch(ctx, bin, cred); err == nil {
			break
		}
	}
	if err != nil {
		return err
	}
	return c.createTemplate(ctx)
}

// launch starts postgres on a free port and waits until it accepts
// connections.
func (c *Cluster) launch(ctx context.Context, bin string, cred *syscall.Credential) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	return c.launchOn(ctx, bin, cred, port)
}

// launchOn starts postgres on port and waits until it accepts
// connections.
func (c *Cluster) launchOn(ctx context.Context, bin string, cred *syscall.Credential, port int) error {
	logf, err := os.OpenFile(c.logPath(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", c.dataDir(), "-p", strconv.Itoa(port), "-k", c.root,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
		"-c", "wal_level=minimal", "-c", "max_wal_senders=0", "-c", "shared_buffers=32MB",
		"-c", "max_connections=60", "-c", "autovacuum=off")
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = c.root, serverEnv(), logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true, Pdeathsig: syscall.SIGKILL}
	done, err := startLocked(cmd)
	if err != nil {
		return fmt.Errorf("starting postgres: %w", err)
	}
	c.cmd, c.done, c.port = cmd, done, port
	return c.waitReady(ctx)
}

// startLocked starts cmd from an OS thread that lives until cmd exits and
// returns a channel closed then. Pdeathsig is sent when the thread that
// started the child exits, not the process: a Go thread can exit (a
// goroutine that ends locked to its thread takes the thread with it, as
// the server's background builds do), which would kill a postmaster
// started on it while its test still runs.
func startLocked(cmd *exec.Cmd) (<-chan struct{}, error) {
	started := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		_ = cmd.Wait()
		close(done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return done, nil
}

// waitReady polls until the server accepts a connection, exits, or 30 s
// pass.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, c.DSN("postgres")+"&connect_timeout=2")
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-c.done:
			return fmt.Errorf("postgres exited during start-up: %s", c.logTail())
		case <-ctx.Done():
			c.kill()
			return fmt.Errorf("waiting for postgres: %w: %v: %s", ctx.Err(), err, c.logTail())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// createTemplate creates the template database with PostGIS.
func (c *Cluster) createTemplate(ctx context.Context) error {
	if err := c.exec(ctx, "postgres", "CREATE DATABASE "+templateDB); err != nil {
		return err
	}
	return c.exec(ctx, templateDB, "CREATE EXTENSION postgis")
}

// exec runs one statement in database db on a new connection.
func (c *Cluster) exec(ctx context.Context, db, sql string) error {
	conn, err := pgx.Connect(ctx, c.DSN(db))
	if err != nil {
		return fmt.Errorf("connecting to %s: %w", db, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("running %q: %w", sql, err)
	}
	return nil
}

// CreateDatabase creates a new, empty database with PostGIS and returns
// its connection string.
func (c *Cluster) CreateDatabase(ctx context.Context) (string, error) {
	// Cloning the template needs it free of connections: serialise.
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	name := fmt.Sprintf("test_%d", c.n)
	if err := c.exec(ctx, "postgres", "CREATE DATABASE "+name+" TEMPLATE "+templateDB); err != nil {
		return "", fmt.Errorf("creating database: %w", err)
	}
	return c.DSN(name), nil
}

// DSN returns the connection string of database db as the superuser over
// TCP.
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, c.port, db)
}

// Port returns the server's TCP port on 127.0.0.1.
func (c *Cluster) Port() int { return c.port }

// Stop shuts the server down at once (no checkpoint: the data is thrown
// away), kills its process group if it lingers, and deletes the files.
// It is safe to call more than once.
func (c *Cluster) Stop() error {
	var err error
	c.stop.Do(func() {
		if c.cmd != nil && c.cmd.Process != nil {
			_ = c.cmd.Process.Signal(syscall.SIGQUIT) // immediate shutdown
			select {
			case <-c.done:
			case <-time.After(5 * time.Second):
				c.kill()
			}
		}
		err = os.RemoveAll(c.root)
	})
	return err
}

// kill sends SIGKILL to the postmaster's process group and waits for it.
func (c *Cluster) kill() {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
	}
}

func (c *Cluster) dataDir() string { return filepath.Join(c.root, "data") }
func (c *Cluster) logPath() string { return filepath.Join(c.root, "postgres.log") }

// logTail returns the end of the server log.
func (c *Cluster) logTail() string {
	data, err := os.ReadFile(c.logPath())
	if err != nil {
		return err.Error()
	}
	return tail(string(data))
}

// tail returns the last lines of s.
func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return strings.Join(lines, "\n")
}

// serverEnv is the environment of initdb and postgres.
func serverEnv() []string {
	return []string{"LC_ALL=C", "LANG=C", "PATH=/usr/bin:/bin", "TZ=UTC"}
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("finding a free port: %v is not TCP", l.Addr())
	}
	return addr.Port, nil
}
