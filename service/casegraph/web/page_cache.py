"""Rendered entity pages, kept until the store's next write.

Why: the organisation at the top of a hierarchy (a group above a thousand units) is the
page people open most, and rendering it reads every unit's awards and activities (about
0.7 s at 10k cases).  Its HTML changes only when the store does, so a slow render is kept,
keyed by the page's path, query and interface language, under the store's write stamp.
A committed write moves the stamp before it commits (``Store.write_stamp``), so every
kept page is retired by the first write after it, and a page rendered while a write
commits is kept under the stamp it started with and never served again.

Stores without a stamp are never cached: the memory store keeps none, and a remote store
may be written by others behind the service's back.  Pages are kept in LRU order up to
``MAX_BYTES``; renders faster than ``MIN_RENDER_SECONDS`` are not worth the memory.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app

#: The memory all kept pages may use (a hub page is ~0.5 MB of HTML).
MAX_BYTES = 64 * 1024 * 1024
#: Renders at least this slow are kept.
MIN_RENDER_SECONDS = 0.05
EXTENSION = "casegraph.page_cache"


class PageCache:
    """Bodies by key, valid while the store's write stamp is the one they were made at."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        #: key → (stamp, body, size of the body in bytes)
        self._pages: OrderedDict[tuple, tuple[str, str, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def page(self, key: tuple, stamp: str | None, render: Callable[[], tuple[str, int]]
             ) -> tuple[str, int]:
        """``render()``'s ``(body, status)``, or the body kept for ``key`` at ``stamp``."""
        if stamp is None:
            return render()
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None and kept[0] == stamp:
                self._pages.move_to_end(key)
                self.hits += 1
                return kept[1], 200
            self.misses += 1
        started = time.monotonic()
        body, status = render()
        if status == 200 and time.monotonic() - started >= MIN_RENDER_SECONDS:
            self._keep(key, stamp, body)
        return body, status

    def _keep(self, key: tuple, stamp: str, body: str) -> None:
        size = len(body.encode("utf-8"))
        if size > self.max_bytes:
            return
        with self._lock:
            # The page's old copy, and pages kept at an older stamp (never served again).
            for gone in [k for k, kept in self._pages.items() if k == key or kept[0] != stamp]:
                self._bytes -= self._pages.pop(gone)[2]
            while self._pages and self._bytes + size > self.max_bytes:
                self._bytes -= self._pages.popitem(last=False)[1][2]
            self._pages[key] = (stamp, body, size)
            self._bytes += size


def page_cache() -> PageCache:
    """The app's page cache (made on first use)."""
    cache = current_app.extensions.get(EXTENSION)
    if cache is None:
        cache = current_app.extensions.setdefault(EXTENSION, PageCache())
    return cache
