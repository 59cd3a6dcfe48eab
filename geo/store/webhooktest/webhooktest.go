// Package webhooktest checks an implementation of store.WebhookStore:
// the embedded bbolt store and the PostgreSQL store run the same checks.
package webhooktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/store"
)

// Run checks ws: registration validates the URL and secret and starts at
// the current version, listing and lookup return what was stored,
// failures count attempts and keep the error, a success advances the
// position (never backwards) and resets the attempts, and deletion
// removes. reopen closes and reopens the store (a restart) and returns
// the new one; commit appends one changeset and returns its version.
func Run(t *testing.T, ws store.WebhookStore, commit func() uint64, reopen func() store.WebhookStore) {
	ctx := context.Background()
	for _, bad := range []struct{ url, secret string }{
		{"ftp://example.com/hook", "0123456789abcdef"},
		{"http:///nohost", "0123456789abcdef"},
		{"http://user:pw@127.0.0.1/hook", "0123456789abcdef"},
		{"http://127.0.0.1/hook", "short"},
		{"not a url at all", "0123456789abcdef"},
	} {
		if _, err := ws.CreateWebhook(ctx, bad.url, bad.secret); !errors.Is(err, store.ErrWebhookSpec) {
			t.Errorf("CreateWebhook(%q, %q) = %v, want ErrWebhookSpec", bad.url, bad.secret, err)
		}
	}
	start := commit()
	w, err := ws.CreateWebhook(ctx, "http://127.0.0.1:9/hook", "0123456789abcdef")
	if err != nil {
		t.Fatalf("CreateWebhook: %v", err)
	}
	if w.ID == "" || w.Delivered != start || w.Secret != "0123456789abcdef" {
		t.Errorf("CreateWebhook = %+v, want an id, delivered %d and the secret", w, start)
	}
	now := time.Now()
	for i := range 3 {
		if err := ws.RecordDelivery(ctx, w.ID, start+1, now.Add(time.Duration(i)*time.Second), "503 Service Unavailable"); err != nil {
			t.Fatalf("RecordDelivery failure: %v", err)
		}
	}
	ws = reopen()
	got, err := ws.Webhook(ctx, w.ID)
	if err != nil {
		t.Fatalf("Webhook after reopening: %v", err)
	}
	if got.Attempts != 3 || got.LastError != "503 Service Unavailable" || got.Delivered != start || got.LastAttempt.IsZero() {
		t.Errorf("after 3 failures and a restart: %+v, want 3 attempts, the error, delivered %d", got, start)
	}
	if err := ws.RecordDelivery(ctx, w.ID, start+2, now, ""); err != nil {
		t.Fatal(err)
	}
	if err := ws.RecordDelivery(ctx, w.ID, start+1, now, ""); err != nil {
		t.Fatal(err)
	}
	got, _ = ws.Webhook(ctx, w.ID)
	if got.Delivered != start+2 || got.Attempts != 0 || got.LastError != "" || got.LastSuccess.IsZero() {
		t.Errorf("after successes: %+v, want delivered %d, no attempts, no error", got, start+2)
	}
	second, err := ws.CreateWebhook(ctx, "https://example.com/b", "fedcba9876543210")
	if err != nil {
		t.Fatal(err)
	}
	list, err := ws.Webhooks(ctx)
	if err != nil || len(list) != 2 || list[0].ID != w.ID || list[1].ID != second.ID {
		t.Errorf("Webhooks = %+v, %v; want %s then %s", list, err, w.ID, second.ID)
	}
	if err := ws.DeleteWebhook(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{ws.DeleteWebhook(ctx, w.ID), ws.RecordDelivery(ctx, w.ID, 1, now, "")} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("on a deleted webhook: %v, want ErrNotFound", err)
		}
	}
	if _, err := ws.Webhook(ctx, "wh_nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Webhook(unknown) = %v, want ErrNotFound", err)
	}
}
