// Package store is what gridmap keeps durably and the rules every store
// shares: a city's base data and every accepted change to it (the
// changesets: one per accepted edit or re-coding, with author, reason,
// the operation and the changed grids before and after), checkpoints,
// and the code history.
//
// Store is the interface the server uses; it is shaped for several
// instances serving one city from a shared database: a single,
// monotonically increasing version; optimistic concurrency (Append fails
// with ErrConflict unless the changeset's base is the current version);
// Changes after a version for an instance to catch up; and Load from the
// latest checkpoint plus the changesets after it, so start-up does not
// replay all history.
//
// The policy the backends share is defined here once: Commit (what an
// appended changeset must hold, its version, commit time and id), Replay
// (what a changeset does to a state), BaseCity (a later checkpoint holds
// only the grids and the buildings moved since version 0), Filter's page
// size, the webhook rules and the changeset record with its format
// (MarshalChangeset, UnmarshalChangeset: older records still decode). The
// token policy is package access's; the stores only persist its records.
//
// The backends live beside it: geo/store/bolt (the embedded default, one
// bbolt file) and geo/store/pg (PostgreSQL with PostGIS, for several
// instances). Both pass the same conformance suite, geo/store/storetest.
package store
