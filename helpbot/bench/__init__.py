"""Benchmarks for the matcher: retrieval metrics on FAQ data and scaling measurements."""
