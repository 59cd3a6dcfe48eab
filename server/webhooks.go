package server

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo/store"
)

// errNoWebhooks is returned by the webhook routes when the store keeps
// no webhooks (503, as without a store).
var errNoWebhooks = fmt.Errorf("%w: it keeps no webhooks", ErrNoStore)

// registerWebhooks registers the webhook routes (admins only) and wakes
// the dispatcher on every published version.
func (s *Server) registerWebhooks() error {
	s.hooks.init(s.metrics.reg)
	s.feed.listeners = append(s.feed.listeners, func(uint64) { s.hooks.wake() })
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/v1/webhooks", s.handleWebhooks},
		{http.MethodPost, "/v1/webhooks", s.handleCreateWebhook},
		{http.MethodGet, "/v1/webhooks/:id", s.handleWebhook},
		{http.MethodDelete, "/v1/webhooks/:id", s.handleDeleteWebhook},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	return nil
}

// webhookJSON is a webhook as the routes write it: never its secret,
// with its lag behind the current version and its next attempt.
type webhookJSON struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Created     time.Time `json:"created"`
	Delivered   uint64    `json:"delivered"`
	Lag         uint64    `json:"lag"`
	Attempts    int       `json:"attempts"`
	LastError   string    `json:"last_error,omitempty"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastSuccess time.Time `json:"last_success,omitzero"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
}

// toWebhookJSON converts w at head version head.
func (s *Server) toWebhookJSON(w store.Webhook, head uint64) webhookJSON {
	out := webhookJSON{ID: w.ID, URL: w.URL, Created: w.Created, Delivered: w.Delivered, Attempts: w.Attempts,
		LastError: w.LastError, LastAttempt: w.LastAttempt, LastSuccess: w.LastSuccess}
	if head > w.Delivered {
		out.Lag = head - w.Delivered
		out.NextAttempt = s.hooks.nextAttempt(w)
	}
	return out
}

// webhookStore returns the store's webhooks after checking that the
// request carries an admin's token.
func (s *Server) webhookStore(c *fiber.Ctx) (store.WebhookStore, error) {
	if s.store == nil {
		return nil, ErrNoStore
	}
	if s.tokens == nil {
		return nil, ErrNoTokens
	}
	if _, err := s.authorize(c, access.RoleAdmin); err != nil {
		return nil, err
	}
	ws, ok := s.store.(store.WebhookStore)
	if !ok {
		return nil, errNoWebhooks
	}
	return ws, nil
}

// handleWebhooks answers GET /v1/webhooks (admins).
func (s *Server) handleWebhooks(c *fiber.Ctx) error {
	ws, err := s.webhookStore(c)
	if err != nil {
		return err
	}
	list, err := ws.Webhooks(c.UserContext())
	if err != nil {
		return err
	}
	head, err := s.store.Version(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]webhookJSON, len(list))
	for i, w := range list {
		out[i] = s.toWebhookJSON(w, head)
	}
	return writeJSON(c, struct {
		Webhooks []webhookJSON `json:"webhooks"`
	}{out})
}

// handleCreateWebhook answers POST /v1/webhooks (admins) with
// {"url":..,"secret":..}: 201 with the webhook, which receives every
// version committed from now on.
func (s *Server) handleCreateWebhook(c *fiber.Ctx) error {
	ws, err := s.webhookStore(c)
	if err != nil {
		return err
	}
	var body struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	if !hasBody(c) {
		return &FieldError{Field: "body", Reason: "is empty: send {\"url\":..,\"secret\":..}"}
	}
	if err := readSmallJSON(c, &body); err != nil {
		return err
	}
	var se *store.WebhookSpecError
	if err := store.CheckWebhook(body.URL, body.Secret); errors.As(err, &se) {
		return fieldErr(http.StatusBadRequest, se.Field, "%s", se.Reason)
	}
	w, err := ws.CreateWebhook(c.UserContext(), body.URL, body.Secret)
	if err != nil {
		return err
	}
	s.hooks.wake()
	c.Status(http.StatusCreated)
	c.Set(fiber.HeaderLocation, "/v1/webhooks/"+w.ID)
	return writeJSON(c, s.toWebhookJSON(w, w.Delivered))
}

// handleWebhook answers GET /v1/webhooks/{id} (admins): the webhook's
// delivery state: the last version delivered, its lag, the failed
// attempts and the last error.
func (s *Server) handleWebhook(c *fiber.Ctx) error {
	ws, err := s.webhookStore(c)
	if err != nil {
		return err
	}
	w, err := ws.Webhook(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	head, err := s.store.Version(c.UserContext())
	if err != nil {
		return err
	}
	return writeJSON(c, s.toWebhookJSON(w, head))
}

// handleDeleteWebhook answers DELETE /v1/webhooks/{id} (admins): 204.
func (s *Server) handleDeleteWebhook(c *fiber.Ctx) error {
	ws, err := s.webhookStore(c)
	if err != nil {
		return err
	}
	if err := ws.DeleteWebhook(c.UserContext(), c.Params("id")); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
