//go:build !windows

package runtime

// clong has the size of C's long: 8 bytes on LP64 (Linux, macOS).
type clong = int64
