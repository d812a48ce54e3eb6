"""Real image files for tests, made with Pillow: photos with EXIF, GPS and XMP like a
phone's, transparent PNGs, and files that are broken in the ways real files break."""

from __future__ import annotations

import io

import pillow_heif
from PIL import Image, ImageDraw

pillow_heif.register_heif_opener()

ORIENTATION, GPS_IFD, MAKE = 0x0112, 0x8825, 0x010F
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Student Photographer"/>'
       b"</rdf:RDF></x:xmpmeta>")


def scene(width: int, height: int, seed: int = 0) -> Image.Image:
    """A picture whose top is sky-blue and bottom grass-green, with a red mark in the top
    left corner: tests can tell which way up it is and where its corner went."""
    image = Image.new("RGB", (width, height), (70 + seed % 50, 140, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height // 2, width, height), fill=(40, 150 + seed % 60, 60))
    draw.rectangle((0, 0, width // 5, height // 5), fill=(220, 20, 20))
    return image


def phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "Example Phone"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)}
    return exif


def jpeg(width: int = 1200, height: int = 900, *, orientation: int = 1, seed: int = 0,
         stored: Image.Image | None = None) -> bytes:
    """A phone-style JPEG: EXIF (maker, GPS, orientation), XMP and a comment."""
    image = stored or scene(width, height, seed)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=phone_exif(orientation), xmp=XMP,
               comment=b"taken at home")
    return buffer.getvalue()


def turned_jpeg(width: int = 1200, height: int = 900) -> bytes:
    """The scene stored turned a quarter clockwise, with Orientation 6 (rotate 90 CW to
    show), as a phone held upright writes it: shown upright it is ``width`` x ``height``."""
    upright = scene(width, height)
    return jpeg(stored=upright.transpose(Image.Transpose.ROTATE_90), orientation=6)


def png(width: int = 800, height: int = 600, *, transparent: bool = True) -> bytes:
    image = scene(width, height).convert("RGBA")
    if transparent:
        ImageDraw.Draw(image).ellipse((0, 0, width // 2, height // 2), fill=(0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def heic(width: int = 1000, height: int = 750) -> bytes:
    buffer = io.BytesIO()
    scene(width, height).save(buffer, "HEIF", quality=70, exif=phone_exif())
    return buffer.getvalue()


def gif(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    scene(width, height).convert("P").save(buffer, "GIF")
    return buffer.getvalue()
