//go:build linux

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	sharedBinOnce sync.Once
	sharedBin     string
	sharedBinErr  error
)

// sharedGridmap builds the gridmap command once for the tests of this file.
func sharedGridmap(t *testing.T) string {
	t.Helper()
	sharedBinOnce.Do(func() {
		dir, err := os.MkdirTemp("", "gridmap-hostile-")
		if err != nil {
			sharedBinErr = err
			return
		}
		sharedBin = filepath.Join(dir, "gridmap")
		out, err := exec.Command("go", "build", "-o", sharedBin, ".").CombinedOutput()
		if err != nil {
			sharedBinErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if sharedBinErr != nil {
		t.Fatal(sharedBinErr)
	}
	return sharedBin
}

// launchServeLimited starts gridmap serve under prlimit with at most nofile
// open files (soft and hard), so that raising the soft limit cannot lift it.
func launchServeLimited(t *testing.T, bin string, nofile int, env []string, args ...string) *child {
	t.Helper()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Fatalf("prlimit (Debian util-linux) is needed to lower the child's open-file limit: %v", err)
	}
	c := &child{logs: &syncBuffer{}, done: make(chan struct{})}
	lim := fmt.Sprintf("--nofile=%d:%d", nofile, nofile)
	c.cmd = exec.Command(prlimit, append([]string{lim, "--", bin, "serve", "--addr", "127.0.0.1:0"}, args...)...)
	c.cmd.Env = append(childEnv(), env...)
	c.cmd.Stdout, c.cmd.Stderr = io.Discard, c.logs
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("starting gridmap serve under prlimit: %v", err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// clientFrom returns an HTTP client whose connections come from the
// loopback address src (127.0.0.0/8 is all loopback), so that it is
// counted apart from an attacker on 127.0.0.1.
func clientFrom(src string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}
	return &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{
		DialContext: d.DialContext, DisableKeepAlives: true,
	}}
}

// dialFrom connects to addr from the loopback address src.
func dialFrom(src, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: time.Second}
	return d.Dial("tcp", addr)
}

// holdIdle opens n connections to addr from 127.0.0.1 and sends nothing.
// It returns the connections it could open.
func holdIdle(t *testing.T, addr string, n int) []net.Conn {
	t.Helper()
	var conns []net.Conn
	for range n {
		c, err := dialFrom("127.0.0.1", addr)
		if err != nil {
			continue
		}
		conns = append(conns, c)
	}
	return conns
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		_ = c.Close()
	}
}

// getStatus answers the status of GET url, or an error.
func getStatus(hc *http.Client, url string) (int, error) {
	resp, err := hc.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

// requireAlive fails the test if the child has exited.
func (c *child) requireAlive(t *testing.T, when string) {
	t.Helper()
	select {
	case <-c.done:
		t.Fatalf("gridmap serve exited %s: %v; log:\n%s", when, c.err, c.logs.String())
	default:
	}
}

// TestServeSurvivesDescriptorExhaustion holds 1,100 idle connections
// against a server allowed 256 open files and a connection cap above that,
// so that accept fails with EMFILE: the server must keep running and
// answer /healthz once the connections are released.
func TestServeSurvivesDescriptorExhaustion(t *testing.T) {
	bin := sharedGridmap(t)
	c := launchServeLimited(t, bin, 256, []string{"GRIDMAP_MAX_CONNS=5000", "GRIDMAP_MAX_CONNS_PER_IP=5000"},
		"--store", t.TempDir())
	c.waitReady(t)
	addr := strings.TrimPrefix(c.base, "http://")
	conns := holdIdle(t, addr, 1100)
	t.Logf("holding %d idle connections", len(conns))
	// Give the accept loop time to run into the limit.
	time.Sleep(1500 * time.Millisecond)
	c.requireAlive(t, "while 1,100 connections were held at 256 open files")
	closeAll(conns)
	hc := clientFrom("127.0.0.1")
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := getStatus(hc, c.base+"/healthz")
		if err == nil && st == http.StatusOK {
			break
		}
		c.requireAlive(t, "after the connections were released")
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200 within 20 s of releasing the connections: %d %v; log:\n%s", st, err, c.logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.stop(t)
}

// TestServeUnderHostileLoad runs the server at 512 open files with its
// default caps against thousands of idle connections, clients dribbling
// request bodies at a byte a second, and bulk clients that never read
// their answers, from 127.0.0.1, .3 and .4; a client on 127.0.0.2 must get
// /healthz and lookups answered throughout, and the server must exit only
// when told to.
func TestServeUnderHostileLoad(t *testing.T) {
	bin := sharedGridmap(t)
	pt := fixtureSnapshot(t).City.Buildings[0].Point
	c := launchServeLimited(t, bin, 512, nil, "--store", t.TempDir())
	c.waitReady(t)
	addr := strings.TrimPrefix(c.base, "http://")
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()

	idle := holdIdle(t, addr, 2000)
	defer closeAll(idle)
	for range 20 {
		wg.Add(2)
		go func() { defer wg.Done(); dribble(ctx, addr) }()
		go func() { defer wg.Done(); bulkNoRead(ctx, addr) }()
	}
	hc := clientFrom("127.0.0.2")
	lookup := fmt.Sprintf("%s/v1/lookup?lon=%s&lat=%s", c.base, ftoa(pt[0]), ftoa(pt[1]))
	end := time.Now().Add(4 * time.Second)
	probes := 0
	for time.Now().Before(end) {
		for _, u := range []string{c.base + "/healthz", lookup} {
			st, err := getStatus(hc, u)
			if err != nil || st != http.StatusOK {
				t.Fatalf("GET %s under load = %d, %v; want 200; log:\n%s", u, st, err, c.logs.String())
			}
			probes++
		}
		c.requireAlive(t, "under hostile load")
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d probes answered 200 while %d idle connections, 20 dribbling and 20 non-reading bulk clients were held", probes, len(idle))
	c.stop(t)
}

// dribble sends a POST whose body arrives at one byte a second, until ctx
// is done or the server cuts it off.
func dribble(ctx context.Context, addr string) {
	conn, err := dialFrom("127.0.0.3", addr)
	if err != nil {
		return
	}
	defer conn.Close()
	go func() { <-ctx.Done(); _ = conn.Close() }()
	_, _ = io.WriteString(conn, "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
	for ctx.Err() == nil {
		if _, err := conn.Write([]byte(" ")); err != nil {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}

// bulkNoRead sends a large CSV lookup stream and never reads the answer.
func bulkNoRead(ctx context.Context, addr string) {
	conn, err := dialFrom("127.0.0.4", addr)
	if err != nil {
		return
	}
	defer conn.Close()
	go func() { <-ctx.Done(); _ = conn.Close() }()
	rows := strings.Repeat("104.83,26.59,some padding to make the row longer\n", 20000)
	body := "lon,lat,note\n" + rows
	_, _ = io.WriteString(conn, "POST /v1/lookup HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: "+
		strconv.Itoa(len(body))+"\r\n\r\n")
	_, _ = io.WriteString(conn, body)
	<-ctx.Done()
}
