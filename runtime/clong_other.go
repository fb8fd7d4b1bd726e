//go:build !windows

package runtime

type clong = int64
