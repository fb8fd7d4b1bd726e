"""Uses arith as its stub allows; `mypy --strict` must accept it."""
import arith
import arith.bits
from arith import Bits, Frac

b = Bits(12) & Bits(10) | Bits(1)
b <<= 1
n: int = int(b) + arith.bits.popcount(255) + arith.bits.WIDTH
f: Frac = Frac(1, 2) + Frac(1, 3) * Frac(2) - Frac(1, 6)
q, r = divmod(Frac(7, 2), Frac(1))
g: Frac = f ** 2
x: float = float(f)
less: bool = f < g
