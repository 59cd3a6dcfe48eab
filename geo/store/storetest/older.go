package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// What an older store holds: a store written by gridmap at commit
// b1e8461 (before the store packages were split and changeset records had
// a format) with one community of the reference city, four renames by
// 张三, a split by 李四 moving one building, checkpoints every 3 versions,
// a planner's token of the community and a webhook. Each backend keeps
// one in its testdata, written by the generator beside it.
const (
	olderSplit       = "520201011003007"
	olderCommunity   = 520201011003
	olderWebhookURL  = "https://example.com/hook"
	olderVersion     = 5
	olderRenameCount = 4
)

// CheckOlder checks everything in an older store s (see the constants
// above) whose token has the secret given: the versions, the changesets
// with their members, every version's state rebuilt from the checkpoints
// against the base with the changesets replayed, the token and the
// webhook. It then commits one rename on it and returns the state after,
// for the caller to compare after reopening.
func CheckOlder(t *testing.T, s Store, secret string) *store.State {
	t.Helper()
	ctx := context.Background()
	st, err := s.Load(ctx)
	if err != nil || st.Version != olderVersion {
		t.Fatalf("Load = version %v, %v; want %d", st, err, olderVersion)
	}
	css, err := s.Changes(ctx, store.Filter{})
	if err != nil || len(css) != olderVersion {
		t.Fatalf("Changes = %d changesets, %v; want %d", len(css), err, olderVersion)
	}
	for i, cs := range css[:olderRenameCount] {
		if cs.Version != uint64(i+1) || cs.Author != "张三" || cs.ID == "" || len(cs.Changes) != 1 {
			t.Errorf("changeset %d = %+v, want a rename by 张三", i+1, cs)
		}
	}
	split := css[olderVersion-1]
	op, err := edit.ParseOp(split.Op)
	if split.Author != "李四" || len(split.Moves) != 1 || err != nil || op.Kind != edit.KindSplit || op.Grid.String() != olderSplit {
		t.Errorf("changeset %d = %s by %s with %d moves, op %v %v (%v); want the split of %s by 李四 moving 1 building",
			olderVersion, split.Kind, split.Author, len(split.Moves), op.Kind, op.Grid, err, olderSplit)
	}
	checkReplays(t, s, css)
	renamed, err := s.CityAt(ctx, olderRenameCount)
	if err != nil {
		t.Fatal(err)
	}
	for i := range olderRenameCount {
		if g := renamed.City.Grids[i]; g.Name != fmt.Sprintf("rename-%d", i+1) {
			t.Errorf("grid %s at version %d is named %q, want rename-%d", g.Code, olderRenameCount, g.Name, i+1)
		}
	}
	tok, err := s.VerifyToken(ctx, secret)
	if err != nil || tok.Name != "planner" || tok.Role != access.RolePlanner || !tok.InScope(olderCommunity) {
		t.Errorf("VerifyToken = %+v, %v; want the planner's token of community %d", tok, err, olderCommunity)
	}
	hooks, err := s.Webhooks(ctx)
	if err != nil || len(hooks) != 1 || hooks[0].URL != olderWebhookURL || hooks[0].Delivered != olderVersion {
		t.Errorf("Webhooks = %+v, %v; want %s delivered up to %d", hooks, err, olderWebhookURL, olderVersion)
	}
	AppendRenames(t, s, 1, "王五")
	after, err := s.Load(ctx)
	if err != nil || after.Version != olderVersion+1 {
		t.Fatalf("Load after a commit = %v, %v; want version %d", after, err, olderVersion+1)
	}
	return after
}

// checkReplays checks that every version's state, rebuilt from the
// checkpoint at or below it, is the base state with the changesets up to
// it replayed.
func checkReplays(t *testing.T, s Store, css []*store.Changeset) {
	t.Helper()
	ctx := context.Background()
	base, err := s.CityAt(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= len(css); v++ {
		got, err := s.CityAt(ctx, uint64(v))
		if err != nil {
			t.Fatalf("CityAt(%d) = %v", v, err)
		}
		want, err := store.Replay(base, css[:v]...)
		if err != nil {
			t.Fatal(err)
		}
		if StateHash(t, got) != StateHash(t, want) {
			t.Errorf("CityAt(%d) differs from the base with %d changesets replayed", v, v)
		}
	}
}
