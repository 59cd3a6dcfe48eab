package cityio

import (
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// fuzzLayer feeds arbitrary bytes as one layer file of an otherwise valid
// city. ReadFS must not panic; it returns either no city and a
// *ValidationError, or a valid city that survives a write and a read.
func fuzzLayer(f *testing.F, l Layer) {
	base := cityFS(f, testCity(f), Meta{})
	valid := string(base[l.File()].Data)
	f.Add([]byte(valid))
	f.Add([]byte(valid[:len(valid)/2]))
	f.Add([]byte(strings.Replace(valid, "26.59", "26.5", 1)))
	f.Add([]byte(strings.Replace(valid, `"MultiPolygon"`, `"Polygon"`, 1)))
	f.Add([]byte(strings.Replace(valid, `[104.83,26.59]`, `[104.83,26.59,12]`, 1)))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"\ud800"},"geometry":null}]}`))
	f.Add([]byte(`{"features":[],"type":"FeatureCollection","bbox":[1,2,3,4]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := maps.Clone(base)
		fsys[l.File()] = &fstest.MapFile{Data: data}
		c, err := ReadFS(fsys)
		if err != nil {
			var ve *ValidationError
			if c != nil || !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("ReadFS = %v, %v; want no city and a *ValidationError with problems", c, err)
			}
			return
		}
		if err := Validate(c); err != nil {
			t.Fatalf("ReadFS accepted a city that Validate refuses: %v", err)
		}
		again, err := ReadFS(cityFS(t, c, Meta{}))
		if err != nil {
			t.Fatalf("reading back an accepted city: %v", err)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("accepted city changed through a write and a read:\n%s", firstDiff(again, c))
		}
	})
}

func FuzzReadGrids(f *testing.F) { fuzzLayer(f, LayerGrids) }

func FuzzReadBuildings(f *testing.F) { fuzzLayer(f, LayerBuildings) }

func FuzzReadUnits(f *testing.F) { fuzzLayer(f, LayerUnits) }
