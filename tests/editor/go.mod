// Keeps node_modules out of the pyspec Go module: `go test ./...` and
// `go vet ./...` must not walk npm packages.
module pyspec.invalid/editor-tests

go 1.24
