package pgtest

import (
	"context"
	"fmt"
	"syscall"
	"time"
)

// Restart stops the server with a fast shutdown (committed data stays)
// and starts it again on the same port, as an operator's restart does:
// every client loses its connections and has to reconnect.
func (c *Cluster) Restart(ctx context.Context) error {
	if c.cmd == nil || c.cmd.Process == nil {
		return fmt.Errorf("restarting postgres: not running")
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
	select {
	case <-c.done:
	case <-time.After(20 * time.Second):
		return fmt.Errorf("restarting postgres: it did not stop within 20 s: %s", c.logTail())
	}
	if err := c.launchOn(ctx, c.bin, c.cred, c.port); err != nil {
		return fmt.Errorf("restarting postgres: %w", err)
	}
	return nil
}
