"""Publishing: the Quarto website, the nbconvert fallback, single-region files, preview."""

from utvardering.publish.site import DEFAULT_SITE_DIR, PublishResult, publish

__all__ = ["DEFAULT_SITE_DIR", "PublishResult", "publish"]
