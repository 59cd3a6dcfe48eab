package osmfile

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkReadDelawarePBF reads the Delaware extract (7.8 MB of PBF:
// 724k nodes, 73k ways) into its streets and buildings layers.
func BenchmarkReadDelawarePBF(b *testing.B) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/paulmach/osm").Output()
	if err != nil {
		b.Fatalf("go list -m github.com/paulmach/osm: %v", err)
	}
	path := filepath.Join(strings.TrimSpace(string(out)), "testdata", "delaware-latest.osm.pbf")
	b.ReportAllocs()
	n := 0
	for i := 0; i < b.N; i++ {
		x, err := Read(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		n += x.Stats.Nodes + x.Stats.Ways + x.Stats.Relations
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "objects/s")
}
