"""Static files in production: whitenoise's compressed, hashed storage, each file's address
worked out once per process (the manifest is fixed while it runs; an admin page asks for ~20)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage

MAX_CACHED_URLS = 2000


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = super().url(name)
            if len(self._urls) < MAX_CACHED_URLS:
                self._urls[name] = url
        return url
