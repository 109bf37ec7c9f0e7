"""QR codes decode (with zxing-cpp, a reader independent of the writer) to the exact link."""

from __future__ import annotations

import base64
import io

import pytest
import vl_convert as vlc
import zxingcpp
from PIL import Image

from lib import qr

LINKS = [
    "http://127.0.0.1:8560/",
    "https://dashboard.example.org/stop_search?snapshot=official&borough=E09000022&from=2024-03&to=2025-02",
    "https://dashboard.example.org/violence?snapshot=official-2025-02&borough=E09000030&from=2023-01&to=2024-12"
    "&offence=violence-with-injury&measure=count&map=tiles&slide=3&present=1",
]


def _decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("link", LINKS)
def test_png_decodes_to_the_exact_link(link):
    image = Image.open(io.BytesIO(qr.qr_png(link)))
    assert _decoded(image) == [link]


@pytest.mark.parametrize("link", LINKS)
def test_svg_decodes_to_the_exact_link(link):
    svg = qr.qr_svg(link, title="Link to this view")
    assert svg.startswith("<svg") and "<title>Link to this view</title>" in svg
    image = Image.open(io.BytesIO(vlc.svg_to_png(svg, scale=1)))
    assert _decoded(image) == [link]


def test_code_still_reads_at_a_thumbnail_size():
    """A 1280×720 share shown at 960×540 shrinks a 4-px-module code to 3 px a module."""
    link = LINKS[2]
    image = Image.open(io.BytesIO(qr.qr_png(link, scale=4)))
    small = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.BILINEAR)
    assert _decoded(small) == [link]


def test_data_uri_is_the_png():
    uri = qr.qr_data_uri(LINKS[0])
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == qr.qr_png(LINKS[0])
