"""trainer: a terminal coach for a home lower-back exercise routine."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trainer")
except PackageNotFoundError:  # running from a checkout without installing
    __version__ = "0.0.0+checkout"
