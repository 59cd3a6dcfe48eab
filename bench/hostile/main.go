// Command hostile measures the server under hostile load (issue 13): it
// starts gridmap serve, holds 2,000 idle connections and measures lookup
// latency (p50, p99) beside them, then runs 100 concurrent bulk streams
// that read their answers slowly and records the peak resident memory and
// how many were served (200) or refused (429). It prints one "measure"
// line of key=value pairs for bench/report.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/gridmap", "the gridmap binary")
	idle := flag.Int("idle", 2000, "idle connections held during the lookup latency run")
	streams := flag.Int("streams", 100, "concurrent bulk streams")
	rows := flag.Int("rows", 200_000, "rows per bulk stream")
	flag.Parse()
	dir, err := os.MkdirTemp("", "gridmap-hostile-bench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(*bin, "serve", "--addr", addr, "--store", filepath.Join(dir, "store"), "--log-level", "error")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	base := "http://" + addr
	waitReady(base)
	rss0 := rssKB(cmd.Process.Pid)

	conns := holdIdle(addr, *idle)
	p50, p99, fails := lookupLatency(base, 4000)
	for _, c := range conns {
		c.Close()
	}
	ok, refused, peak := bulkStreams(base, cmd.Process.Pid, *streams, *rows)
	fmt.Printf("measure hostile idle=%d held=%d lookup_p50_ms=%.2f lookup_p99_ms=%.2f lookup_failures=%d "+
		"streams=%d streams_ok=%d streams_429=%d rss_start_mb=%d rss_streams_peak_mb=%d\n",
		*idle, len(conns), p50, p99, fails, *streams, ok, refused, rss0/1024, peak/1024)
}

func waitReady(base string) {
	for range 600 {
		if r, err := http.Get(base + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	log.Fatal("the server did not get ready")
}

func rssKB(pid int) int {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// holdIdle opens n connections from 127.0.0.3 that send nothing.
func holdIdle(addr string, n int) []net.Conn {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.3")}, Timeout: time.Second}
	var cs []net.Conn
	for range n {
		if c, err := d.Dial("tcp", addr); err == nil {
			cs = append(cs, c)
		}
	}
	return cs
}

// lookupLatency runs n lookups over 8 keep-alive connections and returns
// p50 and p99 in milliseconds and the failures.
func lookupLatency(base string, n int) (p50, p99 float64, fails int64) {
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	var mu sync.Mutex
	var lat []float64
	var bad atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				lon := 104.80 + float64(i%100)*0.0005
				t0 := time.Now()
				r, err := hc.Get(fmt.Sprintf("%s/v1/lookup?lon=%.5f&lat=26.595", base, lon))
				if err != nil {
					bad.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode != 200 && r.StatusCode != 404 {
					bad.Add(1)
				}
				mu.Lock()
				lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Float64s(lat)
	if len(lat) == 0 {
		return 0, 0, bad.Load()
	}
	return lat[len(lat)/2], lat[len(lat)*99/100], bad.Load()
}

// bulkStreams posts n CSV streams at once, each read at about 1 MB/s,
// sampling the server's resident memory; it returns the answers that were
// 200 and 429 and the peak RSS in KiB.
func bulkStreams(base string, pid, n, rows int) (ok, refused int64, peak int) {
	var body strings.Builder
	body.WriteString("id,lon,lat\n")
	for i := range rows {
		fmt.Fprintf(&body, "%d,%.5f,26.595\n", i, 104.80+float64(i%100)*0.0005)
	}
	data := body.String()
	var okN, refN atomic.Int64
	var wg sync.WaitGroup
	done := make(chan struct{})
	peakCh := make(chan int)
	go func() {
		p := 0
		for {
			select {
			case <-done:
				peakCh <- p
				return
			case <-time.After(50 * time.Millisecond):
				p = max(p, rssKB(pid))
			}
		}
	}()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := http.Post(base+"/v1/lookup", "text/csv", strings.NewReader(data))
			if err != nil {
				return
			}
			defer r.Body.Close()
			switch r.StatusCode {
			case 200:
				okN.Add(1)
				br := bufio.NewReader(r.Body)
				buf := make([]byte, 64<<10)
				for {
					if _, err := br.Read(buf); err != nil {
						return
					}
					time.Sleep(50 * time.Millisecond)
				}
			case 429:
				refN.Add(1)
			}
		}()
	}
	wg.Wait()
	close(done)
	return okN.Load(), refN.Load(), <-peakCh
}
