"""The package's version: the one place it is written (pyproject.toml reads it from here).

A plain constant because ``importlib.metadata.version`` scans every installed
distribution's metadata: about 70 ms at each start of the CLI, which writes the version
into every report."""

__version__ = "0.1.0"
