// Command report turns `go test -bench` output (benchstat format) and the
// "measure" lines of bench/http.sh into a Markdown report that puts every
// figure beside its issue's target, with ratios against baselines run in
// the same go.
package main

import (
	"bufio"
	"log"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// samples maps "BenchmarkName metric" (GOMAXPROCS suffix removed) to values.
type samples map[string][]float64

var procSuffix = regexp.MustCompile(`-\d+$`)

func readBench(path string, s samples) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(fields[0], "")
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			key := name + " " + fields[i+1]
			s[key] = append(s[key], v)
		}
	}
}

// measures maps "scale=N key" to the value printed by bench/http.sh.
func readMeasures(path string) map[string]string {
	m := map[string]string{}
	f, err := os.Open(path)
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || fields[0] != "measure" {
			continue
		}
		scale := ""
		for _, kv := range fields[1:] {
			k, v, _ := strings.Cut(kv, "=")
			if k == "scale" {
				scale = v
				continue
			}
			m["scale="+scale+" "+k] = v
		}
	}
	return m
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

// durationMS parses wrk's latency forms (812.00us, 1.20ms, 2.00s) to ms.
func durationMS(s string) float64 {
	for _, u := range []struct {
		suf string
		f   float64
	}{{"us", 1e-3}, {"ms", 1}, {"s", 1e3}} {
		if strings.HasSuffix(s, u.suf) {
			v, err := strconv.ParseFloat(strings.TrimSuffix(s, u.suf), 64)
			if err == nil {
				return v * u.f
			}
		}
	}
	return math.NaN()
}

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: report bench.txt [measure.txt]")
	}
	s := samples{}
	readBench(os.Args[1], s)
	m := map[string]string{}
	if len(os.Args) > 2 {
		m = readMeasures(os.Args[2])
	}
	printReport(os.Stdout, s, m)
}
