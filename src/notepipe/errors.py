"""Every failure notepipe raises on purpose: one base, one class per kind, each naming the stage it stops.

    NotepipeError                      stage
    ├── ConfigError (ValueError)       read      the config file, a source spec or a --set override is invalid
    ├── LockedError (RuntimeError)     store     another run holds the folder's lock
    ├── InputRefusedError (OSError)    read      a local input not read: a symlink out of its folder, or too large
    ├── UndecodableError (ValueError)  decode    the bytes are not text in an encoding we accept
    ├── FormatError (ValueError)       extract   the input looks like a known format but cannot be read as one
    ├── EmptyInputError (ValueError)   extract   the input holds no post text at all
    │   └── ChromeOnlyError                      a page whose text is all page chrome: nothing left once it is removed
    ├── MalformedResponseError         resolve   a paper-resolution API answered in a shape it does not document
    │   (ValueError)
    └── FetchError                     fetch     a request failed for good (the message names the URL)
        ├── UnreachableError                     the host could not be reached, even after retries
        ├── HostNotAllowedError                  the URL (or a redirect) leaves the source's origins, or is not http(s)
        │   └── CursorRefusedError               a next-page link leaves the source's own listing
        ├── RobotsDisallowedError                robots.txt disallows the path for notepipe
        ├── TooLargeError                        the body is larger than `http.max_bytes`
        ├── RateLimitedError                     the site asked to wait longer than `http.max_wait_s`
        └── PageBudgetSpentError                 the run read `http.max_pages_per_run` listing pages (resumes next run)

`stage` is the `stage` of the error line (`ErrorRecord`) such a failure becomes. The second bases keep older
`except ValueError` / `except OSError` / `except RuntimeError` callers working. ConfigError and LockedError stop a
whole command (exit codes 2 and 3) rather than one input, so they never become error lines; their stage says where
they would.
"""

from __future__ import annotations

from typing import ClassVar

from notepipe.models import Stage

__all__ = [
    "ChromeOnlyError",
    "ConfigError",
    "CursorRefusedError",
    "EmptyInputError",
    "FetchError",
    "FormatError",
    "HostNotAllowedError",
    "InputRefusedError",
    "LockedError",
    "MalformedResponseError",
    "NotepipeError",
    "PageBudgetSpentError",
    "RateLimitedError",
    "RobotsDisallowedError",
    "TooLargeError",
    "UndecodableError",
    "UnreachableError",
    "stage_of",
]


class NotepipeError(Exception):
    """The base of every failure notepipe raises on purpose; `stage` names the pipeline stage it stops."""

    stage: ClassVar[Stage] = "process"


class ConfigError(NotepipeError, ValueError):
    """The config file or a source spec is invalid; the message names the file or spec and the fix."""

    stage: ClassVar[Stage] = "read"


class LockedError(NotepipeError, RuntimeError):
    """Another notepipe process holds the lock on this folder."""

    stage: ClassVar[Stage] = "store"


class InputRefusedError(NotepipeError, OSError):
    """A local input that is not read: a symlink leaving its input folder, or a file over the size cap."""

    stage: ClassVar[Stage] = "read"


class UndecodableError(NotepipeError, ValueError):
    """The bytes are not text in any encoding we accept."""

    stage: ClassVar[Stage] = "decode"


class FormatError(NotepipeError, ValueError):
    """The input looked like a known format but could not be read as one."""

    stage: ClassVar[Stage] = "extract"


class EmptyInputError(NotepipeError, ValueError):
    """The input holds no post text at all (an empty file, an empty API list)."""

    stage: ClassVar[Stage] = "extract"


class ChromeOnlyError(EmptyInputError):
    """A page whose text is all page chrome (header, sidebar, footer): nothing is left once it is removed."""


class MalformedResponseError(NotepipeError, ValueError):
    """A response that is not the shape the API documents; the message says what was wrong."""

    stage: ClassVar[Stage] = "resolve"


class FetchError(NotepipeError):
    """A request failed for good; the message names the URL and what to do. Never carries credentials."""

    stage: ClassVar[Stage] = "fetch"

    def __init__(self, url: str, message: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.status = status


class UnreachableError(FetchError):
    """The host could not be reached (name resolution, connection, timeouts, 5xx) even after retries."""


class HostNotAllowedError(FetchError):
    """The URL (or a redirect) points at an origin outside the source's configured ones, or not at http(s)."""


class CursorRefusedError(HostNotAllowedError):
    """A next-page link leaves the source's own listing (another origin, path or query shape)."""


class RobotsDisallowedError(FetchError):
    """robots.txt of the page's host disallows the path for notepipe."""


class TooLargeError(FetchError):
    """The body (after decompression) is larger than `http.max_bytes`."""


class RateLimitedError(FetchError):
    """The site asked us to wait longer than `http.max_wait_s`; `resume_at` is the epoch time to try again."""

    def __init__(self, url: str, message: str, resume_at: float, status: int | None = None) -> None:
        super().__init__(url, message, status)
        self.resume_at = resume_at


class PageBudgetSpentError(FetchError):
    """This run has read `http.max_pages_per_run` listing pages of the source; its cursor is saved."""


def stage_of(exc: BaseException) -> Stage:
    """The stage an exception stopped: its own `stage` for ours, `read` for any other OSError (a missing or
    unreadable file), `process` for anything else (a bug or an input shape nothing expected)."""
    if isinstance(exc, NotepipeError):
        return exc.stage
    if isinstance(exc, OSError):
        return "read"
    return "process"
