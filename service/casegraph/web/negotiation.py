"""HTTP content negotiation (RFC 9110, section 12.5.1) over a list of offered media types.

Each offered type gets the quality of the *most specific* Accept range that
matches it (``text/turtle`` beats ``text/*`` beats ``*/*``); quality 0 means
"not acceptable".  Among the best qualities the server's order of preference
decides.  A missing or empty Accept header accepts everything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from casegraph.errors import CasegraphError


class NotAcceptable(CasegraphError):
    """No offered media type is acceptable; ``offered`` lists what would have been."""

    status = 406

    def __init__(self, offered: Sequence[str]):
        super().__init__("none of the available media types is acceptable: " + ", ".join(offered))
        self.offered = list(offered)


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``; -1 if it does not."""
        offered_type, _, offered_subtype = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != offered_type:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == offered_subtype else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Media ranges of an Accept header; malformed entries are skipped, not fatal."""
    ranges = []
    for entry in (header or "").split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        if "/" not in media:
            continue
        type_, _, subtype = media.lower().partition("/")
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
                if math.isnan(quality):  # "q=NaN" is as malformed as "q=abc"
                    quality = 0.0
        ranges.append(MediaRange(type_.strip(), subtype.strip(), quality))
    return ranges


def quality_of(media_type: str, ranges: Sequence[MediaRange]) -> float:
    """Quality the client gives ``media_type`` (1.0 when it sent no Accept)."""
    if not ranges:
        return 1.0
    best_specificity, quality = -1, 0.0
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best_specificity:
            best_specificity, quality = specificity, media_range.quality
    return quality


def best_media_type(accept_header: str | None, offered: Sequence[str]) -> str:
    """The offered media type to answer with; raise ``NotAcceptable`` if there is none."""
    ranges = parse_accept(accept_header)
    best, best_quality = None, 0.0
    for media_type in offered:
        quality = quality_of(media_type, ranges)
        if quality > best_quality:
            best, best_quality = media_type, quality
    if best is None:
        raise NotAcceptable(offered)
    return best


def prefers(accept_header: str | None, candidates: Sequence[str]) -> str | None:
    """Like ``best_media_type`` but ``None`` instead of raising (for error bodies)."""
    try:
        return best_media_type(accept_header, candidates)
    except NotAcceptable:
        return None
