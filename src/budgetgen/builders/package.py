"""Office packages (DOCX, XLSX) written deterministically: identical input, identical bytes."""

from __future__ import annotations

import io
import zipfile

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def deterministic_zip(data: bytes, rewrite: dict | None = None) -> bytes:
    """Rewrite the package with fixed member dates: identical input, identical bytes. `rewrite`
    maps a member name to a function fixing its content (e.g. a save time a library stamps in)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            content = source.read(item.filename)
            if rewrite and item.filename in rewrite:
                content = rewrite[item.filename](content)
            target.writestr(info, content)
    return output.getvalue()


