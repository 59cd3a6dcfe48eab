package pgstore

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/webhooktest"
)

// TestWebhooks runs the webhook store checks on PostgreSQL, opening a
// second Store on the database as a restart.
func TestWebhooks(t *testing.T) {
	s, dsn := openNew(t, Options{})
	commit := func() uint64 {
		appendRenames(t, s, 1, "test")
		v, err := s.Version(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	reopen := func() store.WebhookStore {
		s.Close()
		s = openAt(t, dsn, Options{})
		return s
	}
	webhooktest.Run(t, s, commit, reopen)
}
