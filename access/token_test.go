package access

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// testCity is a city of one district with a subdistrict and a community.
var testCity = &geo.City{Code: 520200000000, Units: []*geo.Unit{
	{Code: 520201000000}, {Code: 520201011000}, {Code: 520201011001},
}}

func TestIssue(t *testing.T) {
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	spec := TokenSpec{Name: "alice", Role: RolePlanner, Scopes: []geo.DivisionCode{520201011000}}
	tok, secret, sum, err := Issue(spec, testCity, now)
	if err != nil {
		t.Fatalf("Issue = %v", err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(secret, TokenPrefix))
	if !strings.HasPrefix(secret, TokenPrefix) || err != nil || len(raw) != 32 {
		t.Errorf("secret = %q, want %s and 32 bytes in base64url", secret, TokenPrefix)
	}
	if sum != sha256.Sum256([]byte(secret)) {
		t.Error("the hash is not the secret's SHA-256")
	}
	if len(tok.ID) != 12 || tok.Name != "alice" || tok.Role != RolePlanner || !tok.Created.Equal(now) || tok.Created.Location() != time.UTC || !tok.Active() {
		t.Errorf("token = %+v, want alice's active planner token with a 12-digit id created at %v in UTC", tok, now)
	}
	spec.Scopes[0] = 1
	if tok.Scopes[0] != 520201011000 {
		t.Error("the token shares its scopes with the request")
	}
	tok2, secret2, _, err := Issue(TokenSpec{Name: "bob", Role: RoleViewer}, testCity, now)
	if err != nil || tok2.ID == tok.ID || secret2 == secret {
		t.Errorf("a second token = %+v, %v; want another id and secret", tok2, err)
	}
}

func TestCheckSpecRefusals(t *testing.T) {
	cases := []struct {
		name string
		spec TokenSpec
	}{
		{"empty name", TokenSpec{Name: " ", Role: RoleViewer}},
		{"control character", TokenSpec{Name: "a\nb", Role: RoleViewer}},
		{"long name", TokenSpec{Name: strings.Repeat("名", 101), Role: RoleViewer}},
		{"invalid UTF-8", TokenSpec{Name: "a\xffb", Role: RoleViewer}},
		{"unknown role", TokenSpec{Name: "x", Role: "root"}},
		{"planner without scope", TokenSpec{Name: "x", Role: RolePlanner}},
		{"scope not in the city", TokenSpec{Name: "x", Role: RolePlanner, Scopes: []geo.DivisionCode{110101001000}}},
		{"admin with scope", TokenSpec{Name: "x", Role: RoleAdmin, Scopes: []geo.DivisionCode{520201011000}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckSpec(tc.spec, testCity); !errors.Is(err, ErrTokenSpec) {
				t.Errorf("CheckSpec(%+v) = %v, want ErrTokenSpec", tc.spec, err)
			}
			if _, _, _, err := Issue(tc.spec, testCity, time.Now()); !errors.Is(err, ErrTokenSpec) {
				t.Errorf("Issue(%+v) = %v, want ErrTokenSpec", tc.spec, err)
			}
		})
	}
	for _, ok := range []TokenSpec{
		{Name: strings.Repeat("名", 100), Role: RoleViewer},
		{Name: "city planner", Role: RolePlanner, Scopes: []geo.DivisionCode{testCity.Code}},
		{Name: "p", Role: RolePlanner, Scopes: []geo.DivisionCode{520201011001, 520201000000}},
		{Name: "root", Role: RoleAdmin},
	} {
		if err := CheckSpec(ok, testCity); err != nil {
			t.Errorf("CheckSpec(%+v) = %v, want nil", ok, err)
		}
	}
	if err := CheckSpec(TokenSpec{Name: "p", Role: RolePlanner, Scopes: []geo.DivisionCode{520201011000}}, nil); !errors.Is(err, ErrTokenSpec) {
		t.Errorf("a scope without a city = %v, want ErrTokenSpec", err)
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
		{"root", RoleViewer, false},
	}
	for _, tc := range cases {
		if got := tc.have.Allows(tc.need); got != tc.want {
			t.Errorf("Role(%q).Allows(%q) = %v, want %v", tc.have, tc.need, got, tc.want)
		}
	}
	for _, s := range []string{"viewer", "planner", "admin"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	if _, err := ParseRole("Admin"); !errors.Is(err, ErrTokenSpec) {
		t.Errorf("ParseRole(Admin) = %v, want ErrTokenSpec", err)
	}
}

func TestInScope(t *testing.T) {
	planner := Token{Role: RolePlanner, Scopes: []geo.DivisionCode{520201011000}}
	cases := []struct {
		tok  Token
		c    geo.DivisionCode
		want bool
	}{
		{planner, 520201011001, true},
		{planner, 520201012001, false},
		{Token{Role: RoleAdmin}, 520201012001, true},
		{Token{Role: RoleViewer, Scopes: []geo.DivisionCode{520201011000}}, 520201011001, false},
	}
	for _, tc := range cases {
		if got := tc.tok.InScope(tc.c); got != tc.want {
			t.Errorf("%s %v InScope(%s) = %v, want %v", tc.tok.Role, tc.tok.Scopes, tc.c, got, tc.want)
		}
	}
}

// TestCovers checks whose divisions contain a community: an admin's
// always, a planner's and a scoped viewer's inside their scopes, an
// unscoped viewer's never.
func TestCovers(t *testing.T) {
	sub := []geo.DivisionCode{520201011000}
	cases := []struct {
		tok  Token
		c    geo.DivisionCode
		want bool
	}{
		{Token{Role: RoleAdmin}, 520201012001, true},
		{Token{Role: RolePlanner, Scopes: sub}, 520201011001, true},
		{Token{Role: RolePlanner, Scopes: sub}, 520201012001, false},
		{Token{Role: RoleViewer, Scopes: sub}, 520201011001, true},
		{Token{Role: RoleViewer, Scopes: sub}, 520201012001, false},
		{Token{Role: RoleViewer}, 520201011001, false},
		{Token{}, 520201011001, false},
	}
	for _, tc := range cases {
		if got := tc.tok.Covers(tc.c); got != tc.want {
			t.Errorf("%s %v Covers(%s) = %v, want %v", tc.tok.Role, tc.tok.Scopes, tc.c, got, tc.want)
		}
	}
}

// TestReadScopes checks which tokens read only inside scopes: a viewer's
// with scopes; planners and admins read the whole city.
func TestReadScopes(t *testing.T) {
	sub := []geo.DivisionCode{520201011000}
	cases := []struct {
		tok  Token
		want []geo.DivisionCode
	}{
		{Token{Role: RoleViewer, Scopes: sub}, sub},
		{Token{Role: RoleViewer}, nil},
		{Token{Role: RolePlanner, Scopes: sub}, nil},
		{Token{Role: RoleAdmin}, nil},
	}
	for _, tc := range cases {
		if got := tc.tok.ReadScopes(); !slices.Equal(got, tc.want) {
			t.Errorf("%s %v ReadScopes() = %v, want %v", tc.tok.Role, tc.tok.Scopes, got, tc.want)
		}
	}
	for _, tc := range []struct {
		spec TokenSpec
		ok   bool
	}{
		{TokenSpec{Name: "a", Role: RoleViewer, Scopes: sub}, true},
		{TokenSpec{Name: "b", Role: RoleViewer, Scopes: []geo.DivisionCode{110101000000}}, false},
		{TokenSpec{Name: "c", Role: RoleAdmin, Scopes: sub}, false},
	} {
		if err := CheckSpec(tc.spec, testCity); (err == nil) != tc.ok {
			t.Errorf("CheckSpec(%s with %v) = %v, want ok %v", tc.spec.Role, tc.spec.Scopes, err, tc.ok)
		}
	}
}

func TestLookupAndCheck(t *testing.T) {
	tok, secret, sum, err := Issue(TokenSpec{Name: "v", Role: RoleViewer}, testCity, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	got, ok := Lookup(secret)
	if !ok || got != sum {
		t.Fatalf("Lookup(secret) = %x, %v; want the issued hash", got, ok)
	}
	for _, bad := range []string{"", "nosuchtoken", secret[len(TokenPrefix):], TokenPrefix + strings.Repeat("a", 200)} {
		if _, ok := Lookup(bad); ok {
			t.Errorf("Lookup(%.20q) = ok, want refused unlooked", bad)
		}
	}
	if v, err := Check(sum[:], sum, tok); err != nil || v.ID != tok.ID {
		t.Errorf("Check(matching) = %+v, %v; want the token", v, err)
	}
	other := sha256.Sum256([]byte(secret + "x"))
	if _, err := Check(other[:], sum, tok); !errors.Is(err, ErrTokenUnknown) {
		t.Errorf("Check(other hash) = %v, want ErrTokenUnknown", err)
	}
	if _, err := Check(nil, sum, tok); !errors.Is(err, ErrTokenUnknown) {
		t.Errorf("Check(no hash) = %v, want ErrTokenUnknown", err)
	}
	tok.Revoked = time.Now()
	if v, err := Check(sum[:], sum, tok); !errors.Is(err, ErrTokenRevoked) || v.ID != tok.ID {
		t.Errorf("Check(revoked) = %+v, %v; want the record and ErrTokenRevoked", v, err)
	}
}
