"""Input formats: detection and one extractor per site and format."""

from notepipe.errors import EmptyInputError, FormatError, UndecodableError
from notepipe.formats._base import Extracted, Input
from notepipe.formats._decode import decode
from notepipe.formats.detect import extract

__all__ = ["EmptyInputError", "Extracted", "FormatError", "Input", "UndecodableError", "decode", "extract"]
