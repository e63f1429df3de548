"""Photos a shopper attaches to a returned line: checked, turned upright, cleaned.

Accepted: JPEG, PNG and WebP, what the installed Pillow decodes (HEIC needs a
plugin the shop does not ship; phones offer JPEG when uploading through a
browser). A photo is at most 8 MB, at least 200 × 200 pixels and at most
40 megapixels; the pixel count is read from the header before any decoding, so
a decompression bomb is refused without being expanded.

Every photo is decoded and written again: the EXIF orientation is applied to
the pixels first, then everything else of the original is left behind (EXIF
with its GPS location, camera serial and time, XMP, comments, text chunks);
only the ICC colour profile is kept, since a "wrong colour" claim is judged
on the colours. PNG stays PNG (screenshots, lossless); JPEG and WebP become
JPEG. The stored name is random, never the shopper's file name.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from returns.errors import ReturnError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# A JPEG carrying more images after the first (an iPhone's HDR gain map, a
# depth map): Pillow's JPEG decoder names it MPO. Only the first is kept.
JPEG_VARIANTS = ("MPO",)
MAX_BYTES = 8 * 1024 * 1024
MIN_SIDE = 200
MAX_PIXELS = 40_000_000
# Stored photos are shrunk to this longest side: plenty to judge a defect.
MAX_STORED_SIDE = 4096
JPEG_QUALITY = 85
FIELD = "photos"
RGB_MODES = frozenset({"RGB", "RGBA", "RGBX", "P", "PA"})


def _name(uploaded) -> str:
    name = str(getattr(uploaded, "name", "") or "")
    # Only the last part of a path, cut short: the message repeats it.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return name if len(name) <= 60 else name[:57] + "…"


def _refuse(message: str, code: str) -> ReturnError:
    return ReturnError(message, field=FIELD, code=code)


def _read(uploaded) -> bytes:
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(
            _("“%(name)s” is larger than 8 MB.") % {"name": _name(uploaded)},
            "photo_too_large",
        )
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    # One byte past the limit tells an oversized file whose size was not known.
    data = uploaded.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(
            _("“%(name)s” is larger than 8 MB.") % {"name": _name(uploaded)},
            "photo_too_large",
        )
    if not data:
        raise _refuse(
            _("“%(name)s” is empty.") % {"name": _name(uploaded)}, "photo_empty"
        )
    return data


def _open(data: bytes, name: str) -> Image.Image:
    not_an_image = _refuse(
        _("“%(name)s” is not a JPEG, PNG or WebP photo.") % {"name": name},
        "photo_type",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only these decoders are tried: the bytes decide, never the name.
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError as error:
        raise not_an_image from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(name) from error
    if image.format not in (*ACCEPTED_FORMATS, *JPEG_VARIANTS):
        raise not_an_image
    return image


def _too_many_pixels(name: str) -> ReturnError:
    return _refuse(
        _("“%(name)s” has more than 40 megapixels; please send a smaller photo.")
        % {"name": name},
        "photo_too_many_pixels",
    )


def _check_dimensions(image: Image.Image, name: str) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name)
    if width < MIN_SIDE or height < MIN_SIDE:
        raise _refuse(
            _(
                "“%(name)s” is %(width)s × %(height)s pixels; photos need at "
                "least %(min)s × %(min)s so the item can be seen."
            )
            % {"name": name, "width": width, "height": height, "min": MIN_SIDE},
            "photo_too_small",
        )


def _decode(image: Image.Image, name: str) -> Image.Image:
    """The first frame's pixels, upright, without any of the original's metadata."""
    try:
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image)
    except Exception as error:
        # Truncated or corrupt data behind a valid header: Pillow reports it
        # with many exception types (OSError, SyntaxError, struct.error, …).
        raise _refuse(
            _("“%(name)s” could not be read; it may be damaged.") % {"name": name},
            "photo_unreadable",
        ) from error
    icc_profile = image.info.get("icc_profile")
    # exif_transpose copies info (EXIF, XMP, comments); nothing of it is kept.
    upright.info = {"icc_profile": icc_profile} if icc_profile else {}
    if max(upright.size) > MAX_STORED_SIDE:
        upright.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), Image.Resampling.LANCZOS)
    return upright


def _as_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    # A grey or CMYK profile does not describe RGB pixels: it goes.
    info = dict(image.info) if image.mode in RGB_MODES else {}
    if image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    ):
        rgba = image.convert("RGBA")
        # JPEG has no transparency: transparent parts show white, as on the page.
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        flat.info = info
        return flat
    rgb = image.convert("RGB")
    rgb.info = info
    return rgb


def _encode(image: Image.Image, keep_png: bool) -> tuple[bytes, str]:
    out = io.BytesIO()
    if keep_png:
        if image.mode not in ("1", "L", "LA", "RGB", "RGBA", "P", "I;16"):
            image = image.convert("RGBA")
            # The profile described the other mode's pixels.
            image.info = {}
        image.save(out, format="PNG", optimize=True)
        return out.getvalue(), "png"
    image = _as_rgb(image)
    icc_profile = image.info.get("icc_profile")
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, **extra)
    return out.getvalue(), "jpg"


def photo_clean(uploaded) -> ContentFile:
    """A shopper's upload, validated and re-encoded without metadata.

    `uploaded` is a Django `UploadedFile` (or any file object with `read`).
    Returns a `ContentFile` with a random name (`<hex>.jpg` or `<hex>.png`),
    ready for an `ImageField`. Raises `ReturnError(field="photos")` with a
    message naming the file when it is not a JPEG, PNG or WebP image, is larger
    than 8 MB, smaller than 200 × 200 pixels, larger than 40 megapixels, or
    cannot be decoded.
    """
    name = _name(uploaded)
    data = _read(uploaded)
    image = _open(data, name)
    try:
        _check_dimensions(image, name)
        keep_png = image.format == "PNG"
        clean = _decode(image, name)
        content, extension = _encode(clean, keep_png)
    finally:
        image.close()
    return ContentFile(content, name=f"{uuid.uuid4().hex}.{extension}")
