#!/usr/bin/env bash
# The main job: compile examples/buffers and use it from Python.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYSPEC_PYTHON="${PYSPEC_PYTHON:-/usr/bin/python3}"
bash scripts/setup.sh
go build -o pyspec ./cmd/pyspec
./pyspec compile examples/buffers/module.yaml -o out/buffers
cd out/buffers
"$PYSPEC_PYTHON" - <<'PY'
import numpy as np
import buffers

arr = np.array([1, 2, 3, 4, 5], dtype=np.int64)
print("buffers.sum(arr) =", buffers.sum(arr))
c = buffers.ConstantBuffer(7, 4)
print("numpy.asarray(ConstantBuffer(7, 4)) =", np.asarray(c))
try:
    buffers.sum(np.arange(3.0))
except TypeError as e:
    print("TypeError:", e)
PY
