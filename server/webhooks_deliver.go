package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/prometheus/client_golang/prometheus"
)

// Webhook delivery settings.
const (
	defaultWebhookMinBackoff = time.Second
	defaultWebhookMaxBackoff = 5 * time.Minute
	// webhookTimeout bounds one delivery.
	webhookTimeout = 10 * time.Second
	// webhookPoll is how often the outbox is read without a wake-up, to
	// pick up webhooks registered on other instances.
	webhookPoll = 30 * time.Second
	// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256 of
	// "<t>.<body>" keyed with the webhook's secret>".
	SignatureHeader = "X-Gridmap-Signature"
)

// WithWebhookBackoff sets the retry back-off of failed webhook
// deliveries: min after the first failure, doubling up to max.
func WithWebhookBackoff(min, max time.Duration) Option {
	return func(s *Server) { s.hooks.minBackoff, s.hooks.maxBackoff = min, max }
}

// A hookDispatcher delivers the changesets to the webhooks from the
// store's outbox: each webhook's position (the last version it
// acknowledged) is read from the store, the versions after it are sent in
// order, and the position is stored after each success. A failure is
// retried with exponential back-off computed from the stored attempts, so
// a restart resumes where delivery stood.
type hookDispatcher struct {
	minBackoff, maxBackoff time.Duration
	client                 *http.Client
	wakeCh                 chan struct{}
	deliveries             *prometheus.CounterVec
	lag                    *prometheus.GaugeVec
}

// init prepares the dispatcher and registers its metrics.
func (d *hookDispatcher) init(reg *prometheus.Registry) {
	if d.minBackoff <= 0 {
		d.minBackoff = defaultWebhookMinBackoff
	}
	if d.maxBackoff < d.minBackoff {
		d.maxBackoff = max(d.minBackoff, defaultWebhookMaxBackoff)
	}
	d.wakeCh = make(chan struct{}, 1)
	d.client = &http.Client{Timeout: webhookTimeout,
		// Deliveries go to the registered URL only: a redirect is a failure.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	d.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gridmap_webhook_deliveries_total",
		Help: "Webhook delivery attempts by result (ok, failed)."}, []string{"result"})
	d.lag = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "gridmap_webhook_lag_versions",
		Help: "Versions committed but not yet acknowledged, per webhook."}, []string{"webhook"})
	reg.MustRegister(d.deliveries, d.lag)
}

// wake asks the dispatcher to read the outbox now.
func (d *hookDispatcher) wake() {
	select {
	case d.wakeCh <- struct{}{}:
	default:
	}
}

// nextAttempt returns when a webhook that failed may be tried again
// (zero when it has not failed).
func (d *hookDispatcher) nextAttempt(w store.Webhook) time.Time {
	if w.Attempts == 0 {
		return time.Time{}
	}
	b := d.maxBackoff
	if w.Attempts < 30 {
		b = min(d.minBackoff<<(w.Attempts-1), d.maxBackoff)
	}
	return w.LastAttempt.Add(b)
}

// startWebhooks runs the dispatcher until ctx ends; the returned
// function stops it and waits.
func (s *Server) startWebhooks(ctx context.Context) (stop func()) {
	ws, ok := s.store.(store.WebhookStore)
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			next := s.deliverDue(ctx, ws)
			wait := webhookPoll
			if !next.IsZero() {
				wait = min(wait, max(time.Until(next), 10*time.Millisecond))
			}
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-s.hooks.wakeCh:
			case <-timer.C:
			}
			timer.Stop()
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// deliverDue delivers what every due webhook lacks and returns the
// earliest time a failed one may be tried again (zero for none).
func (s *Server) deliverDue(ctx context.Context, ws store.WebhookStore) time.Time {
	hooks, err := ws.Webhooks(ctx)
	if err != nil {
		s.log.Warn("webhooks: reading the outbox", "err", err)
		return time.Now().Add(s.hooks.minBackoff)
	}
	head, err := s.store.Version(ctx)
	if err != nil {
		s.log.Warn("webhooks: reading the version", "err", err)
		return time.Now().Add(s.hooks.minBackoff)
	}
	var next time.Time
	for _, w := range hooks {
		if ctx.Err() != nil {
			return next
		}
		if due := s.hooks.nextAttempt(w); w.Delivered < head && due.After(time.Now()) {
			next = earliest(next, due)
		} else if w.Delivered < head {
			if at := s.deliverWebhook(ctx, ws, w, head); !at.IsZero() {
				next = earliest(next, at)
			}
		}
		if cur, err := ws.Webhook(ctx, w.ID); err == nil {
			s.hooks.lag.WithLabelValues(w.ID).Set(float64(head - min(head, cur.Delivered)))
		}
	}
	return next
}

// deliverWebhook sends w the versions after its position up to head, in
// order, stopping at the first failure; it returns when to try again
// after a failure (zero when all were delivered).
func (s *Server) deliverWebhook(ctx context.Context, ws store.WebhookStore, w store.Webhook, head uint64) time.Time {
	err := s.feedHistory(ctx, w.Delivered, head, func(ev encodedEvent) error {
		derr := s.postWebhook(ctx, w, ev)
		msg := ""
		result := "ok"
		if derr != nil {
			msg, result = derr.Error(), "failed"
		}
		s.hooks.deliveries.WithLabelValues(result).Inc()
		if rerr := ws.RecordDelivery(ctx, w.ID, ev.version, time.Now(), msg); rerr != nil {
			return rerr
		}
		if derr != nil {
			w.Record(ev.version, time.Now(), msg)
			s.log.Info("webhook delivery failed", "webhook", w.ID, "version", ev.version, "attempts", w.Attempts, "err", derr)
		}
		return derr
	})
	if err != nil {
		if cur, gerr := ws.Webhook(ctx, w.ID); gerr == nil {
			return s.hooks.nextAttempt(cur)
		}
		return time.Now().Add(s.hooks.minBackoff)
	}
	return time.Time{}
}

// postWebhook sends one event to w's URL, signed; any answer but 2xx is a
// failure.
func (s *Server) postWebhook(ctx context.Context, w store.Webhook, ev encodedEvent) error {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(ev.data))
	if err != nil {
		return fmt.Errorf("building the request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "gridmap-webhook")
	req.Header.Set("X-Gridmap-Event", "changeset")
	req.Header.Set("X-Gridmap-Version", eventID(ev.version))
	req.Header.Set("X-Gridmap-Webhook", w.ID)
	req.Header.Set(SignatureHeader, "t="+ts+",v1="+Sign(w.Secret, ts, ev.data))
	resp, err := s.hooks.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

// Sign returns the hex HMAC-SHA256, keyed with secret, of timestamp, a
// dot and body: what SignatureHeader's v1 carries. Receivers recompute it
// and compare in constant time (hmac.Equal), and refuse old timestamps.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// earliest returns the earlier of a and b, ignoring a zero a.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
