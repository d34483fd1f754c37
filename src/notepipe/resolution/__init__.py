"""Resolution: each distinct paper looked up once (arXiv API by ID, OpenAlex by title), answers kept in raw/."""

from notepipe.errors import MalformedResponseError
from notepipe.resolution._arxiv_api import parse_feed
from notepipe.resolution._canonical import Canonical, choose, normalized_title, similarity
from notepipe.resolution._lookups import LookupMeta, LookupStore, Resolutions, load_resolutions
from notepipe.resolution._openalex_api import parse_works
from notepipe.resolution._openalex_api import query_url as openalex_query_url
from notepipe.resolution._resolver import MISS_RETRY_DAYS, resolve

__all__ = [
    "MISS_RETRY_DAYS",
    "Canonical",
    "LookupMeta",
    "LookupStore",
    "MalformedResponseError",
    "Resolutions",
    "choose",
    "load_resolutions",
    "normalized_title",
    "openalex_query_url",
    "parse_feed",
    "parse_works",
    "resolve",
    "similarity",
]
