package pg

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// lockKey is the advisory lock held while migrating and seeding.
const lockKey int64 = 0x6772_6964_6d61_70 // "gridmap"

// channel is the NOTIFY channel that carries new versions.
const channel = "gridmap_changes"

// migrations are the schema versions in order: migrations[i] makes
// version i+1. Never edit one that has shipped; append a new one.
var migrations = []string{
	`CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE head (
	id      int PRIMARY KEY CHECK (id = 1),
	version bigint NOT NULL CHECK (version >= 0),
	time    timestamptz NOT NULL,
	created timestamptz NOT NULL
);

CREATE TABLE checkpoints (
	version bigint PRIMARY KEY CHECK (version >= 0),
	time    timestamptz NOT NULL,
	city    bytea NOT NULL,
	history bytea NOT NULL
);

CREATE TABLE changesets (
	version   bigint PRIMARY KEY CHECK (version > 0),
	id        text NOT NULL UNIQUE,
	base      bigint NOT NULL CHECK (base = version - 1),
	author    text NOT NULL,
	reason    text NOT NULL,
	time      timestamptz NOT NULL,
	kind      text NOT NULL,
	unit      bigint NOT NULL,
	op        jsonb,
	changes   jsonb NOT NULL,
	moves     jsonb,
	crosswalk jsonb,
	units     text[] NOT NULL,
	grid_ids  bigint[] NOT NULL,
	codes     bigint[] NOT NULL
);
CREATE INDEX changesets_time ON changesets (time, version);
CREATE INDEX changesets_author ON changesets (author, version);
CREATE INDEX changesets_units ON changesets USING gin (units);
CREATE INDEX changesets_grid_ids ON changesets USING gin (grid_ids);
CREATE INDEX changesets_codes ON changesets USING gin (codes);

CREATE TABLE grids (
	id         bigint PRIMARY KEY,
	code       bigint NOT NULL UNIQUE,
	name       text NOT NULL,
	community  bigint NOT NULL,
	households int NOT NULL,
	buildings  int NOT NULL,
	version    bigint NOT NULL,
	geom       geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX grids_geom ON grids USING gist (geom);
CREATE INDEX grids_community ON grids (community);`,

	`CREATE TABLE tokens (
	hash    bytea PRIMARY KEY CHECK (length(hash) = 32),
	id      text NOT NULL UNIQUE,
	name    text NOT NULL,
	role    text NOT NULL CHECK (role IN ('viewer', 'planner', 'admin')),
	scopes  bigint[] NOT NULL,
	created timestamptz NOT NULL,
	revoked timestamptz
);
CREATE UNIQUE INDEX tokens_active_name ON tokens (name) WHERE revoked IS NULL;`,
}

// SchemaVersion is the schema version this package writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the schema to SchemaVersion inside tx, which must hold
// the advisory lock.
func migrate(ctx context.Context, tx pgx.Tx) error {
	const table = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    int PRIMARY KEY,
	applied_at timestamptz NOT NULL DEFAULT now()
)`
	if _, err := tx.Exec(ctx, table); err != nil {
		return fmt.Errorf("migrating: %w", err)
	}
	var have int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return fmt.Errorf("migrating: reading the schema version: %w", err)
	}
	if have > len(migrations) {
		return fmt.Errorf("migrating: %w: the database has schema version %d, this program knows %d", ErrSchema, have, len(migrations))
	}
	for v := have + 1; v <= len(migrations); v++ {
		if _, err := tx.Exec(ctx, migrations[v-1]); err != nil {
			return fmt.Errorf("migrating to schema version %d: %w", v, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v); err != nil {
			return fmt.Errorf("migrating to schema version %d: %w", v, err)
		}
	}
	return nil
}
