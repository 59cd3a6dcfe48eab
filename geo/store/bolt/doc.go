// Package bolt is the embedded store.Store on local disk. It uses bbolt
// (go.etcd.io/bbolt), the maintained fork of BoltDB used by etcd: a pure
// Go, single-file, copy-on-write B+tree with serializable read-write
// transactions and lock-free concurrent readers, which fsyncs on every
// commit by default, so an acknowledged changeset survives a crash or
// power loss, and a crash mid-commit leaves the previous state intact.
// It needs no cgo (unlike SQLite drivers in C) and no separate process,
// and its file lock keeps a second process from opening the same store.
// Its buckets:
//
//	meta          format, version, time of the last change, checkpoint interval
//	changesets    key big-endian version -> changeset record (store.MarshalChangeset)
//	index         key big-endian version -> the fields Changes filters on
//	checkpoints   key big-endian version -> gzipped gob: the full base city at
//	              version 0 (its buildings in columns, address words listed
//	              once), later the grids the base does not hold (the others by
//	              id), moved buildings and code history
//	tokens        key SHA-256 of the secret -> the token's record (JSON)
//	webhooks      key id -> the webhook and its delivery position (JSON)
//
// A checkpoint is written in the same transaction as every
// CheckpointEvery-th changeset (200 by default).
package bolt
