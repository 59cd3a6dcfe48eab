package bolt

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
)

// TestTokenFileHoldsNoSecret checks that the store file keeps only a
// token's hash: neither the secret nor its random part is in it.
func TestTokenFileHoldsNoSecret(t *testing.T) {
	s, dir := openTemp(t, Options{NoSync: true})
	_, secret, err := s.CreateToken(context.Background(), access.TokenSpec{Name: "alice", Role: access.RoleViewer})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"name":"alice"`)) {
		t.Fatal("the store file does not hold the token's record, so the check below proves nothing")
	}
	if bytes.Contains(data, []byte(strings.TrimPrefix(secret, access.TokenPrefix))) {
		t.Error("the store file holds the token's secret, want only its hash")
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
