"""Background work of the catalogue; each task is a thin call into services."""

from celery import shared_task

from shop.catalog import services


@shared_task(ignore_result=True)
def generate_product_image_renditions(image_id: int) -> bool:
    """Make the thumbnail and display pictures of one product image (idempotent)."""
    return services.product_image_renditions_generate(image_id=image_id)


@shared_task(ignore_result=True)
def regenerate_missing_thumbnails() -> int:
    """Nightly sweep: queue renditions for images that have none (e.g. a lost task)."""
    return services.product_images_missing_renditions_queue()
