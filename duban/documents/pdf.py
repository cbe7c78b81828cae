"""Convert .docx to PDF with LibreOffice, when it is installed. Pure: no Django.

Each conversion gets its own temporary directory and LibreOffice profile (two at once would otherwise fight
over one profile lock) and the font fallbacks of ``fonts.conf``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
TIMEOUT_SECONDS = 120


class ConversionError(RuntimeError):
    pass


def soffice() -> str | None:
    """The LibreOffice executable, or None (then no PDF is offered)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(data: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a .docx given as bytes."""
    exe = soffice()
    if exe is None:
        raise ConversionError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="duban-pdf-") as tmp:
        work = Path(tmp)
        source = work / "document.docx"
        source.write_bytes(data)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        command = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        try:
            subprocess.run(command, env=env, cwd=tmp, timeout=timeout, check=True, capture_output=True)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice took longer than {timeout:.0f} s") from exc
        except subprocess.CalledProcessError as exc:
            raise ConversionError(exc.stderr.decode(errors="replace")[-500:]) from exc
        target = work / "document.pdf"
        if not target.exists():
            raise ConversionError("LibreOffice produced no PDF")
        return target.read_bytes()
