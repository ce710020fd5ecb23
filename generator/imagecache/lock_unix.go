//go:build unix

package imagecache

import (
	"errors"
	"os"
	"syscall"
)

// lockShared takes a shared lock on f, waiting for an exclusive one to go.
func lockShared(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// tryExclusive turns the lock on f exclusive if no other holder has one, without waiting.
func tryExclusive(f *os.File) bool {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil
}
