"""The package version, also the version of the instrumentation scope of its spans."""

__version__ = "0.1.0"
