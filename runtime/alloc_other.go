//go:build !unix

package runtime

// canMap cannot ask the system here: only the size's overflow is checked.
func canMap(n int64) bool { return true }
