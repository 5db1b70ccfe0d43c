"""Group: exact and near duplicates, syndication (who copied whom), stories across outlets.

`Grouper` is the facade the ingest uses; the pieces are pure functions where they can be
(`fingerprint`, `band_keys`, `diff`, `story_vector`) so they also run as Dask tasks.
"""

from warta.group.duplicates import DuplicateIndex, Fingerprints, MinHashConfig, band_keys, fingerprint
from warta.group.grouper import GroupConfig, Grouper, Links, StoryInfo
from warta.group.stories import StoryConfig

__all__ = [
    "DuplicateIndex",
    "Fingerprints",
    "GroupConfig",
    "Grouper",
    "Links",
    "MinHashConfig",
    "StoryConfig",
    "StoryInfo",
    "band_keys",
    "fingerprint",
]
