package main

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// applyEnv sets every flag of cmd that was not given on the command line
// from its environment variable, if set. envs maps flag names to variable
// names.
func applyEnv(cmd *cobra.Command, getenv func(string) string, envs map[string]string) error {
	for name, env := range envs {
		f := cmd.Flags().Lookup(name)
		if f == nil || f.Changed {
			continue
		}
		if v := getenv(env); v != "" {
			if err := f.Value.Set(v); err != nil {
				return fmt.Errorf("reading %s=%q: %w", env, v, err)
			}
		}
	}
	return nil
}

// parseLevel parses a log level name: debug, info, warn or error.
func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}
