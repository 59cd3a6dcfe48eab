package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"
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

// A WebhookStore keeps webhooks and their delivery positions. Both
// stores (bolt.Store and pg.Store) implement it.
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
