"""Helpers of the portal tests: uploads and the create form's POST data."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def photo(name: str = "defect.jpg", size=(640, 480)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def form_data(order, *, lines: dict, resolution="refund", method="cvs", **extra):
    """The create page's POST: `lines` maps an order line to its fields.

    Every line of the order is sent (quantity 0 unless given), as the browser
    sends every select of the form.
    """
    data = {"resolution": resolution, "method": method, "shopper_note": ""}
    for line in order.lines.all():
        fields = lines.get(line, {})
        prefix = f"line-{line.pk}-"
        data[prefix + "quantity"] = fields.get("quantity", 0)
        data[prefix + "reason"] = fields.get("reason", "")
        data[prefix + "reason_text"] = fields.get("reason_text", "")
        if "photos" in fields:
            data[prefix + "photos"] = fields["photos"]
        if "exchange_variant" in fields:
            data[prefix + "exchange_variant"] = fields["exchange_variant"]
    data.update(extra)
    return data
