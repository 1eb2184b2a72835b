"""trainer: a terminal coach for a home lower-back exercise routine."""

# The one place the version lives (pyproject reads it; importlib.metadata costs ~50 ms).
__version__ = "0.1.0"
