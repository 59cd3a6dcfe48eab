package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
)

// Division codes of the generated city used by the token checks.
const (
	tokSubdistrict = geo.DivisionCode(520201011000)
	tokCommunity   = geo.DivisionCode(520201011001)
)

// testTokens runs a token's life: issued, verified, refused when altered,
// a second active name refused, revoked (by name, then again by id),
// reissued, listed after a restart, and refused once the store is closed.
func testTokens(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	tok, secret, err := h.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RolePlanner, Scopes: []geo.DivisionCode{tokSubdistrict}})
	if err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	if !strings.HasPrefix(secret, access.TokenPrefix) || len(secret) != len(access.TokenPrefix)+43 {
		t.Errorf("secret = %q, want %s and 43 base64url characters", secret, access.TokenPrefix)
	}
	got, err := h.VerifyToken(ctx, secret)
	if err != nil || got.ID != tok.ID || got.Name != "alice" || got.Role != access.RolePlanner || !got.InScope(tokCommunity) || got.InScope(520201012001) {
		t.Fatalf("VerifyToken = %+v, %v; want alice's planner token scoped to %s", got, err, tokSubdistrict)
	}
	altered := secret[:len(secret)-1] + "A"
	if altered == secret {
		altered = secret[:len(secret)-1] + "B"
	}
	for _, bad := range []string{altered, "gm_nosuchtoken", strings.TrimPrefix(secret, access.TokenPrefix)} {
		if _, err := h.VerifyToken(ctx, bad); !errors.Is(err, access.ErrTokenUnknown) {
			t.Errorf("VerifyToken(%.12q...) = %v, want ErrTokenUnknown", bad, err)
		}
	}
	if _, _, err := h.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RoleViewer}); !errors.Is(err, access.ErrTokenExists) {
		t.Errorf("second active alice = %v, want ErrTokenExists", err)
	}
	revoked, err := h.RevokeToken(ctx, "alice")
	if err != nil || revoked.Active() || revoked.ID != tok.ID {
		t.Fatalf("RevokeToken(alice) = %+v, %v; want alice's token revoked", revoked, err)
	}
	if _, err := h.VerifyToken(ctx, secret); !errors.Is(err, access.ErrTokenRevoked) {
		t.Errorf("VerifyToken(revoked) = %v, want ErrTokenRevoked", err)
	}
	if again, err := h.RevokeToken(ctx, tok.ID); err != nil || !again.Revoked.Equal(revoked.Revoked) {
		t.Errorf("revoking again = %+v, %v; want the same revocation", again, err)
	}
	if _, _, err := h.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RoleAdmin}); err != nil {
		t.Errorf("a new alice after revocation = %v, want nil", err)
	}
	if _, err := h.RevokeToken(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeToken(nobody) = %v, want ErrNotFound", err)
	}
	s := h.Reopen(Config{})
	list, err := s.Tokens(ctx)
	if err != nil || len(list) != 2 || list[0].ID != tok.ID || list[0].Active() || !list[1].Active() || list[1].Role != access.RoleAdmin {
		t.Errorf("Tokens after reopening = %+v, %v; want revoked alice then the admin alice", list, err)
	}
	if _, err := s.VerifyToken(ctx, secret); !errors.Is(err, access.ErrTokenRevoked) {
		t.Errorf("VerifyToken(revoked) after reopening = %v, want ErrTokenRevoked", err)
	}
	s.Close()
	if _, err := s.VerifyToken(ctx, secret); !errors.Is(err, store.ErrClosed) {
		t.Errorf("VerifyToken after Close = %v, want ErrClosed", err)
	}
}

// testTokenRefusals asks for tokens the policy refuses: the store checks
// each request against its city.
func testTokenRefusals(t *testing.T, open Opener) {
	h := open(t, Config{})
	cases := []struct {
		name string
		spec access.TokenSpec
	}{
		{"empty name", access.TokenSpec{Name: " ", Role: access.RoleViewer}},
		{"control character", access.TokenSpec{Name: "a\nb", Role: access.RoleViewer}},
		{"long name", access.TokenSpec{Name: strings.Repeat("名", 101), Role: access.RoleViewer}},
		{"unknown role", access.TokenSpec{Name: "x", Role: "root"}},
		{"planner without scope", access.TokenSpec{Name: "x", Role: access.RolePlanner}},
		{"scope not in the city", access.TokenSpec{Name: "x", Role: access.RolePlanner, Scopes: []geo.DivisionCode{110101001000}}},
		{"admin with scope", access.TokenSpec{Name: "x", Role: access.RoleAdmin, Scopes: []geo.DivisionCode{tokSubdistrict}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := h.CreateToken(context.Background(), tc.spec); !errors.Is(err, access.ErrTokenSpec) {
				t.Errorf("CreateToken(%+v) = %v, want ErrTokenSpec", tc.spec, err)
			}
		})
	}
	if list, err := h.Tokens(context.Background()); err != nil || len(list) != 0 {
		t.Errorf("Tokens after refusals = %d, %v; want none", len(list), err)
	}
}

// testWebhooks checks the outbox: registration validates the URL and
// secret and starts at the current version, listing and lookup return
// what was stored, failures count attempts and keep the error (across a
// restart), a success advances the position (never backwards) and resets
// the attempts, and deletion removes.
func testWebhooks(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	var ws Store = h
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
	AppendRenames(t, ws, 1, "test")
	start := uint64(1)
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
	ws = h.Reopen(Config{})
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
