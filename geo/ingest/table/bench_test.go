package table

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// addressTable returns an address table of n rows as CSV text.
func addressTable(n int) string {
	var b strings.Builder
	b.WriteString("地址,经度,纬度,户数,备注\n")
	for i := range n {
		fmt.Fprintf(&b, "贵州省六盘水市钟山区荷城街道人民中路%d号,%.7f,%.7f,%d,\"备注, %d\"\n",
			i, 104.8+float64(i%1000)*1e-4, 26.5+float64(i/1000)*1e-4, i%400, i)
	}
	return b.String()
}

// BenchmarkReadCSV reads a 20,000-row address table (bytes in memory)
// and reports rows per second.
func BenchmarkReadCSV(b *testing.B) {
	b.ReportAllocs()
	data := []byte(addressTable(20000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := readCSV("bench.csv", data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadXLSX reads a 20,000-row address table from an .xlsx
// written by excelize, and reports rows per second.
func BenchmarkReadXLSX(b *testing.B) {
	b.ReportAllocs()
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSpace(addressTable(20000)), "\n") {
		fields := strings.SplitN(line, ",", 5)
		row := make([]any, len(fields))
		for j, v := range fields {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	if st, err := os.Stat(path); err == nil {
		b.SetBytes(st.Size())
	}
	for b.Loop() {
		if _, _, err := ReadXLSX(path, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(20000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
