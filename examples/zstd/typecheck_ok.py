"""Uses zstd as its stub allows; `mypy --strict` must accept it."""
import numpy as np

import zstd

frame = zstd.compress(b"abc", level=9)
data: bytes = bytes(zstd.decompress(frame, max_size=1 << 20))
# A GoBuffer is a buffer wherever one is expected (PEP 688).
again = zstd.decompress(zstd.compress(zstd.decompress(frame)))
view: memoryview = memoryview(frame)
size: int = len(frame) + frame.nbytes
shape: tuple[int, ...] = frame.shape
arr = np.asarray(frame)
c = zstd.Compressor(level=5)
out = c.compress(np.zeros(8, dtype=np.uint8))
frames: int = c.frames
w = zstd.Writer()
n: int = w.write(bytearray(b"x"))
final = w.close()
try:
    zstd.decompress(b"x")
except zstd.ZstdError as e:
    message: str = str(e)
