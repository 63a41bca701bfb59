"""Helpers of testing/chaos: the input fuzzer (fuzz.py, fuzzinputs.py) and the scenarios."""
