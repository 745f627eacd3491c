"""The crash-restart soak (`python -m tests.soak`); see harness.py."""
