// Package pg implements store.Store on PostgreSQL 15 with PostGIS 3,
// for several gridmap instances serving one city from one database.
//
// # Schema
//
// Open migrates the database (versioned in schema_migrations, each
// migration in one transaction under an advisory lock, so instances
// starting together do not race) and, on first use, stores the seed city
// as version 0:
//
//	head         one row: the current version, its commit time, creation time
//	checkpoints  version -> city (gzipped gob: the whole city at 0, later the
//	             grids and the buildings moved since 0), history (gzipped JSON)
//	changesets   version, id, base, author, reason, time, kind, unit, op,
//	             changes (the grids before and after as GeoJSON), moves and
//	             crosswalk (jsonb); units (the changed community and every
//	             unit above it, text[]), grid_ids and codes (bigint[]), all
//	             indexed for Changes
//	grids        the current grids: id, code, name, community, households,
//	             buildings, the version that last wrote it, and
//	             geom geometry(MultiPolygon, 4326) with a GiST index
//	tokens       access tokens: the secret's SHA-256 hash, id, name, role,
//	             scopes, created, revoked; one active token per name
//
// The grids table is kept in step with head inside every Append's
// transaction, so other systems can query the live partition in SQL:
//
//	SELECT code FROM grids
//	WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(104.83, 26.59), 4326));
//
// # Writes
//
// Append locks the head row (SELECT ... FOR UPDATE), which serialises
// writers across instances; a base that is not the head's version fails
// with a *store.ConflictError. It replays the changeset onto the state at
// the base (so one that does not fit is refused with store.ErrInvalid),
// then inserts it, moves head, rewrites the changed grids, writes a
// checkpoint every Options.CheckpointEvery versions and sends
// NOTIFY gridmap_changes '<version>', all in one transaction committed
// with synchronous_commit (PostgreSQL's default), so an acknowledged
// changeset is durable.
//
// # Reads and other instances
//
// Each Store keeps the latest state it has built in memory. Load and
// Version read head (one round trip); when another instance has moved it,
// Load catches up by replaying the changesets after its state, or from a
// newer checkpoint. Watch reports new versions as they are committed,
// from a dedicated LISTEN connection; notifications sent while that
// connection is down are lost, so after every (re)connection Watch reads
// head and reports it.
//
// Geometry crosses into PostGIS as EWKB (paulmach/orb/encoding/ewkb),
// written with ST_GeomFromEWKB and read with ST_AsEWKB.
package pg
