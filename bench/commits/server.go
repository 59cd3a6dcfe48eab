package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A server is a running gridmap process.
type server struct {
	cmd   *exec.Cmd
	url   string
	debug string // the URL of its profiles, "" without
	ready time.Duration
}

// freeAddr returns a loopback address with a free port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start starts bin on a free loopback port and waits for /readyz. With
// profiles true the server also serves /debug/pprof on another port.
func start(bin string, scale int, store, tmp string, profiles bool) (*server, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(tmp, "server.log"))
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--addr", addr, "--scale", strconv.Itoa(scale), "--store", store}
	debug := ""
	if profiles {
		if debug, err = freeAddr(); err != nil {
			return nil, err
		}
		args = append(args, "--debug-addr", debug)
		debug = "http://" + debug
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, url: "http://" + addr, debug: debug}
	for {
		r, err := http.Get(s.url + "/readyz")
		if err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				s.ready = time.Since(t0)
				return s, nil
			}
		}
		if cmd.ProcessState != nil || time.Since(t0) > 5*time.Minute {
			return nil, fmt.Errorf("server did not become ready; see %s", logf.Name())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stop stops the server gracefully and waits for it.
func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// saveHeap writes the server's heap profile (after a GC) to path; it does
// nothing for a server without profiles.
func (s *server) saveHeap(path string) error {
	if s.debug == "" {
		return nil
	}
	return s.saveProfile("heap?gc=1", path)
}

// saveProfile writes the server's profile named by query (heap?gc=1,
// profile?seconds=30) to path; it does nothing for a server without
// profiles.
func (s *server) saveProfile(query, path string) error {
	if s.debug == "" {
		return nil
	}
	r, err := http.Get(s.debug + "/debug/pprof/" + query)
	if err != nil {
		return err
	}
	defer r.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// rssMB returns the server's resident memory in MB.
func (s *server) rssMB() int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return kb / 1024
		}
	}
	return -1
}

// measures are the key=value pairs of the measure line.
type measures map[string]string

func (m measures) ms(key string, d time.Duration) {
	m[key] = strconv.FormatInt(d.Milliseconds(), 10)
}

// dist records the median, p90 and worst of ds in milliseconds.
func (m measures) dist(prefix string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	f := func(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 1, 64) }
	m[prefix+"_median_ms"] = f(s[len(s)/2])
	m[prefix+"_p90_ms"] = f(s[len(s)*9/10])
	m[prefix+"_max_ms"] = f(s[len(s)-1])
}

// line is the measure line: "measure scale=N key=value ...".
func (m measures) line() string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "scale" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	b := []string{"measure", "scale=" + m["scale"]}
	for _, k := range keys {
		b = append(b, k+"="+m[k])
	}
	return strings.Join(b, " ")
}

// cpuTicks returns the server's user plus system CPU time in clock ticks.
func (s *server) cpuTicks() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return -1
	}
	// The fields after the command's closing parenthesis: utime and
	// stime are the 12th and 13th of them.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return -1
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return u + st
}

// waitIdle waits until the server has used less than 5% of a core over
// a second (its background warming done), or timeout passes.
func (s *server) waitIdle(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	prev := s.cpuTicks()
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		cur := s.cpuTicks()
		if cur < 0 || cur-prev <= 5 { // 100 ticks a second on Linux
			return
		}
		prev = cur
	}
}
