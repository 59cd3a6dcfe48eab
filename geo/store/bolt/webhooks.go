package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gridmap/gridmap/geo/store"
	bbolt "go.etcd.io/bbolt"
)

// bucketWebhooks holds the webhooks, by ID, as JSON.
var bucketWebhooks = []byte("webhooks")

// CreateWebhook registers a webhook (see WebhookStore).
func (b *Store) CreateWebhook(_ context.Context, rawURL, secret string) (store.Webhook, error) {
	var w store.Webhook
	err := b.webhookUpdate(func(bk *bbolt.Bucket) error {
		st, err := b.state() // cached: no read transaction inside the write one
		if err != nil {
			return err
		}
		if w, err = store.NewWebhook(rawURL, secret, st.Version, time.Now()); err != nil {
			return err
		}
		return putWebhook(bk, w)
	})
	return w, err
}

// Webhooks lists the webhooks, oldest first.
func (b *Store) Webhooks(ctx context.Context) ([]store.Webhook, error) {
	out := []store.Webhook{}
	err := b.view(ctx, func(tx *bbolt.Tx) error {
		bk := tx.Bucket(bucketWebhooks)
		if bk == nil {
			return nil
		}
		return bk.ForEach(func(_, v []byte) error {
			var w store.Webhook
			if err := json.Unmarshal(v, &w); err != nil {
				return fmt.Errorf("%w: webhook: %v", store.ErrCorrupt, err)
			}
			out = append(out, w)
			return nil
		})
	})
	sortWebhooks(out)
	return out, err
}

// Webhook returns the webhook with id.
func (b *Store) Webhook(ctx context.Context, id string) (store.Webhook, error) {
	var w store.Webhook
	err := b.view(ctx, func(tx *bbolt.Tx) error {
		var err error
		w, err = getWebhook(tx.Bucket(bucketWebhooks), id)
		return err
	})
	return w, err
}

// DeleteWebhook removes the webhook with id.
func (b *Store) DeleteWebhook(_ context.Context, id string) error {
	return b.webhookUpdate(func(bk *bbolt.Bucket) error {
		if bk.Get([]byte(id)) == nil {
			return fmt.Errorf("webhook %q: %w", id, store.ErrNotFound)
		}
		return bk.Delete([]byte(id))
	})
}

// RecordDelivery stores a delivery outcome (see WebhookStore).
func (b *Store) RecordDelivery(_ context.Context, id string, v uint64, at time.Time, errText string) error {
	return b.webhookUpdate(func(bk *bbolt.Bucket) error {
		w, err := getWebhook(bk, id)
		if err != nil {
			return err
		}
		w.Record(v, at, errText)
		return putWebhook(bk, w)
	})
}

// webhookUpdate runs fn on the webhooks bucket in a write transaction.
func (b *Store) webhookUpdate(fn func(bk *bbolt.Bucket) error) error {
	return b.bucketUpdate(bucketWebhooks, fn)
}

// getWebhook decodes the webhook with id from bk (which may be nil).
func getWebhook(bk *bbolt.Bucket, id string) (store.Webhook, error) {
	var raw []byte
	if bk != nil {
		raw = bk.Get([]byte(id))
	}
	if raw == nil {
		return store.Webhook{}, fmt.Errorf("webhook %q: %w", id, store.ErrNotFound)
	}
	var w store.Webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return store.Webhook{}, fmt.Errorf("%w: webhook %q: %v", store.ErrCorrupt, id, err)
	}
	return w, nil
}

// putWebhook encodes w into bk.
func putWebhook(bk *bbolt.Bucket, w store.Webhook) error {
	raw, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return bk.Put([]byte(w.ID), raw)
}

// sortWebhooks orders webhooks by creation, then ID.
func sortWebhooks(ws []store.Webhook) {
	slices.SortFunc(ws, func(a, b store.Webhook) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
