package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	tok, secret, err := s.CreateToken(ctx, TokenSpec{Name: "alice", Role: RolePlanner, Scopes: []geo.DivisionCode{tokSubdistrict}})
	if err != nil {
		t.Fatalf("CreateToken = %v", err)
	}
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) != len(TokenPrefix)+43 {
		t.Errorf("secret = %q, want %s and 43 base64url characters", secret, TokenPrefix)
	}
	got, err := s.VerifyToken(ctx, secret)
	if err != nil || got.ID != tok.ID || got.Name != "alice" || got.Role != RolePlanner {
		t.Fatalf("VerifyToken = %+v, %v; want alice's token %s", got, err, tok.ID)
	}
	if !got.InScope(tokCommunity) || got.InScope(geo.DivisionCode(520201012001)) {
		t.Errorf("InScope: want %s in and 520201012001 out of scope %v", tokCommunity, got.Scopes)
	}
	if _, err := s.VerifyToken(ctx, secret[:len(secret)-1]+"A"); !errors.Is(err, ErrTokenUnknown) {
		t.Errorf("VerifyToken(altered secret) = %v, want ErrTokenUnknown", err)
	}
	if _, _, err := s.CreateToken(ctx, TokenSpec{Name: "alice", Role: RoleViewer}); !errors.Is(err, ErrTokenExists) {
		t.Errorf("second active alice = %v, want ErrTokenExists", err)
	}
	revoked, err := s.RevokeToken(ctx, "alice")
	if err != nil || revoked.Active() {
		t.Fatalf("RevokeToken(alice) = %+v, %v; want a revoked token", revoked, err)
	}
	if _, err := s.VerifyToken(ctx, secret); !errors.Is(err, ErrTokenRevoked) {
		t.Errorf("VerifyToken(revoked) = %v, want ErrTokenRevoked", err)
	}
	if _, _, err := s.CreateToken(ctx, TokenSpec{Name: "alice", Role: RoleAdmin}); err != nil {
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
	if list[0].ID != tok.ID || list[0].Active() || !list[1].Active() || list[1].Role != RoleAdmin {
		t.Errorf("Tokens = %+v, want revoked alice then the admin alice", list)
	}
	if _, err := s2.VerifyToken(ctx, secret); !errors.Is(err, ErrTokenRevoked) {
		t.Errorf("VerifyToken(revoked) after reopen = %v, want ErrTokenRevoked", err)
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
	if bytes.Contains(data, []byte(strings.TrimPrefix(secret, TokenPrefix))) {
		t.Error("the store file holds the token's secret, want only its hash")
	}
}

func TestCreateTokenRefusals(t *testing.T) {
	s, _ := openTemp(t, Options{NoSync: true})
	cases := []struct {
		name string
		spec TokenSpec
	}{
		{"empty name", TokenSpec{Name: " ", Role: RoleViewer}},
		{"control character", TokenSpec{Name: "a\nb", Role: RoleViewer}},
		{"long name", TokenSpec{Name: strings.Repeat("名", 101), Role: RoleViewer}},
		{"unknown role", TokenSpec{Name: "x", Role: "root"}},
		{"planner without scope", TokenSpec{Name: "x", Role: RolePlanner}},
		{"scope not in the city", TokenSpec{Name: "x", Role: RolePlanner, Scopes: []geo.DivisionCode{110101001000}}},
		{"admin with scope", TokenSpec{Name: "x", Role: RoleAdmin, Scopes: []geo.DivisionCode{tokSubdistrict}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := s.CreateToken(context.Background(), tc.spec); !errors.Is(err, ErrTokenSpec) {
				t.Errorf("CreateToken(%+v) = %v, want ErrTokenSpec", tc.spec, err)
			}
		})
	}
}

func TestRoleAllows(t *testing.T) {
	cases := []struct {
		have, need Role
		want       bool
	}{
		{RoleViewer, RoleViewer, true},
		{RoleViewer, RolePlanner, false},
		{RolePlanner, RoleViewer, true},
		{RolePlanner, RoleAdmin, false},
		{RoleAdmin, RolePlanner, true},
		{"", RoleViewer, false},
	}
	for _, tc := range cases {
		if got := tc.have.Allows(tc.need); got != tc.want {
			t.Errorf("Role(%q).Allows(%q) = %v, want %v", tc.have, tc.need, got, tc.want)
		}
	}
}

func TestVerifyTokenClosed(t *testing.T) {
	s, _ := openTemp(t, Options{NoSync: true})
	_, secret, err := s.CreateToken(context.Background(), TokenSpec{Name: "v", Role: RoleViewer})
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
		_, sec, err := s.CreateToken(ctx, TokenSpec{Name: "user" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Role: RoleViewer})
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
