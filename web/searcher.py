"""The one accessor for the open index: views call `get_searcher()`.

    install(app)                 # in create_app
    searcher = get_searcher()    # in a view

One Searcher per app and process, opened on first use and refreshed once per
request so that a newly published build is seen. It is kept open for the
life of the process, not closed at the end of a request: opening a build
costs far more than a search.
"""

from __future__ import annotations

import contextlib
import threading

from flask import Flask, current_app, g

from indexer.errors import IndexNotFound
from indexer.search.searcher import Searcher

EXTENSION = "jiaoliu.searcher"  # the app.extensions key of the app's SearcherSlot


class SearcherSlot:
    """Where an app keeps its Searcher; opened lazily so the app starts even
    before the index exists, and guarded because waitress serves from threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.searcher: Searcher | None = None


def install(app: Flask) -> None:
    """Give `app` an empty slot for its Searcher."""
    app.extensions[EXTENSION] = SearcherSlot()


def get_searcher() -> Searcher:
    """The app's Searcher, refreshed once per request so a rebuilt index is seen.

    Raises IndexNotFound when no index has been built yet.
    """
    if "searcher" not in g:
        slot: SearcherSlot = current_app.extensions[EXTENSION]
        with slot.lock:
            if slot.searcher is None:
                slot.searcher = Searcher(current_app.config["INDEX_DIR"],
                                         time_limit=current_app.config["SEARCH_SECONDS"])
            else:
                slot.searcher.refresh()
            g.searcher = slot.searcher
    return g.searcher


def open_searcher(app: Flask) -> Searcher:
    """Open `app`'s Searcher now and read ahead (see Searcher.warm); IndexNotFound or
    IndexDamaged if it cannot. A server opens it before it forks its workers when the
    engine allows (`shares_after_fork`): they share one copy of what opening reads."""
    with app.app_context():
        searcher = get_searcher()
        searcher.warm()
        return searcher


def close_searcher(app: Flask) -> None:
    """Close `app`'s Searcher, if open."""
    slot: SearcherSlot = app.extensions[EXTENSION]
    with slot.lock:
        if slot.searcher is not None:
            slot.searcher.close()
            slot.searcher = None


def warm_up(app: Flask) -> Flask:
    """`app` with its Searcher opened and read ahead (see Searcher.warm); nothing
    when there is no usable index yet, which requests then report."""
    with contextlib.suppress(IndexNotFound):
        open_searcher(app)
    return app
