"""Passes a wrong type; `mypy --strict` must reject it."""
from arith import Frac

Frac(1, 2) + 1.5
