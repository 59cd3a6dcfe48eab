package main

import (
	"strings"
	"testing"
)

func TestIsPostgres(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"postgres://u@localhost:5432/gridmap?sslmode=disable", true},
		{"postgresql://u@localhost/gridmap", true},
		{"POSTGRES://u@localhost/gridmap", true},
		{"/var/lib/gridmap", false},
		{"postgres", false},
		{"./postgres://x", false},
		{"mysql://u@localhost/gridmap", false},
		{"", false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			if got := isPostgres(tc.in); got != tc.want {
				t.Errorf("isPostgres(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestStoreNameHidesPasswords(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"directory", "/var/lib/gridmap", "/var/lib/gridmap"},
		{"no password", "postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?sslmode=disable"},
		{"password in user info", "postgres://u:s3cret@h:5432/db", "postgres://u:xxxxx@h:5432/db"},
		{"password parameter", "postgresql://u@h/db?password=s3cret&sslmode=disable", "postgresql://u@h/db?password=xxxxx&sslmode=disable"},
		{"unparsable", "postgres://u:s3cret@h:port/db", "postgres://(unparsable URL)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := storeName(tc.in)
			if got != tc.want || strings.Contains(got, "s3cret") {
				t.Errorf("storeName(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
