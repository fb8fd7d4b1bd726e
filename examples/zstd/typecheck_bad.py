"""Misuses zstd; `mypy --strict` must reject it."""
import zstd

zstd.compress("text is not bytes")
