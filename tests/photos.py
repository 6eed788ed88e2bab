"""Photos for tests, made with Pillow: every awkward kind a newsroom's camera or scanner gives.
They are generated test patterns, never presented as news photos."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

GPS_TEXT = b"GPS-SECRET-POSITION"


def _pattern(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A test card: left half red, right half blue, a white bar along the top."""
    im = Image.new("RGB", size, (30, 60, 200))
    draw = ImageDraw.Draw(im)
    draw.rectangle((0, 0, size[0] // 2, size[1]), fill=(220, 30, 30))
    draw.rectangle((0, 0, size[0], max(1, size[1] // 10)), fill=(255, 255, 255))
    return im.convert(mode) if mode != "RGB" else im


def _exif(orientation: int | None = None, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010E] = "Test card"                       # ImageDescription
    if gps:
        gps_ifd = {1: "N", 2: (39.0, 54.0, 1.0), 3: "E", 4: (116.0, 23.0, 2.0), 0x1B: GPS_TEXT}
        exif[0x8825] = gps_ifd
    return exif.tobytes()


def _truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    _pattern((800, 600)).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def make_photos(folder: Path, big: bool = True) -> dict[str, Path]:
    """Write the good photos into ``folder``; returns name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {}

    def save(name: str, im: Image.Image, fmt: str, **options):
        made[name] = folder / name
        im.save(made[name], fmt, **options)

    save("orient6.jpg", _pattern((900, 600)), "JPEG", exif=_exif(6))
    save("orient8.jpg", _pattern((900, 600)), "JPEG", exif=_exif(8))
    save("gps.jpg", _pattern((1000, 700)), "JPEG", exif=_exif(gps=True))
    save("cmyk.jpg", _pattern((700, 500), "CMYK"), "JPEG")
    alpha = _pattern((500, 400)).convert("RGBA")
    alpha.putalpha(Image.linear_gradient("L").resize((500, 400)))
    save("alpha.png", alpha, "PNG")
    save("deep.png", Image.new("I;16", (300, 200), 32768), "PNG")   # 16-bit grey at half scale
    frames = [_pattern((320, 240)), _pattern((320, 240)).rotate(180)]
    made["animated.gif"] = folder / "animated.gif"
    frames[0].save(made["animated.gif"], "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    save("tiny.png", _pattern((12, 8)), "PNG")
    if big:
        save("big.jpg", _pattern((7746, 5164)), "JPEG", quality=70)   # 40 megapixels
    return made


def make_bad_files(folder: Path) -> dict[str, Path]:
    """Files that must be refused, each for its own reason."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "truncated.jpg": _truncated_jpeg(),
        "text.jpg": b"This is not a photo, only text with a .jpg name.\n",
        "bomb.png": _png_header_only(30000, 30000),
        "drawing.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "disguised.png": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def png_with_huge_text(width: int = 64, height: int = 48) -> bytes:
    """A valid PNG with a compressed text chunk (zTXt) that inflates to 20 MB, past what Pillow
    reads: a few KB on disk."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    buffer = io.BytesIO()
    _pattern((width, height)).save(buffer, "PNG")
    data = buffer.getvalue()
    iend = data.rindex(b"IEND") - 4
    text = chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"A" * 20_000_000, 9))
    return data[:iend] + text + data[iend:]


def save_pattern(path: Path, size: tuple[int, int], fmt: str = "PNG", noise: bool = False) -> Path:
    """A test card of ``size`` (with ``noise``, random pixels that do not compress) saved at ``path``."""
    import os
    im = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else _pattern(size)
    path.parent.mkdir(parents=True, exist_ok=True)
    im.save(path, fmt)
    return path


def save_heic(path: Path, size: tuple[int, int], orientation: int = 1) -> Path:
    """A test card as an iPhone saves photos: HEIC (encoded with pillow-heif's own encoder), with
    EXIF that holds a GPS position and the given orientation."""
    import pillow_heif
    pillow_heif.register_heif_opener()
    path.parent.mkdir(parents=True, exist_ok=True)
    _pattern(size).save(path, "HEIF", quality=80, exif=_exif(orientation, gps=True))
    return path
