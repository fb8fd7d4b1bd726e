"""Uses conversions as its stub allows; `mypy --strict` must accept it."""
import conversions as c

n: int = c.add(1, 2)
x: float = c.scale(1.5, 2.0, clamp=True)
s: str = c.greet("Bob", punct=None)
b: bytes = c.reverse_bytes(b"abc")
m: int | None = c.maybe_len(None)
t: float = c.total([1.0, 2.0]) + c.total((1.0,))
parts: list[str] = c.split(c.join(("a", "b"), sep=" "))
q, r = c.div_mod(7, 2)
ints: tuple[int, int, int, int, int, int, int, int] = c.echo_ints(1, 2, 3, 4, 5, 6, 7, 8)
c.window_len(0, stop=None)
c.nothing()
