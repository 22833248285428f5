"""Named errors of the ETL; each message names the file and says what to do."""

from __future__ import annotations


class EtlError(Exception):
    """Base class: the build stops and no mart is written."""


class MissingSourceError(EtlError):
    """A source file is neither in the cache, nor in the mirror, nor downloadable."""


class ChecksumError(EtlError):
    """A file's sha256 differs from the catalogue's."""


class SourceFormatError(EtlError):
    """A source file cannot be read as declared (encoding, separator, missing column…)."""
