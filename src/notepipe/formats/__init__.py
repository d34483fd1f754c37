"""Input formats: detection and one extractor per site and format."""

from notepipe.formats._base import Extracted, FormatError, Input
from notepipe.formats._decode import UndecodableError, decode
from notepipe.formats.detect import EmptyInputError, extract

__all__ = ["EmptyInputError", "Extracted", "FormatError", "Input", "UndecodableError", "decode", "extract"]
