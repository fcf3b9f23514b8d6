"""Named failures.  Library code raises these; the CLI and the web layer turn
them into a message and an exit code or HTTP status."""


class JiaoliuError(Exception):
    """Base class: the message says what is wrong and how to fix it."""


class BadRequest(JiaoliuError):
    """A search parameter or command argument that cannot be used (HTTP 400, CLI exit 2)."""


class IndexNotFound(JiaoliuError):
    """No built index where one was expected."""


class ReportNotFound(JiaoliuError):
    """No report with that id in the index (HTTP 404)."""


class PartnerNotFound(JiaoliuError):
    """No passage about a partner of that name in the index (HTTP 404)."""


class UnreadableReport(JiaoliuError):
    """A corpus file that cannot be decoded or parsed; the build skips it."""


class IndexDamaged(IndexNotFound):
    """The index on disk cannot be read; `jiaoliu index` rebuilds it (HTTP 503)."""


class DiskFull(JiaoliuError):
    """A build ran out of disk space; it was discarded and the previous build still serves."""


class UnknownEngine(JiaoliuError, ValueError):
    """JIAOLIU_ENGINE (or an engine asked for by name) is none of indexer.engine.ENGINES."""
