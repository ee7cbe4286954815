"""Synthetic corpus generator and the benchmark runner (see BENCHMARKS.md)."""
