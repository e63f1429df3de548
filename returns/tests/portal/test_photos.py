"""`photo_clean`: what a shopper may attach to a return, and what is stored."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from returns.errors import ReturnError
from returns.photos import MAX_BYTES, photo_clean

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def upload(data: bytes, name: str = "photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def image_bytes(size=(800, 600), fmt="JPEG", mode="RGB", colour=(200, 30, 30), **save):
    picture = Image.new(mode, size, colour)
    buffer = BytesIO()
    picture.save(buffer, fmt, **save)
    return buffer.getvalue()


def rotated_photo_with_gps() -> bytes:
    """A landscape JPEG that says "turn me 90° clockwise", with a location.

    The top half is red and the bottom half blue, so upright the right half
    is red.
    """
    picture = Image.new("RGB", (1000, 600), (220, 20, 20))
    picture.paste((20, 20, 220), (0, 300, 1000, 600))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PhoneCo"
    exif[GPS_IFD] = {1: "N", 2: (25.0, 2.0, 0.0), 3: "E", 4: (121.0, 33.0, 0.0)}
    buffer = BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95, comment=b"home sofa")
    return buffer.getvalue()


def opened(content) -> Image.Image:
    return Image.open(BytesIO(content.read()))


def refusal(uploaded) -> ReturnError:
    with pytest.raises(ReturnError) as caught:
        photo_clean(uploaded)
    assert caught.value.field == "photos"
    return caught.value


def test_gps_and_every_other_exif_are_gone_and_the_photo_is_upright():
    original = rotated_photo_with_gps()
    assert Image.open(BytesIO(original)).getexif().get_ifd(GPS_IFD)

    cleaned = photo_clean(upload(original, "IMG_0001.JPG"))

    picture = opened(cleaned)
    assert picture.format == "JPEG"
    assert dict(picture.getexif()) == {}
    assert "exif" not in picture.info
    assert "comment" not in picture.info
    assert picture.size == (600, 1000)
    red, _g, blue = picture.convert("RGB").getpixel((500, 500))
    assert red > 180 and blue < 60
    red, _g, blue = picture.convert("RGB").getpixel((50, 500))
    assert blue > 180 and red < 60


def test_the_stored_name_is_random_and_never_the_shoppers():
    first = photo_clean(upload(image_bytes(), "王小明 home.jpg"))
    second = photo_clean(upload(image_bytes(), "王小明 home.jpg"))

    assert first.name.endswith(".jpg") and len(first.name) == 36
    assert first.name != second.name
    assert "home" not in first.name


def test_png_stays_png_and_webp_becomes_jpeg():
    exif = Image.Exif()
    exif[MAKE] = "PhoneCo"
    png = photo_clean(upload(image_bytes(fmt="PNG", exif=exif), "screen.png"))
    webp = photo_clean(
        upload(image_bytes(fmt="WEBP", mode="RGBA", colour=(0, 0, 0, 0)), "a.webp")
    )

    assert png.name.endswith(".png")
    png_picture = opened(png)
    assert png_picture.format == "PNG"
    assert dict(png_picture.getexif()) == {}
    picture = opened(webp)
    assert (picture.format, picture.mode) == ("JPEG", "RGB")
    # Transparent parts become white, as on the page.
    assert picture.getpixel((10, 10)) == (255, 255, 255)


def test_the_colour_profile_is_kept():
    profile = b"\x00" * 128 + b"fake profile bytes"
    picture = Image.new("RGB", (300, 300), (10, 120, 10))
    buffer = BytesIO()
    picture.save(buffer, "JPEG", icc_profile=profile)

    cleaned = opened(photo_clean(upload(buffer.getvalue())))

    assert cleaned.info["icc_profile"] == profile


def test_very_large_photos_are_stored_at_most_4096_pixels_long():
    cleaned = opened(photo_clean(upload(image_bytes(size=(6000, 1000), quality=30))))

    assert cleaned.size == (4096, 683)


def test_a_jpeg_with_a_second_image_is_taken_as_its_first_image_only():
    # Phones write a HDR gain map or a depth map after the photo (MPO).
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (25.0, 2.0, 0.0)}
    photo, gain_map = (
        Image.new("RGB", (800, 600), (200, 30, 30)),
        Image.new("RGB", (400, 300), (9, 9, 9)),
    )
    buffer = BytesIO()
    photo.save(buffer, "MPO", save_all=True, append_images=[gain_map], exif=exif)

    stored = opened(photo_clean(upload(buffer.getvalue(), "IMG_0001.JPG")))

    assert (stored.format, stored.size) == ("JPEG", (800, 600))
    assert getattr(stored, "n_frames", 1) == 1
    assert dict(stored.getexif()) == {}


def test_a_renamed_text_file_is_refused():
    error = refusal(upload(b"my bank password is hunter2\n" * 40, "receipt.jpg"))

    assert error.message == "“receipt.jpg” is not a JPEG, PNG or WebP photo."
    assert error.code == "photo_type"


def test_other_image_types_are_refused():
    error = refusal(upload(image_bytes(fmt="GIF", mode="P"), "anim.gif"))

    assert error.message == "“anim.gif” is not a JPEG, PNG or WebP photo."


def test_a_file_over_8_mb_is_refused_by_its_size():
    error = refusal(upload(b"\xff\xd8" + b"0" * MAX_BYTES, "huge.jpg"))

    assert error.message == "“huge.jpg” is larger than 8 MB."
    assert error.code == "photo_too_large"


def test_a_file_over_8_mb_without_a_known_size_is_refused_while_reading():
    stream = BytesIO(b"\xff\xd8" + b"0" * MAX_BYTES)
    stream.name = "stream.jpg"

    assert refusal(stream).code == "photo_too_large"


def test_an_empty_file_is_refused():
    assert refusal(upload(b"", "empty.jpg")).message == "“empty.jpg” is empty."


def test_a_tiny_photo_is_refused_with_its_size():
    error = refusal(upload(image_bytes(size=(640, 150)), "thumb.jpg"))

    assert error.message == (
        "“thumb.jpg” is 640 × 150 pixels; photos need at least 200 × 200 "
        "so the item can be seen."
    )


def test_more_than_40_megapixels_is_refused_before_decoding():
    # 8000 × 5001 is just over 40 megapixels, yet compresses to a few kB.
    error = refusal(upload(image_bytes(size=(8000, 5001), fmt="PNG"), "big.png"))

    assert error.code == "photo_too_many_pixels"
    assert error.message == (
        "“big.png” has more than 40 megapixels; please send a smaller photo."
    )


def test_a_decompression_bomb_is_refused_without_expanding_it(monkeypatch):
    # A header claiming more pixels than Pillow's own guard allows.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100_000)
    data = image_bytes(size=(1000, 1000), fmt="PNG")

    assert refusal(upload(data, "bomb.png")).code == "photo_too_many_pixels"


def test_a_truncated_photo_is_refused_as_damaged():
    data = image_bytes(size=(1200, 900), quality=95)

    error = refusal(upload(data[: len(data) // 2], "cut.jpg"))

    assert error.code == "photo_unreadable"
    assert error.message == "“cut.jpg” could not be read; it may be damaged."


def test_a_long_path_is_shortened_in_the_message():
    name = "C:\\Users\\me\\Pictures\\" + "x" * 80 + ".txt"

    error = refusal(upload(b"text", name))

    assert error.message == "“" + "x" * 57 + "…” is not a JPEG, PNG or WebP photo."
