package server

import "syscall"

// backgroundNice is the nice value of the threads that build derived
// state: below request handling, which runs at the process's own.
const backgroundNice = 10

// lowerThreadPriority gives the calling thread the nice value
// backgroundNice. On Linux a thread's priority is its own (setpriority
// on its thread id); failure leaves it as it was.
func lowerThreadPriority() {
	tid := syscall.Gettid()
	if cur, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid); err == nil && 20-cur >= backgroundNice {
		return // already at least as nice (getpriority returns 20-nice)
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, backgroundNice)
}
