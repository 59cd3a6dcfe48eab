package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// ErrWebhookSpec is returned (wrapped) for a webhook that cannot be
// registered: a URL that is not absolute http(s), or a secret too short
// or too long.
var ErrWebhookSpec = errors.New("store: invalid webhook")

// Limits of a webhook's registration.
const (
	MinWebhookSecret = 16
	MaxWebhookSecret = 256
	maxWebhookURL    = 2048
)

// A Webhook is a receiver of changesets: every version after Delivered is
// sent to URL, signed with Secret, in order. Delivered advances only
// after the receiver acknowledged, so the store is the durable outbox: a
// restart resumes from it and loses nothing.
type Webhook struct {
	ID      string    `json:"id"`
	URL     string    `json:"url"`
	Secret  string    `json:"secret"`
	Created time.Time `json:"created"`
	// Delivered is the last version the receiver acknowledged (the
	// version current when the webhook was registered, at first).
	Delivered uint64 `json:"delivered"`
	// Attempts counts the failed attempts at version Delivered+1;
	// LastError and LastAttempt describe the last one.
	Attempts    int       `json:"attempts"`
	LastError   string    `json:"last_error,omitempty"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// LastSuccess is when a delivery last succeeded.
	LastSuccess time.Time `json:"last_success,omitzero"`
}

// A WebhookStore keeps webhooks and their delivery positions. Bolt and
// pgstore.Store implement it.
type WebhookStore interface {
	// CreateWebhook registers a receiver of the versions after the
	// current one and returns it with its ID.
	CreateWebhook(ctx context.Context, url, secret string) (Webhook, error)
	// Webhooks lists the webhooks, oldest first.
	Webhooks(ctx context.Context) ([]Webhook, error)
	// Webhook returns one (ErrNotFound when there is none with id).
	Webhook(ctx context.Context, id string) (Webhook, error)
	// DeleteWebhook removes one (ErrNotFound when there is none).
	DeleteWebhook(ctx context.Context, id string) error
	// RecordDelivery stores the outcome of delivering version v to the
	// webhook: on success Delivered becomes v (never lower) and the
	// attempts reset; on failure (errText not empty) Attempts grows.
	RecordDelivery(ctx context.Context, id string, v uint64, at time.Time, errText string) error
}

// A WebhookSpecError says which part of a webhook's registration is at
// fault: Field is "url" or "secret".
type WebhookSpecError struct {
	Field, Reason string
}

// Error returns "store: invalid webhook: field: reason".
func (e *WebhookSpecError) Error() string {
	return ErrWebhookSpec.Error() + ": " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrWebhookSpec) true.
func (e *WebhookSpecError) Is(target error) bool { return target == ErrWebhookSpec }

// CheckWebhook validates a webhook's URL (absolute http or https, a host,
// no credentials, no fragment) and secret (MinWebhookSecret to
// MaxWebhookSecret bytes of UTF-8); a fault is a *WebhookSpecError.
func CheckWebhook(rawURL, secret string) error {
	bad := func(field, format string, args ...any) error {
		return &WebhookSpecError{Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	u, err := url.Parse(rawURL)
	switch {
	case len(rawURL) > maxWebhookURL:
		return bad("url", "longer than %d bytes", maxWebhookURL)
	case err != nil:
		return bad("url", "%v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("url", "scheme %q, want http or https", u.Scheme)
	case u.Host == "" || u.Hostname() == "":
		return bad("url", "no host")
	case u.User != nil:
		return bad("url", "credentials in a URL are not kept; the secret signs the deliveries")
	case u.Fragment != "":
		return bad("url", "a fragment is never sent")
	case len(secret) < MinWebhookSecret || len(secret) > MaxWebhookSecret || !utf8.ValidString(secret):
		return bad("secret", "want %d to %d bytes of text, got %d", MinWebhookSecret, MaxWebhookSecret, len(secret))
	}
	return nil
}

// NewWebhook builds a webhook record after CheckWebhook: a random ID,
// delivered up to version current.
func NewWebhook(rawURL, secret string, current uint64, now time.Time) (Webhook, error) {
	if err := CheckWebhook(rawURL, secret); err != nil {
		return Webhook{}, err
	}
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return Webhook{}, fmt.Errorf("creating webhook: %w", err)
	}
	return Webhook{ID: "wh_" + hex.EncodeToString(r[:]), URL: rawURL, Secret: secret,
		Created: now.UTC().Truncate(time.Microsecond), Delivered: current}, nil
}

// Record applies a delivery outcome to w (see RecordDelivery).
func (w *Webhook) Record(v uint64, at time.Time, errText string) {
	at = at.UTC().Truncate(time.Microsecond)
	w.LastAttempt = at
	if errText == "" {
		w.Delivered, w.Attempts, w.LastError, w.LastSuccess = max(w.Delivered, v), 0, "", at
		return
	}
	if v == w.Delivered+1 {
		w.Attempts++
	}
	w.LastError = errText
}

// bucketWebhooks holds the webhooks, by ID, as JSON.
var bucketWebhooks = []byte("webhooks")

// CreateWebhook registers a webhook (see WebhookStore).
func (b *Bolt) CreateWebhook(_ context.Context, rawURL, secret string) (Webhook, error) {
	var w Webhook
	err := b.webhookUpdate(func(bk *bolt.Bucket) error {
		st, err := b.state() // cached: no read transaction inside the write one
		if err != nil {
			return err
		}
		if w, err = NewWebhook(rawURL, secret, st.Version, time.Now()); err != nil {
			return err
		}
		return putWebhook(bk, w)
	})
	return w, err
}

// Webhooks lists the webhooks, oldest first.
func (b *Bolt) Webhooks(ctx context.Context) ([]Webhook, error) {
	out := []Webhook{}
	err := b.view(ctx, func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketWebhooks)
		if bk == nil {
			return nil
		}
		return bk.ForEach(func(_, v []byte) error {
			var w Webhook
			if err := json.Unmarshal(v, &w); err != nil {
				return fmt.Errorf("%w: webhook: %v", ErrCorrupt, err)
			}
			out = append(out, w)
			return nil
		})
	})
	sortWebhooks(out)
	return out, err
}

// Webhook returns the webhook with id.
func (b *Bolt) Webhook(ctx context.Context, id string) (Webhook, error) {
	var w Webhook
	err := b.view(ctx, func(tx *bolt.Tx) error {
		var err error
		w, err = getWebhook(tx.Bucket(bucketWebhooks), id)
		return err
	})
	return w, err
}

// DeleteWebhook removes the webhook with id.
func (b *Bolt) DeleteWebhook(_ context.Context, id string) error {
	return b.webhookUpdate(func(bk *bolt.Bucket) error {
		if bk.Get([]byte(id)) == nil {
			return fmt.Errorf("webhook %q: %w", id, ErrNotFound)
		}
		return bk.Delete([]byte(id))
	})
}

// RecordDelivery stores a delivery outcome (see WebhookStore).
func (b *Bolt) RecordDelivery(_ context.Context, id string, v uint64, at time.Time, errText string) error {
	return b.webhookUpdate(func(bk *bolt.Bucket) error {
		w, err := getWebhook(bk, id)
		if err != nil {
			return err
		}
		w.Record(v, at, errText)
		return putWebhook(bk, w)
	})
}

// webhookUpdate runs fn on the webhooks bucket in a write transaction.
func (b *Bolt) webhookUpdate(fn func(bk *bolt.Bucket) error) error {
	return b.bucketUpdate(bucketWebhooks, fn)
}

// getWebhook decodes the webhook with id from bk (which may be nil).
func getWebhook(bk *bolt.Bucket, id string) (Webhook, error) {
	var raw []byte
	if bk != nil {
		raw = bk.Get([]byte(id))
	}
	if raw == nil {
		return Webhook{}, fmt.Errorf("webhook %q: %w", id, ErrNotFound)
	}
	var w Webhook
	if err := json.Unmarshal(raw, &w); err != nil {
		return Webhook{}, fmt.Errorf("%w: webhook %q: %v", ErrCorrupt, id, err)
	}
	return w, nil
}

// putWebhook encodes w into bk.
func putWebhook(bk *bolt.Bucket, w Webhook) error {
	raw, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return bk.Put([]byte(w.ID), raw)
}

// sortWebhooks orders webhooks by creation, then ID.
func sortWebhooks(ws []Webhook) {
	slices.SortFunc(ws, func(a, b Webhook) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}
