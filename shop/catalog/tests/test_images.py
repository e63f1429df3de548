import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from shop.catalog import services
from shop.catalog.errors import ProductImageRejected
from shop.catalog.forms import CategoryAdminForm, ProductImageForm
from shop.catalog.images import render_renditions, validate_product_image
from shop.catalog.models import ProductImage
from shop.catalog.tasks import (
    generate_product_image_renditions,
    regenerate_missing_thumbnails,
)
from shop.catalog.tests.factories import (
    ProductFactory,
    ProductImageFactory,
    image_file,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def picture_bytes(size=(800, 600), fmt="JPEG", color=(200, 120, 40), **save_options):
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims these dimensions but holds no pixels at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def rejection(file) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_product_image(file)
    return caught.value


# --- Validation --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_rewound(fmt):
    file = upload(picture_bytes(fmt=fmt), name=f"photo.{fmt.lower()}")

    assert validate_product_image(file) is None
    assert file.tell() == 0


def test_the_content_decides_not_the_file_name():
    png_named_jpg = upload(picture_bytes(fmt="PNG"), name="photo.jpg")
    text_named_jpg = upload(b"just some text, not a picture", name="photo.jpg")

    assert validate_product_image(png_named_jpg) is None
    error = rejection(text_named_jpg)
    assert error.code == "image_type"
    assert error.messages == [
        "Upload a JPEG, PNG or WebP picture. "
        "This file is another type or not a picture at all."
    ]


def test_a_real_picture_of_another_type_is_refused():
    error = rejection(upload(picture_bytes(fmt="GIF"), name="anim.gif"))

    assert error.code == "image_type"


def test_a_file_over_the_byte_limit_is_refused(settings):
    settings.PRODUCT_IMAGE_MAX_BYTES = 1000
    content = picture_bytes(size=(600, 600), quality=95)
    assert len(content) > 1000

    error = rejection(upload(content))

    assert error.code == "image_too_big"
    assert error.messages[0].startswith("The file is ")
    assert "a picture may be at most 1000\xa0bytes." in error.messages[0]


def test_a_picture_too_small_is_refused(settings):
    settings.PRODUCT_IMAGE_MIN_PIXELS = 300

    error = rejection(upload(picture_bytes(size=(800, 299))))

    assert error.code == "image_too_small"
    assert error.messages == [
        "The picture is 800 × 299 pixels; its shorter side must be at least 300 pixels."
    ]


def test_a_picture_too_large_is_refused_before_decoding(settings):
    settings.PRODUCT_IMAGE_MAX_PIXELS = 6000

    error = rejection(upload(png_header_only(6001, 400), name="wide.png"))

    assert error.code == "image_too_large"
    assert error.messages == [
        "The picture is 6001 × 400 pixels; its longer side may be at most 6000 pixels."
    ]


def test_decompression_bombs_are_refused(settings):
    settings.PRODUCT_IMAGE_MAX_PIXELS = 100_000
    # Past twice Pillow's limit Image.open itself refuses; past the limit it
    # only warns, and the validator refuses.
    huge = rejection(upload(png_header_only(20_000, 20_000), name="bomb.png"))
    with pytest.warns(Image.DecompressionBombWarning):
        large = rejection(upload(png_header_only(10_000, 10_000), name="bomb.png"))

    assert huge.code == large.code == "image_bomb"
    assert huge.messages == ["The picture has too many pixels to be processed safely."]


def test_a_truncated_picture_is_refused_as_damaged():
    content = picture_bytes(size=(1200, 900))

    error = rejection(upload(content[: len(content) // 2]))

    assert error.code == "image_corrupt"
    assert error.messages == [
        "The picture is damaged or incomplete and cannot be read. "
        "Export it again from your photo editor."
    ]


def test_the_admin_image_form_shows_the_rule_as_a_form_error():
    form = ProductImageForm(
        data={"alt_text": "", "position": 0},
        files={"image": upload(b"not a picture", name="x.png")},
    )

    assert not form.is_valid()
    assert form.errors["image"] == [
        "Upload a JPEG, PNG or WebP picture. "
        "This file is another type or not a picture at all."
    ]


@pytest.mark.django_db
def test_the_category_form_validates_its_optional_picture(settings):
    settings.PRODUCT_IMAGE_MIN_PIXELS = 300
    data = {"name": "茶", "slug": "tea", "position": 0, "is_active": True}

    without = CategoryAdminForm(data=data)
    small = CategoryAdminForm(
        data=data, files={"image": upload(picture_bytes(size=(200, 200)))}
    )

    assert without.is_valid(), without.errors
    assert small.errors["image"] == [
        "The picture is 200 × 200 pixels; its shorter side must be at least 300 pixels."
    ]


# --- Renditions --------------------------------------------------------------


def rotated_photo_with_gps() -> bytes:
    """A landscape JPEG whose EXIF says "turn me 90° clockwise", with a location.

    The top half is red and the bottom half blue, so after turning upright
    the right half must be red.
    """
    picture = Image.new("RGB", (1600, 1000), (220, 20, 20))
    picture.paste((20, 20, 220), (0, 500, 1600, 1000))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (25.0, 2.0, 0.0)}  # GPS: somewhere in Taipei
    buffer = BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def test_renditions_are_upright_sized_and_without_exif():
    renditions = render_renditions(BytesIO(rotated_photo_with_gps()))

    thumbnail = Image.open(BytesIO(renditions["thumbnail"].content))
    display = Image.open(BytesIO(renditions["display"].content))
    assert thumbnail.format == display.format == "WEBP"
    assert thumbnail.size == (400, 400)
    assert display.size == (750, 1200)
    assert dict(thumbnail.getexif()) == {}
    assert dict(display.getexif()) == {}
    red, _g, blue = display.convert("RGB").getpixel((700, 600))
    assert red > 180 and blue < 60
    red, _g, blue = display.convert("RGB").getpixel((50, 600))
    assert blue > 180 and red < 60


def test_transparent_png_keeps_its_alpha_in_webp():
    buffer = BytesIO()
    Image.new("RGBA", (600, 600), (10, 200, 10, 0)).save(buffer, "PNG")

    renditions = render_renditions(BytesIO(buffer.getvalue()))

    thumbnail = Image.open(BytesIO(renditions["thumbnail"].content))
    assert thumbnail.mode == "RGBA"
    assert thumbnail.getpixel((10, 10))[3] == 0


@pytest.mark.django_db
def test_adding_images_queues_renditions_after_commit(
    django_capture_on_commit_callbacks,
):
    product = ProductFactory()
    ProductImageFactory(product=product, position=4)

    with django_capture_on_commit_callbacks() as callbacks:
        added = services.product_images_add(
            product=product,
            files=[image_file("a.jpg"), image_file("b.png", fmt="PNG")],
            alt_text="豆子",
        )
        [first, second] = added
        first.refresh_from_db()
        assert first.thumbnail.name == ""

    assert [image.position for image in added] == [5, 6]
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.thumbnail.name == f"products/thumbs/{first.pk}-a.webp"
    assert first.display.name == f"products/display/{first.pk}-a.webp"
    assert second.thumbnail.name == f"products/thumbs/{second.pk}-b.webp"
    assert Image.open(first.thumbnail.path).size == (400, 400)
    assert Image.open(first.display.path).size == (800, 800)
    assert first.thumbnail_url == f"/media/products/thumbs/{first.pk}-a.webp"


@pytest.mark.django_db
def test_a_bad_file_adds_no_image_at_all():
    product = ProductFactory()

    with pytest.raises(ProductImageRejected) as caught:
        services.product_images_add(
            product=product,
            files=[image_file("good.jpg"), upload(b"nope", name="bad.jpg")],
        )

    assert caught.value.field == "image"
    assert caught.value.message == (
        "bad.jpg: Upload a JPEG, PNG or WebP picture. "
        "This file is another type or not a picture at all."
    )
    assert ProductImage.objects.count() == 0


@pytest.fixture
def media(settings):
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_generating_twice_gives_the_same_files(media):
    image = ProductImageFactory(image=image_file("beans.jpg"))

    assert generate_product_image_renditions.delay(image.pk).get() is True
    image.refresh_from_db()
    first = (image.thumbnail.name, image.display.name)
    assert generate_product_image_renditions.delay(image.pk).get() is True
    image.refresh_from_db()

    assert (image.thumbnail.name, image.display.name) == first
    thumbs = sorted(p.name for p in (media / "products" / "thumbs").iterdir())
    assert thumbs == [f"{image.pk}-beans.webp"]


@pytest.mark.django_db
def test_a_new_file_replaces_the_old_renditions(
    django_capture_on_commit_callbacks, media
):
    image = ProductImageFactory(image=image_file("old.jpg"))
    services.product_image_renditions_generate(image_id=image.pk)
    image.refresh_from_db()
    old_thumbnail = Path(image.thumbnail.path)
    assert old_thumbnail.exists()

    image.image = image_file("new.jpg", size=(1000, 500))
    image.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_images_file_changed(images=[image])

    image.refresh_from_db()
    assert image.thumbnail.name == f"products/thumbs/{image.pk}-new.webp"
    assert Image.open(image.display.path).size == (1000, 500)
    assert not old_thumbnail.exists()
    assert sorted(p.name for p in (media / "products" / "thumbs").iterdir()) == [
        f"{image.pk}-new.webp"
    ]


@pytest.mark.django_db
def test_missing_renditions_are_swept_up_nightly(django_capture_on_commit_callbacks):
    done = ProductImageFactory()
    services.product_image_renditions_generate(image_id=done.pk)
    missing = [ProductImageFactory(), ProductImageFactory()]

    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert regenerate_missing_thumbnails.delay().get() == 2

    assert len(queued) == 2

    for image in missing:
        image.refresh_from_db()
        assert image.thumbnail.name == f"products/thumbs/{image.pk}-{_stem(image)}.webp"
    assert regenerate_missing_thumbnails.delay().get() == 0


def _stem(image):
    return image.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]


@pytest.mark.django_db
def test_a_damaged_original_or_a_deleted_image_is_skipped_quietly():
    image = ProductImageFactory()
    with open(image.image.path, "wb") as original:
        original.write(b"\xff\xd8garbage")

    assert services.product_image_renditions_generate(image_id=image.pk) is False
    assert services.product_image_renditions_generate(image_id=image.pk + 1) is False
    image.refresh_from_db()
    assert image.thumbnail.name == ""
