package pg

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/jackc/pgx/v5"
)

// webhookSchema is the webhooks table, created on first use (IF NOT
// EXISTS, so instances sharing a database agree).
const webhookSchema = `CREATE TABLE IF NOT EXISTS webhooks (
	id           text PRIMARY KEY,
	url          text NOT NULL,
	secret       text NOT NULL,
	created      timestamptz NOT NULL,
	delivered    bigint NOT NULL,
	attempts     integer NOT NULL DEFAULT 0,
	last_error   text NOT NULL DEFAULT '',
	last_attempt timestamptz,
	last_success timestamptz
)`

// webhookColumns are the columns scanWebhook reads, in order.
const webhookColumns = `id, url, secret, created, delivered, attempts, last_error, last_attempt, last_success`

// A webhookTable remembers that the webhooks table exists.
type webhookTable struct {
	mu    sync.Mutex
	ready bool
}

// webhooksReady creates the webhooks table on first use.
func (s *Store) webhooksReady(ctx context.Context) error {
	s.webhooks.mu.Lock()
	defer s.webhooks.mu.Unlock()
	if s.webhooks.ready {
		return nil
	}
	if _, err := s.pool.Exec(ctx, webhookSchema); err != nil {
		return fmt.Errorf("creating the webhooks table: %w", err)
	}
	s.webhooks.ready = true
	return nil
}

// CreateWebhook registers a receiver of the versions after the current
// one (see store.WebhookStore).
func (s *Store) CreateWebhook(ctx context.Context, url, secret string) (store.Webhook, error) {
	if err := s.webhooksReady(ctx); err != nil {
		return store.Webhook{}, err
	}
	cur, err := s.Version(ctx)
	if err != nil {
		return store.Webhook{}, err
	}
	w, err := store.NewWebhook(url, secret, cur, s.opts.Now())
	if err != nil {
		return store.Webhook{}, err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO webhooks (id, url, secret, created, delivered) VALUES ($1, $2, $3, $4, $5)`,
		w.ID, w.URL, w.Secret, w.Created, int64(w.Delivered))
	if err != nil {
		return store.Webhook{}, fmt.Errorf("creating webhook: %w", err)
	}
	return w, nil
}

// Webhooks lists the webhooks, oldest first.
func (s *Store) Webhooks(ctx context.Context) ([]store.Webhook, error) {
	if err := s.webhooksReady(ctx); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+webhookColumns+` FROM webhooks ORDER BY created, id`)
	if err != nil {
		return nil, fmt.Errorf("listing webhooks: %w", err)
	}
	out := []store.Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// Webhook returns the webhook with id.
func (s *Store) Webhook(ctx context.Context, id string) (store.Webhook, error) {
	if err := s.webhooksReady(ctx); err != nil {
		return store.Webhook{}, err
	}
	w, err := scanWebhook(s.pool.QueryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Webhook{}, fmt.Errorf("webhook %q: %w", id, store.ErrNotFound)
	}
	return w, err
}

// DeleteWebhook removes the webhook with id.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	if err := s.webhooksReady(ctx); err != nil {
		return err
	}
	tag, err := s.pool.Exec(ctx, `DELETE FROM webhooks WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("deleting webhook: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("webhook %q: %w", id, store.ErrNotFound)
	}
	return nil
}

// RecordDelivery stores a delivery outcome (see store.WebhookStore). The
// row is locked while it is read and written, so instances recording at
// once never move the position backwards.
func (s *Store) RecordDelivery(ctx context.Context, id string, v uint64, at time.Time, errText string) error {
	if err := s.webhooksReady(ctx); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		w, err := scanWebhook(tx.QueryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("webhook %q: %w", id, store.ErrNotFound)
		}
		if err != nil {
			return err
		}
		w.Record(v, at, errText)
		_, err = tx.Exec(ctx, `UPDATE webhooks SET delivered = $2, attempts = $3, last_error = $4, last_attempt = $5, last_success = $6 WHERE id = $1`,
			id, int64(w.Delivered), w.Attempts, w.LastError, nullTime(w.LastAttempt), nullTime(w.LastSuccess))
		return err
	})
}

// scanWebhook reads one row of webhookColumns.
func scanWebhook(row pgx.Row) (store.Webhook, error) {
	var w store.Webhook
	var delivered int64
	var lastAttempt, lastSuccess *time.Time
	if err := row.Scan(&w.ID, &w.URL, &w.Secret, &w.Created, &delivered, &w.Attempts, &w.LastError, &lastAttempt, &lastSuccess); err != nil {
		return store.Webhook{}, err
	}
	w.Delivered = uint64(delivered)
	w.Created = w.Created.UTC()
	if lastAttempt != nil {
		w.LastAttempt = lastAttempt.UTC()
	}
	if lastSuccess != nil {
		w.LastSuccess = lastSuccess.UTC()
	}
	return w, nil
}

// nullTime is nil for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
