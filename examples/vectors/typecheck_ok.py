"""Uses vectors as its stub allows; `mypy --strict` must accept it."""
from vectors import DIMENSIONS, Vec, VectorError

v = Vec(3, 4)
w: Vec = v + Vec(y=1) - Vec.zero()
w = 2 * w * 0.5
d: float = v.dot(w) + abs(v) + v @ w + v.length
v.x = 1.0
v.length = 2.0
v += w
ok: bool = v == w and v < w and bool(v)
p = Vec.from_polar(1.0, 0.0)
n: int = DIMENSIONS + len(v)
try:
    Vec().normalized()
except VectorError as e:
    msg: str = str(e)
