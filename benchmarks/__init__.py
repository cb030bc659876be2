"""Benchmarks and the synthetic population they run on: scripts, not part of the product.

Run from the repository root (not an installed package; ``pyproject.toml`` installs
``app``, ``verification`` and ``matching`` only):

    .venv/bin/python -m benchmarks.matching --users 100000 --day 2025-06-15
    .venv/bin/python -m benchmarks.verification --cases 500 --rate 300 --json

``benchmarks.synthetic`` generates the population; the matcher's tests and the demo seed
(a development tool) use it too.
"""
