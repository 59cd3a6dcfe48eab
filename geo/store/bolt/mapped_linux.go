package bolt

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// dropMapped tells the kernel that this process no longer needs the pages
// of data, bytes of bbolt's read-only file mapping that were read once
// (a decoded checkpoint), so they stop counting as its resident memory.
// The file's pages stay in the page cache and a later read of the same
// bytes faults them back in; only whole pages inside data are dropped.
// It is best effort: a failure changes nothing but resident memory.
func dropMapped(data []byte) {
	if len(data) == 0 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	lo, hi := (start+page-1)&^(page-1), (start+uintptr(len(data)))&^(page-1)
	if hi <= lo {
		return
	}
	_ = unix.Madvise(data[lo-start:hi-start], unix.MADV_DONTNEED)
}
