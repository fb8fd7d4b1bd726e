"""Passes a wrong type; `mypy --strict` must reject it."""
import conversions as c

c.greet(42)
