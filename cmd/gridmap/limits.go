package main

import (
	"log/slog"
	"syscall"
)

// fdReserve is how many file descriptors serve keeps out of the connection
// cap, for the store, its WAL, log files and the descriptors a request
// opens briefly.
const fdReserve = 128

// raiseFileLimit raises the soft limit on open files to the hard one, so
// that the connection cap, not the kernel, decides when connections are
// refused, and returns the limit now in force (0 if unknown).
func raiseFileLimit(log *slog.Logger) uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		log.Warn("reading the open-file limit", "err", err)
		return 0
	}
	if lim.Cur < lim.Max {
		want := lim
		want.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			log.Warn("raising the open-file limit", "from", lim.Cur, "to", lim.Max, "err", err)
			return lim.Cur
		}
		log.Info("raised the open-file limit", "from", lim.Cur, "to", lim.Max)
		lim = want
	}
	return lim.Cur
}

// connCap is the default connection cap for a process allowed nofile open
// files: the server's default, or fewer so that the cap is met before the
// descriptors run out.
func connCap(nofile uint64, serverDefault int) int {
	if nofile == 0 || nofile > uint64(serverDefault+fdReserve) {
		return serverDefault
	}
	return max(16, int(nofile)-fdReserve)
}
