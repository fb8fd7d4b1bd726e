module github.com/pyspec/pyspec/examples/zstd

go 1.25

require github.com/pyspec/pyspec v0.0.0

require github.com/klauspost/compress v1.20.4

// This checkout of pyspec: the example builds against its package py.
replace github.com/pyspec/pyspec => ../..
