"""Product and category pictures: upload validation and the renditions shown.

`validate_product_image` is a plain Django validator, so model forms, admin
forms and DRF serializers (which run Django validators) share one set of rules
and messages. It trusts the bytes, never the file name or the browser's content
type: Pillow must recognise the content as JPEG, PNG or WebP.

`render_renditions` turns an original into the two pictures the shop shows: a
square `thumbnail` for listings and a `display` picture for the product page.
Both are rotated upright from the EXIF orientation and carry no EXIF (which
can hold the camera owner's location).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError, features

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
THUMBNAIL_SIZE = (400, 400)
DISPLAY_LONG_SIDE = 1200
WEBP_QUALITY = 82
JPEG_QUALITY = 85

MESSAGES = {
    "too_big": _(
        "The file is %(size)s; a picture may be at most %(limit)s. "
        "Save it smaller or with more compression and upload it again."
    ),
    "type": _(
        "Upload a JPEG, PNG or WebP picture. This file is another type "
        "or not a picture at all."
    ),
    "corrupt": _(
        "The picture is damaged or incomplete and cannot be read. "
        "Export it again from your photo editor."
    ),
    "bomb": _("The picture has too many pixels to be processed safely."),
    "too_small": _(
        "The picture is %(width)s × %(height)s pixels; its shorter side must be "
        "at least %(minimum)s pixels."
    ),
    "too_large": _(
        "The picture is %(width)s × %(height)s pixels; its longer side may be "
        "at most %(maximum)s pixels."
    ),
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=f"image_{code}", params=params or None)


def _file_size(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def _check_dimensions(width: int, height: int) -> None:
    # Checked from the header, before any pixel is decoded, so a small file
    # that claims huge dimensions never gets to allocate them.
    if Image.MAX_IMAGE_PIXELS and width * height > Image.MAX_IMAGE_PIXELS:
        raise _error("bomb")
    if max(width, height) > settings.PRODUCT_IMAGE_MAX_PIXELS:
        raise _error(
            "too_large",
            width=width,
            height=height,
            maximum=settings.PRODUCT_IMAGE_MAX_PIXELS,
        )
    if min(width, height) < settings.PRODUCT_IMAGE_MIN_PIXELS:
        raise _error(
            "too_small",
            width=width,
            height=height,
            minimum=settings.PRODUCT_IMAGE_MIN_PIXELS,
        )


def validate_product_image(file: IO[bytes]) -> None:
    """Raise `ValidationError` unless `file` is a sound, acceptable picture.

    Rules: at most `PRODUCT_IMAGE_MAX_BYTES`; really JPEG, PNG or WebP; the
    shorter side at least `PRODUCT_IMAGE_MIN_PIXELS`, the longer side at most
    `PRODUCT_IMAGE_MAX_PIXELS`; fully decodable. The file is rewound afterwards.
    """
    size = _file_size(file)
    if size > settings.PRODUCT_IMAGE_MAX_BYTES:
        raise _error(
            "too_big",
            size=filesizeformat(size),
            limit=filesizeformat(settings.PRODUCT_IMAGE_MAX_BYTES),
        )
    try:
        file.seek(0)
        with Image.open(file, formats=ALLOWED_FORMATS) as picture:
            _check_dimensions(*picture.size)
            picture.verify()
        # verify() leaves the image unusable and skips most pixel data, so a
        # second pass decodes it; JPEG decodes at 1/8 scale to spare memory
        # but still reads the whole stream, so truncation is caught.
        file.seek(0)
        with Image.open(file, formats=ALLOWED_FORMATS) as picture:
            width, height = picture.size
            picture.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
            picture.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _error("bomb") from None
    except UnidentifiedImageError:
        raise _error("type") from None
    except Exception:
        # Pillow reports damaged files with many exception types (OSError,
        # SyntaxError, struct.error, …); to the merchant they are all "damaged".
        raise _error("corrupt") from None
    finally:
        file.seek(0)


@dataclass(frozen=True, slots=True)
class Rendition:
    content: bytes
    extension: str
    width: int
    height: int


def _rendition_format() -> tuple[str, str]:
    return ("WEBP", ".webp") if features.check("webp") else ("JPEG", ".jpg")


def _upright(picture: Image.Image) -> Image.Image:
    picture = ImageOps.exif_transpose(picture)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    return picture.convert("RGBA" if has_alpha else "RGB")


def _encode(picture: Image.Image, image_format: str, icc_profile: bytes | None):
    if image_format == "JPEG" and picture.mode == "RGBA":
        background = Image.new("RGB", picture.size, (255, 255, 255))
        background.paste(picture, mask=picture.getchannel("A"))
        picture = background
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4, **options)
    else:
        picture.save(
            buffer,
            "JPEG",
            quality=JPEG_QUALITY,
            optimize=True,
            progressive=True,
            **options,
        )
    return buffer.getvalue()


def render_renditions(source: IO[bytes]) -> dict[str, Rendition]:
    """The `thumbnail` (400×400, cropped to fill) and `display` (≤1200 px) pictures.

    The returned names match the `ProductImage` fields they are stored in.
    """
    image_format, extension = _rendition_format()
    with Image.open(source, formats=ALLOWED_FORMATS) as original:
        # The colour profile is kept (colours shift without it); EXIF is not.
        icc_profile = original.info.get("icc_profile")
        picture = _upright(original)
    thumbnail = ImageOps.fit(picture, THUMBNAIL_SIZE, Image.Resampling.LANCZOS)
    display = picture.copy()
    display.thumbnail((DISPLAY_LONG_SIDE, DISPLAY_LONG_SIDE), Image.Resampling.LANCZOS)
    return {
        name: Rendition(
            content=_encode(rendition, image_format, icc_profile),
            extension=extension,
            width=rendition.width,
            height=rendition.height,
        )
        for name, rendition in (("thumbnail", thumbnail), ("display", display))
    }
