"""Verification harness: real servers and the checks each generated project must pass."""
