package pg

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
)

// TestTokensAcrossInstances checks that two instances on one database
// share the registry: a token made on one is verified on the other, its
// name is taken on both, and a revocation on one is seen by the other at
// once. The table holds the hash only.
func TestTokensAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a, dsn := openNew(t, Options{})
	b := openAt(t, dsn, Options{})
	tok, secret, err := a.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RolePlanner, Scopes: []geo.DivisionCode{520201011000}})
	if err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	if got, err := b.VerifyToken(ctx, secret); err != nil || got.ID != tok.ID || !got.InScope(520201011001) {
		t.Fatalf("B.VerifyToken = %+v, %v; want alice's planner token", got, err)
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
	var dump string
	if err := a.pool.QueryRow(ctx, `SELECT string_agg(t::text, ' ') FROM tokens t`).Scan(&dump); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dump, "alice") {
		t.Fatal("the tokens table does not hold the token, so the check below proves nothing")
	}
	if strings.Contains(dump, strings.TrimPrefix(secret, access.TokenPrefix)) {
		t.Error("the tokens table holds the secret, want only its hash")
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
