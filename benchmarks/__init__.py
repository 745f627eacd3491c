"""Benchmarks: Comeback against the python-telegram-bot floor, through real polling over HTTP.

`python -m benchmarks [--size tiny|full]` runs them all; see benchmarks/README.md.
"""
