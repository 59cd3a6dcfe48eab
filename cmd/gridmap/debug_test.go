package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestServeDebug checks that --debug-addr serves a heap profile and that
// an address that cannot be listened on is an error naming the flag.
func TestServeDebug(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	addr, err := serveDebug(ctx, "127.0.0.1:0", log)
	if err != nil {
		t.Fatal(err)
	}
	r, err := http.Get("http://" + addr.String() + "/debug/pprof/heap")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusOK || len(body) == 0 {
		t.Errorf("GET /debug/pprof/heap = %d, %d bytes", r.StatusCode, len(body))
	}
	if _, err := serveDebug(ctx, addr.String(), log); err == nil || !strings.Contains(err.Error(), "--debug-addr") {
		t.Errorf("a busy address = %v, want an error naming --debug-addr", err)
	}
	if a, err := serveDebug(ctx, "", log); a != nil || err != nil {
		t.Errorf(`serveDebug("") = %v, %v, want nothing`, a, err)
	}
}
