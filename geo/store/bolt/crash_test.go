package bolt

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
)

// crashDirEnv names the store directory of the crash test's child.
const crashDirEnv = "GRIDMAP_STORE_CRASH_DIR"

// TestCrashChild is the child process of TestCrashDurability: it appends
// rename changesets without end, printing "ack N" after each Append
// returns, until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("the child of TestCrashDurability")
	}
	ctx := context.Background()
	b, err := OpenOptions(dir, seedCity, Options{CheckpointEvery: 7})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(3)
	}
	for {
		st, err := b.Load(ctx)
		if err == nil {
			err = b.Append(ctx, storetest.RenameChangeset(st, st.Version+1, "crash"))
		}
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Printf("ack %d\n", st.Version+1)
	}
}

// TestCrashDurability runs a child that appends changesets, SIGKILLs it
// at a random moment, reopens the store and checks that every
// acknowledged changeset is there, that each stored one is whole and as
// the child wrote it, and that the state replays; three times over.
func TestCrashDurability(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t), 11))
	dir := t.TempDir()
	b, err := OpenOptions(dir, seedCity, Options{CheckpointEvery: 7})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	for round := range 3 {
		acked := runAndKill(t, dir, time.Duration(100+rng.IntN(900))*time.Millisecond)
		checkAfterCrash(t, dir, acked)
		t.Logf("round %d: %d changesets acknowledged before SIGKILL", round, acked)
	}
}

// runAndKill starts the child, waits for its first acknowledgement and
// then for after, SIGKILLs it and returns the last version it acknowledged.
func runAndKill(t *testing.T, dir string, after time.Duration) uint64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acks := make(chan uint64, 1<<16)
	done := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if v, ok := strings.CutPrefix(line, "ack "); ok {
				n, _ := strconv.ParseUint(v, 10, 64)
				acks <- n
			} else if strings.HasPrefix(line, "error") {
				done <- errors.New(line)
				return
			}
		}
		done <- sc.Err()
	}()
	var last uint64
	select {
	case last = <-acks:
	case err := <-done:
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child ended before acknowledging: %v", err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child acknowledged nothing in 60 s")
	}
	time.Sleep(after)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil && !errors.Is(err, os.ErrClosed) {
		t.Logf("reading the child: %v", err)
	}
	cmd.Wait()
	close(acks)
	for v := range acks {
		last = max(last, v)
	}
	return last
}

// checkAfterCrash reopens the store and checks it against the child's
// acknowledgements.
func checkAfterCrash(t *testing.T, dir string, acked uint64) {
	t.Helper()
	ctx := context.Background()
	b, err := OpenOptions(dir, nil, Options{CheckpointEvery: 7})
	if err != nil {
		t.Fatalf("reopening after SIGKILL: %v", err)
	}
	defer b.Close()
	st, err := b.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Version < acked {
		t.Fatalf("store at version %d after SIGKILL, but the child acknowledged %d", st.Version, acked)
	}
	if st.Version > acked+1 {
		t.Errorf("store at version %d, more than one past the last acknowledgement %d", st.Version, acked)
	}
	all := allChanges(t, b)
	for i, cs := range all {
		d, err := cs.Delta()
		if err != nil || cs.Version != uint64(i+1) || len(d.Changes) != 1 {
			t.Fatalf("changeset %d: version %d, %v", i+1, cs.Version, err)
		}
		if name := d.Changes[0].After.Name; name != fmt.Sprintf("rename-%d", cs.Version) {
			t.Errorf("changeset %d renames to %q, want rename-%d", cs.Version, name, cs.Version)
		}
	}
	if uint64(len(all)) != st.Version {
		t.Errorf("%d changesets stored, version %d", len(all), st.Version)
	}
	if _, err := b.Changeset(ctx, st.Version+1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a changeset past the version: %v", err)
	}
	g := st.City.Grids[int(st.Version)%len(st.City.Grids)]
	if st.Version > 0 && g.Name != fmt.Sprintf("rename-%d", st.Version) {
		t.Errorf("the state does not hold the last changeset: grid %s is %q", g.Code, g.Name)
	}
}

// allChanges lists every changeset, page by page.
func allChanges(t testing.TB, b *Store) []*store.Changeset {
	t.Helper()
	var all []*store.Changeset
	for {
		page, err := b.Changes(context.Background(), store.Filter{After: uint64(len(all)), Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return all
		}
		all = append(all, page...)
	}
}

// testSeed returns SEED from the environment or a fixed default, logged.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(20240607)
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with SEED=%d)", seed, seed)
	return seed
}
