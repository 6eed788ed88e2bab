"""Photos made fit to publish, with Pillow: one source file in, a few widths of WebP and a
JPEG (or PNG, with transparency) fallback out.

Every output is a new image: EXIF orientation is applied and then every piece of metadata (EXIF
with GPS positions, XMP, IPTC, comments, ICC profiles) is left behind; colours are converted to
sRGB. Nothing is upscaled. Outputs are cached in a folder named after the digest of the source's
bytes and of the settings below, so a photo is encoded once for as long as neither changes.

``process`` runs in worker processes: it takes and returns plain values.
"""
from __future__ import annotations

import io
import os
import shutil
import warnings
from dataclasses import asdict, dataclass
from hashlib import sha256
from pathlib import Path

import PIL
import pillow_heif
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError, features

from . import cachefile
from .files import read_regular, unreadable

WIDTHS = (400, 800, 1200, 1600)    # widths made of each photo (never wider than the source)
MAX_SIDE = 16383                   # WebP's largest side: a taller image is made narrower to fit
MAX_PIXELS = 100_000_000           # larger images are refused: decompression bombs, scans of posters
MAX_BYTES = 60 * 1024 * 1024       # larger files are refused before they are read whole
WEBP_QUALITY = 78
JPEG_QUALITY = 82
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF", "HEIF"}   # HEIF: iPhones' HEIC photos (pillow-heif)
pillow_heif.register_heif_opener()   # it applies the photo's orientation as it decodes
# what an output depends on besides the source's bytes: these settings and the encoders' versions
SETTINGS = (f"images/2 {WIDTHS} webp:{WEBP_QUALITY} jpeg:{JPEG_QUALITY} png:optimize pillow:{PIL.__version__} "
            f"webp:{features.version('webp')} jpeg:{features.version('jpg')} zlib:{features.version('zlib')} "
            f"heif:{pillow_heif.__version__}")

Image.MAX_IMAGE_PIXELS = MAX_PIXELS   # Pillow itself refuses twice this, before decoding
ImageFile.LOAD_TRUNCATED_IMAGES = False
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Processed:
    """What a photo became. ``width`` and ``height`` are those of the widest output, as shown
    (after orientation)."""

    key: str                   # digest of the source's bytes and SETTINGS: names the cache folder
    width: int
    height: int
    widths: tuple[int, ...]
    fallback: str              # "jpg" or "png"

    def files(self) -> list[str]:
        return [f"{w}.{ext}" for w in self.widths for ext in ("webp", self.fallback)]


DAMAGED = "is damaged, truncated or holds more than a photo does"


class ImageProblem(Exception):
    """The file cannot be published as a photo; the message says why, for an editor."""


def cache_key(data: bytes) -> str:
    return sha256(SETTINGS.encode() + b"\0" + data).hexdigest()[:24]


MANIFEST = "manifest.json"


def _file_digest(path: Path) -> str:
    return sha256(path.read_bytes()).hexdigest()


def cached(folder: Path) -> Processed | None:
    """The outputs in ``folder`` if they are complete and exactly as this machine's build encoded
    them: the manifest (written last, signed: cachefile.py) names each file's digest, and every
    file is checked against it. Anything else is encoded again."""
    meta = cachefile.read(folder / MANIFEST, "photo", SETTINGS)
    try:
        done = Processed(**{**meta["processed"], "widths": tuple(meta["processed"]["widths"])})
        digests = meta["files"]
        if done.key != folder.name or set(digests) != set(done.files()):
            return None
        if all(_file_digest(folder / name) == digests[name] for name in done.files()):
            return done
    except (OSError, ValueError, TypeError, KeyError):
        pass
    return None


def process(source: str, cache: str) -> tuple[str, dict | str, bool]:
    """Process ``source`` into ``cache/<key>/``, or take what is there. Returns (key, the
    Processed as a dict or the problem, whether it was encoded now). Runs in a worker: plain
    values in and out."""
    try:
        size = os.stat(source).st_size
        if size > MAX_BYTES:   # refused before it is read whole
            return "", f"is {size / 2**20:.0f} MiB; a photo may be at most {MAX_BYTES // 2**20} MiB", False
        data = read_regular(source)
    except OSError as exc:
        return "", unreadable(exc), False
    key = cache_key(data)
    folder = Path(cache) / key
    done = cached(folder)
    if done is not None:
        return key, asdict(done), False
    try:
        return key, asdict(_encode(data, key, folder)), True
    except ImageProblem as exc:
        return key, str(exc), False


def _open(data: bytes) -> Image.Image:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise ImageProblem("is SVG, which is not accepted (it can carry script); export it as PNG")
    if len(data) > MAX_BYTES:
        raise ImageProblem(f"is {len(data) / 2**20:.0f} MiB; a photo may be at most {MAX_BYTES // 2**20} MiB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(f"has more than {MAX_PIXELS // 1_000_000} million pixels; make it smaller") from None
    except UnidentifiedImageError:
        raise ImageProblem("is not an image Pillow can read (or is damaged)") from None
    except (ValueError, OSError, SyntaxError, EOFError) as exc:   # e.g. a text chunk or profile too large once inflated
        raise ImageProblem(f"{DAMAGED} ({exc})") from None
    if im.format not in FORMATS:
        raise ImageProblem(f"is a {im.format} image; use JPEG, PNG, WebP, GIF, TIFF or HEIC")
    if im.width * im.height > MAX_PIXELS:
        raise ImageProblem(f"is {im.width}×{im.height}, more than {MAX_PIXELS // 1_000_000} million pixels; "
                           f"make it smaller")
    return im


def _decode(data: bytes) -> Image.Image:
    """The image as shown: decoded whole (a damaged file fails here), oriented, 8-bit sRGB(A)."""
    im = _open(data)
    if im.format in ("JPEG", "MPO"):
        im.draft(None, (WIDTHS[-1], WIDTHS[-1]))     # decode at a reduced scale when that suffices
    try:
        im.load()
        icc = im.info.get("icc_profile")
        im = ImageOps.exif_transpose(im)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageProblem(f"{DAMAGED} ({exc})") from None
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):   # 16-bit and float greys
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L") if im.mode != "F" else im.convert("L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La")
    mode = "RGBA" if alpha else "RGB"
    if icc:
        try:
            im = ImageCms.profileToProfile(im if im.mode in ("RGB", "RGBA", "CMYK", "L") else im.convert(mode),
                                           ImageCms.ImageCmsProfile(io.BytesIO(icc)), _SRGB, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            im = im.convert(mode)   # a broken profile: read the values as sRGB
    elif im.mode != mode:
        im = im.convert(mode)
    if alpha and im.getextrema()[3][0] == 255:   # an alpha channel that hides nothing
        im = im.convert("RGB")
    return im


def output_widths(width: int, height: int) -> tuple[int, ...]:
    """The widths made of a photo: WIDTHS up to its own width, none so narrow that the image is
    taller than WebP allows (an infographic 800 x 20,000 px is made 655 px wide at most)."""
    widest = min(width, WIDTHS[-1], MAX_SIDE * width // height)
    if widest < 1:
        raise ImageProblem(f"is {width}×{height} px, too tall for its width to be shown; crop it")
    return tuple(sorted({w for w in WIDTHS if w < widest} | {widest}))


def _encode(data: bytes, key: str, folder: Path) -> Processed:
    im = _decode(data)
    full_width, full_height = im.size
    widths = output_widths(full_width, full_height)
    fallback = "png" if im.mode == "RGBA" else "jpg"
    partial = folder.with_name(f"{folder.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        return _write(im, key, folder, partial, widths, fallback)
    except OSError as exc:   # a full disk: name the cache folder, leave no partial folder behind
        shutil.rmtree(partial, ignore_errors=True)
        raise OSError(exc.errno, exc.strerror or str(exc), str(partial)) from None   # names the cache folder
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _write(im: Image.Image, key: str, folder: Path, partial: Path, widths: tuple[int, ...], fallback: str) -> Processed:
    full_width, full_height = im.size
    partial.mkdir(parents=True)
    current = im
    for width in reversed(widths):        # widest first, each made from the one before
        height = max(1, round(full_height * width / full_width))
        if current.size != (width, height):
            current = current.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        current.info = {}                 # nothing of the source's metadata goes out
        current.save(partial / f"{width}.webp", "WEBP", quality=WEBP_QUALITY, method=4)
        if fallback == "jpg":
            current.save(partial / f"{width}.jpg", "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        else:
            current.save(partial / f"{width}.png", "PNG", optimize=True)
    done = Processed(key, widths[-1], max(1, round(full_height * widths[-1] / full_width)), widths, fallback)
    cachefile.write(partial / MANIFEST, "photo", SETTINGS,
                    {"processed": asdict(done), "files": {name: _file_digest(partial / name) for name in done.files()}})
    shutil.rmtree(folder, ignore_errors=True)   # a folder that failed its check
    try:
        partial.rename(folder)
    except OSError:                       # another process made it meanwhile
        shutil.rmtree(partial, ignore_errors=True)
        done = cached(folder) or done
    return done
