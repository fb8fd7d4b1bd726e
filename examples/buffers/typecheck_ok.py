"""Uses buffers as its stub allows; `mypy --strict` must accept it."""
import array

import numpy as np

import buffers

total: int = buffers.sum(np.arange(5, dtype=np.int64))
total += buffers.sum(array.array("q", [1, 2]))
buffers.reverse(bytearray(16))
sums: list[float] = buffers.column_sums(np.zeros((2, 2)))
arr = np.asarray(buffers.ConstantBuffer(7, 3))

# An exporter of this module is a buffer wherever one is expected (PEP 688).
exporter = buffers.ConstantBuffer(2, 5)
total += buffers.sum(exporter)
view: memoryview = memoryview(exporter)
data: bytes = bytes(exporter)
# (numpy's own stubs type np.frombuffer's argument as concrete buffer types,
# so a type checker refuses it there; at run time it works.)

# A fixed exporter is a buffer too; its methods are typed.
grid = buffers.Grid(2, 3, fill=1.0)
cells: memoryview = memoryview(grid)
corner: float = grid.at(1, 2)
calls: int = grid.exports()

# ndarray results are numpy arrays of the spec's dtype and number of dimensions.
line: np.ndarray[tuple[int], np.dtype[np.float64]] = buffers.linspace(0.0, 1.0, 5)
table: np.ndarray[tuple[int, int], np.dtype[np.float64]] = buffers.outer(line, line)
mean: float = float(table.mean())
