// Command points writes benchmark query points for bench/http.sh: door
// points of the city's buildings, jittered by up to about 60 m, as a CSV
// file for the bulk form and as a Lua table for wrk.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
)

type collection struct {
	Features []struct {
		Geometry struct {
			Coordinates [2]float64 `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func main() {
	in := flag.String("in", "", "buildings GeoJSON (GET /v1/export/buildings.geojson)")
	n := flag.Int("n", 1000000, "CSV rows")
	csvPath := flag.String("csv", "", "CSV output")
	luaPath := flag.String("lua", "", "Lua table output")
	luaN := flag.Int("luan", 10000, "Lua points")
	flag.Parse()
	data, err := os.ReadFile(*in)
	if err != nil {
		log.Fatal(err)
	}
	var fc collection
	if err := json.Unmarshal(data, &fc); err != nil {
		log.Fatal(err)
	}
	if len(fc.Features) == 0 {
		log.Fatal("no buildings")
	}
	r := rand.New(rand.NewPCG(1, 2))
	point := func() (float64, float64) {
		c := fc.Features[r.IntN(len(fc.Features))].Geometry.Coordinates
		return c[0] + (r.Float64()-0.5)*0.0012, c[1] + (r.Float64()-0.5)*0.0012
	}
	write(*csvPath, func(w *bufio.Writer) {
		w.WriteString("lon,lat\n")
		for i := 0; i < *n; i++ {
			lon, lat := point()
			fmt.Fprintf(w, "%.7f,%.7f\n", lon, lat)
		}
	})
	write(*luaPath, func(w *bufio.Writer) {
		w.WriteString("pts = {\n")
		for i := 0; i < *luaN; i++ {
			lon, lat := point()
			fmt.Fprintf(w, "{\"%.7f\",\"%.7f\"},\n", lon, lat)
		}
		w.WriteString("}\n")
	})
}

func write(path string, fill func(*bufio.Writer)) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
