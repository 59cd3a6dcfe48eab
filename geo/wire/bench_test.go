package wire_test

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"sync"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/wire"
)

// The inputs of the baselines: the reference city's buildings layer as
// GeoJSON (what geo/cityio reads), and 100,000 rows of CSV and NDJSON
// points (what the bulk streams read), built once.
var (
	inputsOnce sync.Once
	geoJSON    []byte
	csvRows    []byte
	ndjsonRows []byte
	inputsErr  error
)

func inputs(b *testing.B) {
	b.Helper()
	inputsOnce.Do(func() {
		city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
		if err != nil {
			inputsErr = err
			return
		}
		var buf bytes.Buffer
		if inputsErr = cityio.WriteLayer(&buf, city, cityio.LayerBuildings); inputsErr != nil {
			return
		}
		geoJSON = buf.Bytes()
		var c, n []byte
		c = append(c, "id,lon,lat,note\n"...)
		for i := range 100_000 {
			lon := strconv.FormatFloat(104.8+float64(i%1000)*1e-4, 'f', 6, 64)
			lat := strconv.FormatFloat(26.5+float64(i/1000)*1e-4, 'f', 6, 64)
			note := "plain"
			if i%10 == 0 {
				note = `"quoted, with a comma and ""quotes"""`
			}
			c = append(c, strconv.Itoa(i)+","+lon+","+lat+","+note+"\n"...)
			n = append(n, `{"id":`+strconv.Itoa(i)+`,"lon":`+lon+`,"lat":`+lat+"}\n"...)
		}
		csvRows, ndjsonRows = c, n
	})
	if inputsErr != nil {
		b.Fatal(inputsErr)
	}
}

// walk reads every value at the scanner's cursor, decoding strings and
// parsing numbers, as a reader does.
func walk(s *wire.Scanner) error {
	switch c := s.Peek(); {
	case c == '{':
		return s.Object(func([]byte) error { return walk(s) })
	case c == '[':
		return s.Array(func(int) error { return walk(s) })
	case c == '"':
		_, err := s.Str()
		return err
	case c == 't' || c == 'f' || c == 'n':
		_, err := s.Literal()
		return err
	}
	_, err := s.Float()
	return err
}

// BenchmarkScanGeoJSON reads every token of the buildings layer, strings
// decoded and numbers parsed: with the hand-written scanner, and with
// jsontext (encoding/json/v2's tokenizer) as the library baseline.
func BenchmarkScanGeoJSON(b *testing.B) {
	inputs(b)
	b.Run("wire", func(b *testing.B) {
		b.SetBytes(int64(len(geoJSON)))
		b.ReportAllocs()
		for b.Loop() {
			s := wire.NewScanner(geoJSON)
			s.MaxDepth = 128
			if err := walk(s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("jsontext", func(b *testing.B) {
		b.SetBytes(int64(len(geoJSON)))
		b.ReportAllocs()
		for b.Loop() {
			d := jsontext.NewDecoder(bytes.NewReader(geoJSON))
			for {
				tok, err := d.ReadToken()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				switch tok.Kind() {
				case '0':
					_, _ = tok.Float()
				case '"':
					_ = tok.String()
				}
			}
		}
	})
}

// BenchmarkCSVRecords reads 100,000 CSV rows into fields: with the
// streams' splitter and lexer, and with encoding/csv (lazy quotes, reused
// records) as the library baseline.
func BenchmarkCSVRecords(b *testing.B) {
	inputs(b)
	b.Run("wire", func(b *testing.B) {
		b.SetBytes(int64(len(csvRows)))
		b.ReportAllocs()
		var spans []wire.FieldSpan
		for b.Loop() {
			n := 0
			for r := range wire.Records(csvRows) {
				rec := csvRows[r.Start:r.End]
				spans, _ = wire.SplitCSVFields(rec, spans[:0])
				n += len(spans[len(spans)-1].Text(rec))
			}
			if n == 0 {
				b.Fatal("no fields")
			}
		}
	})
	b.Run("encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(csvRows)))
		b.ReportAllocs()
		for b.Loop() {
			r := csv.NewReader(bytes.NewReader(csvRows))
			r.ReuseRecord, r.LazyQuotes, r.FieldsPerRecord = true, true, -1
			n := 0
			for {
				rec, err := r.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n += len(rec[len(rec)-1])
			}
			if n == 0 {
				b.Fatal("no fields")
			}
		}
	})
}

// BenchmarkNDJSONLines cuts 100,000 NDJSON lines: with the streams'
// splitter, and with bufio.Scanner as the library baseline.
func BenchmarkNDJSONLines(b *testing.B) {
	inputs(b)
	b.Run("wire", func(b *testing.B) {
		b.SetBytes(int64(len(ndjsonRows)))
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for start, end := range wire.Lines(ndjsonRows) {
				n += end - start
			}
			if n == 0 {
				b.Fatal("no lines")
			}
		}
	})
	b.Run("bufio", func(b *testing.B) {
		b.SetBytes(int64(len(ndjsonRows)))
		b.ReportAllocs()
		for b.Loop() {
			sc := bufio.NewScanner(bytes.NewReader(ndjsonRows))
			n := 0
			for sc.Scan() {
				n += len(bytes.TrimSpace(sc.Bytes()))
			}
			if n == 0 {
				b.Fatal("no lines")
			}
		}
	})
}
