package pgstore

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/store"
)

// Division codes of the generated city used by the token tests.
const (
	tokSubdistrict = geo.DivisionCode(520201011000)
	tokCommunity   = geo.DivisionCode(520201011001)
)

func TestTokensAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a, dsn := openNew(t, Options{})
	b := openAt(t, dsn, Options{})
	tok, secret, err := a.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RolePlanner, Scopes: []geo.DivisionCode{tokSubdistrict}})
	if err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	if !strings.HasPrefix(secret, access.TokenPrefix) || len(secret) != len(access.TokenPrefix)+43 {
		t.Errorf("secret = %q, want %s and 43 base64url characters", secret, access.TokenPrefix)
	}
	got, err := b.VerifyToken(ctx, secret)
	if err != nil || got.ID != tok.ID || got.Role != access.RolePlanner || !got.InScope(tokCommunity) || got.InScope(520201012001) {
		t.Fatalf("B.VerifyToken = %+v, %v; want alice's planner token scoped to %s", got, err, tokSubdistrict)
	}
	if _, err := b.VerifyToken(ctx, secret[:len(secret)-1]+"A"); !errors.Is(err, access.ErrTokenUnknown) {
		t.Errorf("VerifyToken(altered secret) = %v, want ErrTokenUnknown", err)
	}
	if _, _, err := b.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RoleViewer}); !errors.Is(err, access.ErrTokenExists) {
		t.Errorf("a second active alice on B = %v, want ErrTokenExists", err)
	}
	revoked, err := b.RevokeToken(ctx, "alice")
	if err != nil || revoked.Active() || revoked.ID != tok.ID {
		t.Fatalf("B.RevokeToken(alice) = %+v, %v; want alice's token revoked", revoked, err)
	}
	if _, err := a.VerifyToken(ctx, secret); !errors.Is(err, access.ErrTokenRevoked) {
		t.Errorf("A.VerifyToken(revoked on B) = %v, want ErrTokenRevoked", err)
	}
	if again, err := a.RevokeToken(ctx, tok.ID); err != nil || !again.Revoked.Equal(revoked.Revoked) {
		t.Errorf("revoking again = %+v, %v; want the same revocation", again, err)
	}
	if _, _, err := a.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RoleAdmin}); err != nil {
		t.Errorf("a new alice after revocation = %v, want nil", err)
	}
	if _, err := a.RevokeToken(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeToken(nobody) = %v, want ErrNotFound", err)
	}
	list, err := b.Tokens(ctx)
	if err != nil || len(list) != 2 || list[0].ID != tok.ID || list[0].Active() || !list[1].Active() || list[1].Role != access.RoleAdmin {
		t.Errorf("Tokens = %+v, %v; want revoked alice then the admin alice", list, err)
	}
	var dump string
	if err := a.pool.QueryRow(ctx, `SELECT string_agg(t::text, ' ') FROM tokens t`).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(dump, strings.TrimPrefix(secret, access.TokenPrefix)) {
		t.Error("the tokens table holds the secret, want only its hash")
	}
	a.Close()
	if _, err := a.VerifyToken(ctx, secret); !errors.Is(err, store.ErrClosed) {
		t.Errorf("VerifyToken after Close = %v, want ErrClosed", err)
	}
}

func TestCreateTokenRefusals(t *testing.T) {
	s, _ := openNew(t, Options{})
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
			if _, _, err := s.CreateToken(context.Background(), tc.spec); !errors.Is(err, access.ErrTokenSpec) {
				t.Errorf("CreateToken(%+v) = %v, want ErrTokenSpec", tc.spec, err)
			}
		})
	}
}

func TestCreateTokenRace(t *testing.T) {
	ctx := context.Background()
	a, dsn := openNew(t, Options{})
	b := openAt(t, dsn, Options{})
	errs := make([]error, 6)
	var wg sync.WaitGroup
	for i := range errs {
		s := []*Store{a, b}[i%2]
		wg.Go(func() { _, _, errs[i] = s.CreateToken(ctx, access.TokenSpec{Name: "bob", Role: access.RoleViewer}) })
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, access.ErrTokenExists):
			t.Errorf("writer %d: CreateToken = %v, want nil or ErrTokenExists", i, err)
		}
	}
	if ok != 1 {
		t.Errorf("%d concurrent creations of bob succeeded, want 1", ok)
	}
}
