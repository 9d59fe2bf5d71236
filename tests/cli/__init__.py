"""Test package: gives test modules unique names (tests/analysis and tests/cli share basenames)."""
