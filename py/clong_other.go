//go:build !windows

package py

// clong has the size of C's long: 8 bytes on LP64 (Linux, macOS).
type clong = int64
