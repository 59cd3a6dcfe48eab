package bulk

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
)

// TestGeocodeStreamErrors checks GeocodeStream's failures.
func TestGeocodeStreamErrors(t *testing.T) {
	snap, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		in   string
		o    GeocodeOptions
		want error
	}{
		{"bad format", context.Background(), "address\n", GeocodeOptions{Format: "xml"}, nil},
		{"no address column", context.Background(), "id\n1\n", GeocodeOptions{}, nil},
		{"cancelled", cancelled, "address\n人民中路5号\n", GeocodeOptions{}, context.Canceled},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GeocodeStream(tc.ctx, snap, nil, strings.NewReader(tc.in), io.Discard, tc.o)
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Errorf("GeocodeStream = %v, want an error (%v)", err, tc.want)
			}
		})
	}
}
