"""QR codes for links, so people in a meeting can open the view on the projector on their
phones. segno draws them; error correction level M survives a blurred or partly covered
projection."""

from __future__ import annotations

import base64
import io

import segno

DARK = "#111111"


def _code(link: str) -> segno.QRCode:
    # micro=False: phones' camera apps do not read Micro QR codes.
    return segno.make(link, error="m", micro=False, boost_error=True)


def qr_svg(link: str, *, scale: int = 4, title: str | None = None) -> str:
    """The link as an SVG QR code (`scale` px per module, the standard 4-module quiet zone)."""
    out = io.BytesIO()
    _code(link).save(
        out, kind="svg", scale=scale, border=4, dark=DARK, light="#ffffff", xmldecl=False, title=title, svgclass=None
    )
    return out.getvalue().decode("utf-8")


def qr_png(link: str, *, scale: int = 4) -> bytes:
    """The link as a PNG QR code."""
    out = io.BytesIO()
    _code(link).save(out, kind="png", scale=scale, border=4, dark=DARK, light="#ffffff")
    return out.getvalue()


def qr_data_uri(link: str, *, scale: int = 4) -> str:
    """The PNG as a data: URI, for an <img> in HTML (no file, no request)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(link, scale=scale)).decode("ascii")
