"""Uses buffers as its stub allows; `mypy --strict` must accept it."""
import array

import numpy as np

import buffers

total: int = buffers.sum(np.arange(5, dtype=np.int64))
total += buffers.sum(array.array("q", [1, 2]))
buffers.reverse(bytearray(16))
sums: list[float] = buffers.column_sums(np.zeros((2, 2)))
arr = np.asarray(buffers.ConstantBuffer(7, 3))
