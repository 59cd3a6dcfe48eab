package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
)

// Division codes of the generated city used by the token tests.
const (
	tokSubdistrict = geo.DivisionCode(520201011000)
	tokCommunity   = geo.DivisionCode(520201011001)
)

func TestTokenLifecycle(t *testing.T) {
	s, dir := openTemp(t, Options{NoSync: true})
	ctx := context.Background()
	tok, secret, err := s.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RolePlanner, Scopes: []geo.DivisionCode{tokSubdistrict}})
	if err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	if !strings.HasPrefix(secret, access.TokenPrefix) || len(secret) != len(access.TokenPrefix)+43 {
		t.Errorf("secret = %q, want %s and 43 base64url characters", secret, access.TokenPrefix)
	}
	got, err := s.VerifyToken(ctx, secret)
	if err != nil || got.ID != tok.ID || got.Name != "alice" || got.Role != access.RolePlanner {
		t.Fatalf("VerifyToken = %+v, %v; want alice's token %s", got, err, tok.ID)
	}
	if !got.InScope(tokCommunity) || got.InScope(geo.DivisionCode(520201012001)) {
		t.Errorf("InScope: want %s in and 520201012001 out of scope %v", tokCommunity, got.Scopes)
	}
	if _, err := s.VerifyToken(ctx, secret[:len(secret)-1]+"A"); !errors.Is(err, access.ErrTokenUnknown) {
		t.Errorf("VerifyToken(altered secret) = %v, want access.ErrTokenUnknown", err)
	}
	if _, _, err := s.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RoleViewer}); !errors.Is(err, access.ErrTokenExists) {
		t.Errorf("second active alice = %v, want access.ErrTokenExists", err)
	}
	revoked, err := s.RevokeToken(ctx, "alice")
	if err != nil || revoked.Active() {
		t.Fatalf("RevokeToken(alice) = %+v, %v; want a revoked token", revoked, err)
	}
	if _, err := s.VerifyToken(ctx, secret); !errors.Is(err, access.ErrTokenRevoked) {
		t.Errorf("VerifyToken(revoked) = %v, want access.ErrTokenRevoked", err)
	}
	if _, _, err := s.CreateToken(ctx, access.TokenSpec{Name: "alice", Role: access.RoleAdmin}); err != nil {
		t.Errorf("a new alice after revocation = %v, want nil", err)
	}
	if _, err := s.RevokeToken(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RevokeToken(nobody) = %v, want ErrNotFound", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoSecret(t, dir, secret)
	s2, err := OpenOptions(dir, nil, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	list, err := s2.Tokens(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("Tokens after reopen = %d tokens, %v; want 2", len(list), err)
	}
	if list[0].ID != tok.ID || list[0].Active() || !list[1].Active() || list[1].Role != access.RoleAdmin {
		t.Errorf("Tokens = %+v, want revoked alice then the admin alice", list)
	}
	if _, err := s2.VerifyToken(ctx, secret); !errors.Is(err, access.ErrTokenRevoked) {
		t.Errorf("VerifyToken(revoked) after reopen = %v, want access.ErrTokenRevoked", err)
	}
}

// checkNoSecret fails if the store file holds the secret or its random
// part: only the hash may be stored.
func checkNoSecret(t *testing.T, dir, secret string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(strings.TrimPrefix(secret, access.TokenPrefix))) {
		t.Error("the store file holds the token's secret, want only its hash")
	}
}

func TestCreateTokenRefusals(t *testing.T) {
	s, _ := openTemp(t, Options{NoSync: true})
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
				t.Errorf("CreateToken(%+v) = %v, want access.ErrTokenSpec", tc.spec, err)
			}
		})
	}
}

func TestVerifyTokenClosed(t *testing.T) {
	s, _ := openTemp(t, Options{NoSync: true})
	_, secret, err := s.CreateToken(context.Background(), access.TokenSpec{Name: "v", Role: access.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.VerifyToken(context.Background(), secret); !errors.Is(err, ErrClosed) {
		t.Errorf("VerifyToken after Close = %v, want ErrClosed", err)
	}
}

// BenchmarkVerifyToken verifies a token among 100, as every request does
// when reading needs a token.
func BenchmarkVerifyToken(b *testing.B) {
	s, _ := openTemp(b, Options{NoSync: true})
	ctx := context.Background()
	var secret string
	for i := range 100 {
		_, sec, err := s.CreateToken(ctx, access.TokenSpec{Name: "user" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Role: access.RoleViewer})
		if err != nil {
			b.Fatal(err)
		}
		secret = sec
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.VerifyToken(ctx, secret); err != nil {
			b.Fatal(err)
		}
	}
}
