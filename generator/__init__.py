"""backendgen: generate ready-to-run backend projects from one catalog of choices."""

__version__ = "0.1.0"
