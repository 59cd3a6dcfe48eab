package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

// Errors of the store.
var (
	// ErrConflict is matched by a *ConflictError: a changeset's base is
	// not the current version (another edit was committed meanwhile).
	ErrConflict = errors.New("store: base version is not the current version")
	// ErrNotFound is returned (wrapped) for a version or changeset that
	// does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrInvalid is returned (wrapped) for a changeset that cannot be
	// stored: no author, no change, or changes that do not fit the city.
	ErrInvalid = errors.New("store: invalid changeset")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("store: closed")
	// ErrCorrupt is returned (wrapped) when stored data does not decode.
	ErrCorrupt = errors.New("store: corrupt data")
)

// A ConflictError reports a stale base: the changeset was computed on Base
// but the store is at Current. The caller lists Changes after Base to
// show what changed meanwhile.
type ConflictError struct {
	Base, Current uint64
}

// Error describes the conflict.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: base %d, current %d", ErrConflict, e.Base, e.Current)
}

// Is makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// TokenNotFound is the error of revoking ref when no token has that id
// or active name: it matches ErrNotFound.
func TokenNotFound(ref string) error {
	return fmt.Errorf("%w: no token with id or name %q", ErrNotFound, access.Clip(ref))
}

// A State is the city at one version with its code history. A State
// returned by a Store is shared: treat it as read-only (Clone the History
// before recording into it).
type State struct {
	// Version is the number of changesets applied to the base data.
	Version uint64
	// Time is when Version was committed (the store's creation for 0).
	Time time.Time
	// City is the data at Version.
	City *geo.City
	// History records every grid code and id ever used.
	History *edit.CodeHistory
}

// A Filter selects changesets. Zero fields do not filter.
type Filter struct {
	// After and Before bound the versions: After < version < Before.
	After, Before uint64
	// Unit keeps changesets in this unit: a community, or any unit above
	// it (a subdistrict's code selects all its communities).
	Unit geo.DivisionCode
	// Author keeps one author's changesets.
	Author string
	// Since and Until bound the commit time: Since <= time < Until.
	Since, Until time.Time
	// Grid keeps changesets that changed the grid with this id; Code those
	// where a changed grid had or got this code.
	Grid geo.GridID
	Code geo.GridCode
	// Limit caps the result: default 100, at most 1000.
	Limit int
	// Desc lists newest first; page on with Before = the last version.
	Desc bool
}

// Limits on listing.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// PageSize returns the filter's effective limit: Limit, or 100 when it
// is not positive, and at most 1000.
func (f Filter) PageSize() int {
	switch {
	case f.Limit <= 0:
		return defaultLimit
	case f.Limit > maxLimit:
		return maxLimit
	}
	return f.Limit
}

// A Store keeps the base data and its changesets. Implementations are
// safe for concurrent use.
type Store interface {
	// Load returns the latest state.
	Load(ctx context.Context) (*State, error)
	// Version returns the current version.
	Version(ctx context.Context) (uint64, error)
	// Append commits cs on top of version cs.Base, durably, and sets
	// cs.Version (Base+1), cs.ID (when empty) and cs.Time. It fails with
	// a *ConflictError when Base is not the current version.
	Append(ctx context.Context, cs *Changeset) error
	// AppendNext is Append for a caller that has applied cs to the state
	// at cs.Base itself: next is the city that made (edit.Result.Next),
	// and becomes the store's state of the new version, shared with the
	// caller, instead of the store applying cs a second time (see
	// Advance). A stale base is still a *ConflictError and a changeset
	// that does not fit the store's state ErrInvalid. next nil is Append.
	AppendNext(ctx context.Context, cs *Changeset, next *geo.City) error
	// Changes lists changesets matching f, oldest first unless f.Desc.
	Changes(ctx context.Context, f Filter) ([]*Changeset, error)
	// Changeset returns the changeset that made version v.
	Changeset(ctx context.Context, v uint64) (*Changeset, error)
	// CityAt returns the state at version v (0 is the base data).
	CityAt(ctx context.Context, v uint64) (*State, error)
	// VersionAt returns the version current at time t: the last one
	// committed at or before t (0 before any).
	VersionAt(ctx context.Context, t time.Time) (uint64, error)
	// Checkpoint stores st so later loads start from it. st must be a
	// state of this store (for example from CityAt).
	Checkpoint(ctx context.Context, st *State) error
	// Close releases the store.
	Close() error
}

// CheckAppend refuses, with ErrInvalid, a changeset no store appends:
// one without an author or changes.
func CheckAppend(cs *Changeset) error {
	if cs == nil || cs.Author == "" || len(cs.Changes) == 0 {
		return fmt.Errorf("appending: %w: a changeset needs an author and changes", ErrInvalid)
	}
	return nil
}

// Commit returns the record of cs as a store commits it on top of the
// current version head, committed at headTime: version head+1, the time
// now (never before headTime, so commit times never decrease) and a new
// random ID unless cs has one. It refuses, with ErrInvalid, a changeset
// without an author or changes, and, with a *ConflictError, one whose
// base is not head. cs is not modified.
func Commit(cs *Changeset, head uint64, headTime, now time.Time) (*Changeset, error) {
	if err := CheckAppend(cs); err != nil {
		return nil, err
	}
	if cs.Base != head {
		return nil, &ConflictError{Base: cs.Base, Current: head}
	}
	stored := *cs
	stored.Version = head + 1
	stored.Time = now.UTC()
	if headTime = headTime.UTC(); stored.Time.Before(headTime) {
		stored.Time = headTime
	}
	if stored.ID == "" {
		var r [8]byte
		_, _ = rand.Read(r[:])
		stored.ID = hex.EncodeToString(r[:])
	}
	return &stored, nil
}
