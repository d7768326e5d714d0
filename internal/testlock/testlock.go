// Package testlock serialises the tests that run tasks on the machine's
// Docker Engine. Those tests share one engine and, run with the same seed,
// give their awsvpc tasks the same addresses in the default VPC's network;
// run at once (t.Parallel, or go test running packages side by side) one
// test's request can reach another's container. The lock is a flock on a
// file in the temporary directory, so it holds across test binaries and
// between goroutines of one binary.
package testlock

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Acquire waits for the Docker tests' lock and returns its release.
func Acquire() (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(os.TempDir(), "ecsbox-docker-tests.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// Docker holds the Docker tests' lock until the test ends.
func Docker(t testing.TB) {
	t.Helper()
	release, err := Acquire()
	if err != nil {
		t.Fatalf("the Docker tests' lock: %v", err)
	}
	t.Cleanup(release)
}
