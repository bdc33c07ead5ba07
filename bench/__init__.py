"""Kiban's benchmarks (issue #10): `.venv/bin/python -m bench` runs them all (bench/README.md)."""
