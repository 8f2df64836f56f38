"""A storage backend of each kind, outside any app."""

import pytest

from archive.storage import LocalStorage
from archive.storage.s3 import S3Storage


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    """Return an empty LocalStorage, then an empty S3Storage on the moto server."""
    if request.param == "local":
        return LocalStorage(tmp_path / "media")
    return S3Storage.from_setting(
        request.getfixturevalue("s3_bucket"),
        endpoint_url=request.getfixturevalue("s3_endpoint"),
        multipart_mb=5,  # S3's smallest part: a 6 MB file goes up in two
    )
