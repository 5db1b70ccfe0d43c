"""warta's benchmarks: run them all with `make bench` (python -m bench), or one with `python -m bench.<area>`."""
