"""Benchmarks. Each prints `name value unit` lines a script can read; `python -m bench` runs them all."""
