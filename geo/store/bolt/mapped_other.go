//go:build !linux

package bolt

// dropMapped does nothing outside Linux (see mapped_linux.go).
func dropMapped([]byte) {}
