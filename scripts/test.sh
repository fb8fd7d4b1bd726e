#!/usr/bin/env bash
# The whole test suite: Go unit tests, golden files, and the end-to-end tests
# that compile every example and run its pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYSPEC_PYTHON="${PYSPEC_PYTHON:-/usr/bin/python3}"
bash scripts/setup.sh
test -z "$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
go vet ./...
go test -count=1 -timeout 60m ./...
# The Go part's iterator hand-over is lock-free: under the race detector.
go test -race -count=1 ./codegen/gopart
# The buffers example's AVX2 sum, built only with Go's simd experiment.
GOEXPERIMENT=simd go vet ./examples/buffers
GOEXPERIMENT=simd go test -count=1 ./examples/buffers
# The spec loader under Go's fuzzer, briefly (the seeds run in go test above).
# No minimizing: minimizing one new input took most of the 20 s (about 5k
# inputs tried instead of 200k).
go test -run '^$' -fuzz FuzzCheckSpec -fuzztime 20s -fuzzminimizetime 0s ./spec
# The schema with real editor clients: yaml-language-server over LSP, ajv.
bin="$(mktemp -d)/pyspec"
go build -o "$bin" ./cmd/pyspec
(cd tests/editor && PYSPEC_BIN="$bin" node --test)
bash bench/run --quick --python "$PYSPEC_PYTHON"
# And with numpy 2 from .venv (Debian's is 1.24).
bash bench/run --quick --python .venv/bin/python
