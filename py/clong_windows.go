package py

// clong has the size of C's long: 4 bytes on LLP64 Windows.
type clong = int32
