"""The domain: codes, classifications, territories (the one level table), text, parsing, formatting,
definitions. Imports nothing of the other groups of ``core``."""
