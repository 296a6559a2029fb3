package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// readPassword reads the login password from file descriptor fd until EOF (the launcher writes it into a
// pipe and closes its end), so it never sits in the environment (/proc/PID/environ) or in argv.
func readPassword(fd int) (string, error) {
	if fd < 0 {
		return "", usageError{errors.New("pass the login password on a file descriptor: -password-fd N (a pipe, read to EOF)")}
	}
	f := os.NewFile(uintptr(fd), "password-fd")
	if f == nil {
		return "", usageError{fmt.Errorf("-password-fd %d is not an open file descriptor", fd)}
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return "", usageError{fmt.Errorf("-password-fd %d: %v", fd, err)}
	}
	password := string(raw) // exactly the bytes written: a password may end in any character
	if password == "" {
		return "", usageError{fmt.Errorf("-password-fd %d gave an empty password", fd)}
	}
	return password, nil
}
