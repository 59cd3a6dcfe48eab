package bolt

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
)

// olderStore is a store written by gridmap at commit b1e8461, before the
// store packages were split, changeset records had a format and
// checkpoints format 2, by testdata/genstore.go.txt (run in that commit's
// tree as cmd/genfixture): one community of the reference city, four
// renames by 张三, a split by 李四 (one building moved), checkpoints
// every 3 versions, a planner's token and a webhook.
const (
	olderStore       = "testdata/store-b1e8461.db.gz"
	olderSecret      = "gm_GgRSjTl2hM8_kke0VKFLuQW12mQiXlXJzb4m_zlVmeI"
	olderSplit       = "520201011003007"
	olderCommunity   = 520201011003
	olderWebhookURL  = "https://example.com/hook"
	olderVersion     = 5
	olderRenameCount = 4
)

// TestOpensOlderStore opens the store an older gridmap wrote and checks
// everything in it: versions, changesets, states rebuilt from both
// checkpoints, the token and the webhook; then commits on it and opens it
// again.
func TestOpensOlderStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	gunzipFile(t, olderStore, filepath.Join(dir, FileName))
	s, err := OpenOptions(dir, storetest.NoSeed(t), Options{NoSync: true})
	if err != nil {
		t.Fatalf("opening the older store = %v", err)
	}
	defer s.Close()
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
	tok, err := s.VerifyToken(ctx, olderSecret)
	if err != nil || tok.Name != "planner" || tok.Role != access.RolePlanner || !tok.InScope(olderCommunity) {
		t.Errorf("VerifyToken = %+v, %v; want the planner's token of community %d", tok, err, olderCommunity)
	}
	hooks, err := s.Webhooks(ctx)
	if err != nil || len(hooks) != 1 || hooks[0].URL != olderWebhookURL || hooks[0].Delivered != olderVersion {
		t.Errorf("Webhooks = %+v, %v; want %s delivered up to %d", hooks, err, olderWebhookURL, olderVersion)
	}
	storetest.AppendRenames(t, s, 1, "王五")
	want := storetest.StateHash(t, mustLoad(t, s))
	s.Close()
	s, err = OpenOptions(dir, storetest.NoSeed(t), Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening after a commit = %v", err)
	}
	defer s.Close()
	if got := mustLoad(t, s); got.Version != olderVersion+1 || storetest.StateHash(t, got) != want {
		t.Errorf("reopened after a commit: version %d, same state %v; want %d", got.Version, storetest.StateHash(t, got) == want, olderVersion+1)
	}
}

// checkReplays checks that every version's state, rebuilt from the
// checkpoint at or below it, is the base state with the changesets up to
// it replayed.
func checkReplays(t *testing.T, s *Store, css []*store.Changeset) {
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
		if storetest.StateHash(t, got) != storetest.StateHash(t, want) {
			t.Errorf("CityAt(%d) differs from the base with %d changesets replayed", v, v)
		}
	}
}

// gunzipFile writes the decompressed gzip file src to dst.
func gunzipFile(t *testing.T, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
