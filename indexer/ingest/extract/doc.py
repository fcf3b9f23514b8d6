"""Legacy Word .doc (OLE2): converted to DOCX by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from indexer.errors import UnreadableReport
from indexer.ingest.extract.docx import extract_docx

TIMEOUT_SECONDS = 120  # a conversion that takes longer is stuck (LibreOffice can hang on a bad file)


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def extract_doc(data: bytes, name: str, max_chars: int) -> str:
    """The text of a .doc, through `soffice --headless --convert-to docx`."""
    program = soffice()
    if program is None:
        raise UnreadableReport(f"{name}: legacy .doc needs LibreOffice (not installed)")
    with tempfile.TemporaryDirectory(prefix="jiaoliu-doc-") as tmp:
        source = Path(tmp) / "report.doc"
        source.write_bytes(data)
        # A profile of its own: a LibreOffice the user has open would otherwise take the job.
        command = [program, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                   "--convert-to", "docx", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise UnreadableReport(f"{name}: LibreOffice did not convert the .doc within "
                                   f"{TIMEOUT_SECONDS} s") from None
        except OSError as exc:
            raise UnreadableReport(f"{name}: LibreOffice could not be run ({exc})") from None
        converted = Path(tmp) / "report.docx"
        if not converted.is_file():
            raise UnreadableReport(f"{name}: LibreOffice could not convert the .doc (damaged?)")
        return extract_docx(converted.read_bytes(), name, max_chars)
