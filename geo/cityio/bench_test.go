package cityio

import (
	"io"
	"testing"
)

// BenchmarkRead reads, converts, normalizes and validates a city the
// size of the real one (see fullShape) from disk.
func BenchmarkRead(b *testing.B) {
	c := bigCity(b, 1, fullShape)
	dir := b.TempDir()
	if err := Write(dir, c); err != nil {
		b.Fatalf("Write: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Read(dir); err != nil {
			b.Fatalf("Read: %v", err)
		}
	}
}

// BenchmarkValidate runs the checks alone on the same city.
func BenchmarkValidate(b *testing.B) {
	c := bigCity(b, 1, fullShape)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Validate(c); err != nil {
			b.Fatalf("Validate: %v", err)
		}
	}
}

// BenchmarkWriteLayer streams each layer of the same city.
func BenchmarkWriteLayer(b *testing.B) {
	c := bigCity(b, 1, fullShape)
	for _, l := range layers {
		b.Run(string(l), func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			cw := &countWriter{}
			for b.Loop() {
				if err := WriteLayer(cw, c, l); err != nil {
					b.Fatalf("WriteLayer: %v", err)
				}
				n++
			}
			b.SetBytes(cw.n / int64(max(n, 1)))
		})
	}
}

type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
