"""Uses a ufunc as something else; `mypy --strict` must reject it."""
import ufuncs

name: str = ufuncs.poly  # E
ufuncs.no_such_ufunc  # E
