package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/spf13/cobra"
)

// newTokensCmd builds "gridmap tokens": create, list and revoke the access
// tokens kept (hashed) in the store. bbolt lets one process hold a store
// directory at a time, so there these commands need the server stopped;
// while it runs, an admin manages tokens over HTTP (POST /v1/tokens,
// DELETE /v1/tokens/{id}). A PostgreSQL store (--store postgres://...) is
// shared, and the commands work beside running servers.
func newTokensCmd(getenv func(string) string) *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "tokens",
		Short: "Create, list and revoke access tokens (stop the server first, or use POST /v1/tokens)",
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd, getenv, map[string]string{"store": "GRIDMAP_STORE"}); err != nil {
				return err
			}
			if dir == "" {
				dir = defaultStoreDir(getenv)
			}
			if dir == "" {
				return fmt.Errorf("no store: pass --store DIR or --store postgres://... (or set XDG_STATE_HOME or HOME)")
			}
			return nil
		},
	}
	cmd.PersistentFlags().StringVar(&dir, "store", "", "the city's store: a directory (default: $XDG_STATE_HOME/gridmap or ~/.local/state/gridmap) or a postgres:// URL")
	withStore := func(fn func(ctx context.Context, st cityStore) error) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, _ []string) error {
			st, err := openCityStore(cmd.Context(), dir, nil)
			if err != nil {
				return err
			}
			err = fn(cmd.Context(), st)
			return errors.Join(err, st.Close())
		}
	}
	cmd.AddCommand(newTokensCreateCmd(withStore), newTokensListCmd(withStore), newTokensRevokeCmd(withStore))
	return cmd
}

// A storeRunner runs a function with the opened store as a command's RunE.
type storeRunner func(fn func(ctx context.Context, st cityStore) error) func(*cobra.Command, []string) error

// newTokensCreateCmd builds "gridmap tokens create".
func newTokensCreateCmd(withStore storeRunner) *cobra.Command {
	var name, role string
	var scopes []string
	cmd := &cobra.Command{
		Use:   "create --name NAME --role viewer|planner|admin [--scope CODE]...",
		Short: "Create a token and print it once (only its hash is stored)",
		Args:  cobra.NoArgs,
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		r, err := access.ParseRole(role)
		if err != nil {
			return fmt.Errorf("--role: %w", err)
		}
		spec := access.TokenSpec{Name: name, Role: r}
		for _, raw := range scopes {
			sc, err := geo.ParseDivisionCode(strings.TrimSpace(raw))
			if err != nil {
				return fmt.Errorf("--scope %q: %w", raw, err)
			}
			spec.Scopes = append(spec.Scopes, sc)
		}
		return withStore(func(ctx context.Context, st cityStore) error {
			t, secret, err := st.CreateToken(ctx, spec)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.ErrOrStderr(), "token %s for %s (%s%s); it is shown only now:\n", t.ID, t.Name, t.Role, scopeList(t.Scopes, " in "))
			_, err = fmt.Fprintln(c.OutOrStdout(), secret)
			return err
		})(c, args)
	}
	cmd.Flags().StringVar(&name, "name", "", "who holds the token; changesets record it as their author")
	cmd.Flags().StringVar(&role, "role", "", "viewer, planner or admin")
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "a division code (subdistrict 520201011, community 520201011001, ...): where a planner may edit, or where a viewer may read under --read-open=false; repeat or separate with commas")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

// newTokensListCmd builds "gridmap tokens list".
func newTokensListCmd(withStore storeRunner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the tokens: id, name, role, scopes, created, revoked (never the secret)",
		Args:  cobra.NoArgs,
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		return withStore(func(ctx context.Context, st cityStore) error {
			ts, err := st.Tokens(ctx)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(c.OutOrStdout(), 2, 8, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tROLE\tSCOPES\tCREATED\tREVOKED")
			for _, t := range ts {
				revoked := "-"
				if !t.Active() {
					revoked = t.Revoked.Format(time.RFC3339)
				}
				scopes := scopeList(t.Scopes, "")
				if scopes == "" {
					scopes = "-"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, scopes, t.Created.Format(time.RFC3339), revoked)
			}
			return w.Flush()
		})(c, args)
	}
	return cmd
}

// newTokensRevokeCmd builds "gridmap tokens revoke".
func newTokensRevokeCmd(withStore storeRunner) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke NAME|ID",
		Short: "Revoke a token at once, by id or by the name of an active token",
		Args:  cobra.ExactArgs(1),
	}
	cmd.RunE = func(c *cobra.Command, args []string) error {
		return withStore(func(ctx context.Context, st cityStore) error {
			t, err := st.RevokeToken(ctx, args[0])
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.OutOrStdout(), "revoked token %s (%s)\n", t.ID, t.Name)
			return err
		})(c, args)
	}
	return cmd
}

// scopeList formats scopes in their short form after prefix, or "" for
// none.
func scopeList(scopes []geo.DivisionCode, prefix string) string {
	if len(scopes) == 0 {
		return ""
	}
	parts := make([]string, len(scopes))
	for i, s := range scopes {
		parts[i] = s.Short()
	}
	return prefix + strings.Join(parts, ",")
}
