"""Checking an uploaded photo by its content, and re-encoding it without metadata.

The file name and the browser's content type prove nothing; the bytes are opened with
Pillow and must be a JPEG or PNG that decodes completely. The image is then rotated as
its EXIF orientation says, scaled down to a sensible size and saved again, which drops
EXIF/XMP metadata (camera serial numbers, GPS positions of the place or the people).
"""
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from regionet.platform.validation import ValidationFailed

FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}
MAX_PIXELS = 40_000_000   # refuse decompression bombs before decoding
MAX_SIDE = 2000           # enough for print in an A4 catalogue


@dataclass(frozen=True)
class CheckedPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def check_photo(raw: bytes, max_bytes: int, field: str = "photo") -> CheckedPhoto:
    if not raw:
        raise ValidationFailed.single(field, _("Choose a photo to upload."))
    if len(raw) > max_bytes:
        raise ValidationFailed.single(field, _("The photo is larger than %(mb)s MB. Choose a smaller file.",
                                               mb=max_bytes // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in FORMATS:
                raise ValidationFailed.single(field, _("Only JPEG and PNG photos can be added."))
            if width * height > MAX_PIXELS:
                raise ValidationFailed.single(field, _("The photo has too many pixels. Choose a smaller image."))
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            size = image.size
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed.single(field, _("This file is not a readable JPEG or PNG image.")) from None
    content_type, extension = FORMATS[image_format]
    return CheckedPhoto(out.getvalue(), content_type, extension, size[0], size[1])
