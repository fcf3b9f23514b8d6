"""The web front end: a search page and its JSON twin over one open index.

    app = create_app({"INDEX_DIR": "/tmp/index"})

Views never open the index themselves; they call `web.searcher.get_searcher()`.
No module of web/ imports this one: it only assembles the app from them.
"""

from __future__ import annotations

from flask import Flask, current_app, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import settings
from indexer.errors import BadRequest, IndexDamaged, IndexNotFound, PartnerNotFound, ReportNotFound

from . import api, atlas_pages, searcher, views
from .filters import register_filters
from .searcher import close_searcher, open_searcher, warm_up

__all__ = ["close_searcher", "create_app", "open_searcher", "settings_from_env", "warm_up"]

# Everything is served from this origin; no inline script or style, so an
# injected tag in a report could not run even if escaping failed somewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def settings_from_env() -> dict[str, str]:
    """The app's config defaults, from the settings declared in `indexer.settings`
    (`JIAOLIU_INDEX`, `JIAOLIU_CORPUS`; relative paths are from the current directory;
    `JIAOLIU_PUBLIC_URL`)."""
    return {
        "INDEX_DIR": settings.get("JIAOLIU_INDEX"),
        "CORPUS_DIR": settings.get("JIAOLIU_CORPUS"),
        "SEARCH_SECONDS": settings.seconds("JIAOLIU_SEARCH_SECONDS"),
        "PUBLIC_URL": settings.get("JIAOLIU_PUBLIC_URL"),
    }


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(settings_from_env())
    if test_config is not None:
        app.config.from_mapping(test_config)
    # Chinese stays readable in /api responses (and in curl output).
    app.json.ensure_ascii = False

    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(atlas_pages.bp)
    register_filters(app)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(BadRequest, lambda e: _error(400, str(e)))
    app.register_error_handler(ReportNotFound, lambda e: _error(404, "找不到這份報告。", str(e)))
    app.register_error_handler(PartnerNotFound, lambda e: _error(404, "找不到這個交流對象。", str(e)))
    app.register_error_handler(
        IndexNotFound,
        lambda e: _error(503, "索引尚未建立，請先執行 jiaoliu index。", f"{e} (run `jiaoliu index` first)"),
    )
    app.register_error_handler(
        IndexDamaged,
        lambda e: _error(503, "索引已損壞，請執行 jiaoliu index 重建。",
                         "the index is damaged and cannot be read; the administrator must run `jiaoliu index`"),
    )
    app.register_error_handler(Exception, _unexpected_error)
    searcher.install(app)
    return app


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _error(status: int, message: str, api_message: str | None = None):
    """An error in the format the client asked for: JSON under /api, a page elsewhere.

    Routing errors happen before any blueprint is chosen, so this is decided
    by path for the whole app rather than per blueprint.
    """
    if wants_json():
        return jsonify(error=api_message or message), status
    return render_template("error.html", status=status, message=message), status


_HTML_MESSAGES = {404: "找不到這個頁面。", 405: "不支援這種請求方式。"}


def _http_error(error: HTTPException):
    status = error.code or 500
    body, status = _error(status, _HTML_MESSAGES.get(status, error.name), error.description or error.name)
    response = make_response(body, status)
    # Keep what HTTP requires of the error, e.g. the Allow header of a 405.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _unexpected_error(error: Exception):
    # A bug must still answer in the format the client expects, without a traceback.
    current_app.logger.exception("unhandled error on %s", request.path)
    return _error(500, "系統發生錯誤，請稍後再試。", "內部錯誤 (internal error; please report the URL that caused it)")
