"""What only S3 does: parts, presigned links, streaming when asked, a clear unusable-store error."""

import hashlib
import io
import os
import urllib.request
import zipfile
from contextlib import nullcontext

import pytest
from moto.core.authorization import enable_iam_authentication
from PIL import Image

from archive import create_app
from archive.extensions import db
from archive.storage import get_storage, storage_for
from archive.storage.s3 import S3Storage
from tests.fixtures.app import app_config

ON_S3 = pytest.mark.parametrize("storage_setting", ["s3"], indirect=True)


def fetch(url: str):
    """GET a URL as a browser would, outside the app; return the body and headers."""
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read(), answer.headers


def test_a_large_file_goes_up_in_parts_each_checked(s3_bucket, s3_endpoint, tmp_path):
    storage = S3Storage.from_setting(s3_bucket, endpoint_url=s3_endpoint, multipart_mb=5)
    content = os.urandom(6 * 1024 * 1024)
    source = tmp_path / "scan.tif"
    source.write_bytes(content)
    storage.put_file("originals/ab/scan.tif", source)
    head = storage.client.head_object(
        Bucket=storage.bucket, Key="media/originals/ab/scan.tif", ChecksumMode="ENABLED"
    )
    assert head["ETag"].endswith('-2"')  # two parts
    assert head["ChecksumSHA256"]  # the store verified each part's SHA-256 on arrival
    assert storage.checksum("originals/ab/scan.tif") == hashlib.sha256(content).hexdigest()


@ON_S3
def test_derivatives_are_served_by_short_lived_links_the_page_may_load(
    app, client, login_as, make_photo, s3_endpoint
):
    login_as("curator")
    thumb = make_photo().derivative("thumb")
    response = client.get(f"/media/{thumb.sha256}.jpg")
    assert response.status_code == 302
    link = response.headers["Location"]
    assert link.startswith(f"{s3_endpoint}/") and "X-Amz-Expires=300" in link
    # The redirect may be reused only while the link still works.
    assert response.headers["Cache-Control"] == "private, max-age=150"
    body, headers = fetch(link)
    assert hashlib.sha256(body).hexdigest() == thumb.sha256
    assert headers["Content-Type"] == "image/jpeg"
    page = client.get(f"/photos/{thumb.photo_id}")
    img_src = next(
        part for part in page.headers["Content-Security-Policy"].split("; ") if "img-src" in part
    )
    assert img_src == f"img-src 'self' data: blob: {s3_endpoint}"


@ON_S3
def test_a_download_link_names_the_file(app, s3_endpoint, tmp_path):
    source = tmp_path / "form.pdf"
    source.write_bytes(b"%PDF-1.4 signed")
    get_storage().put_file("consent/ab/form.pdf", source)
    with app.test_request_context():
        response = get_storage().send(
            "consent/ab/form.pdf",
            content_type="application/pdf",
            etag="x",
            cache_control="no-store",
            download_name="Café form.pdf",
        )
    body, headers = fetch(response.headers["Location"])
    assert body == b"%PDF-1.4 signed"
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''Caf%C3%A9%20form.pdf"


@ON_S3
def test_with_presigning_off_the_app_streams_and_answers_if_none_match(
    app, client, login_as, make_photo
):
    # ARCHIVE_S3_PRESIGNED=false: for a store browsers cannot reach.
    settings = {**app.config, "S3_PRESIGNED": False}
    app.extensions["archive_storage"] = storage_for(app.config["STORAGE"], settings)
    login_as("curator")
    thumb = make_photo().derivative("thumb")
    response = client.get(f"/media/{thumb.sha256}.jpg")
    assert response.status_code == 200
    assert hashlib.sha256(response.data).hexdigest() == thumb.sha256
    assert response.headers["ETag"] == f'"{thumb.sha256}"'
    again = client.get(
        f"/media/{thumb.sha256}.jpg", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


@ON_S3
def test_a_consent_form_is_never_given_a_link(app, client, login_as, consented_photo):
    login_as("curator")
    form = consented_photo.people[0].consent_forms[0]
    response = client.get(f"/consent/{form.id}/file")
    assert response.status_code == 200  # streamed through the app, although presigning is on
    assert "Location" not in response.headers
    assert hashlib.sha256(response.data).hexdigest() == form.sha256
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("missing bucket", "the bucket 'no-such-bucket' does not exist"),
        ("wrong credentials", "the store refused the credentials"),
    ],
)
def test_a_store_it_cannot_use_is_named_by_healthz_and_check(
    tmp_path, database, s3_endpoint, caplog, problem, message
):
    bucket = "no-such-bucket" if problem == "missing bucket" else "any-bucket"
    config = app_config(tmp_path) | {
        "DATABASE_URL": database,
        "STORAGE": f"s3://{bucket}/media",
        "S3_ENDPOINT_URL": s3_endpoint,
    }
    # moto checks credentials only when asked to; the test's keys are known to no one.
    checking = enable_iam_authentication() if problem == "wrong credentials" else nullcontext()
    with checking:
        app = create_app(config)  # starts: creating the app asks the store nothing
        with app.app_context():
            health = app.test_client().get("/healthz")
            checked = app.test_cli_runner().invoke(args=["check"])
            db.session.remove()
            db.engine.dispose()
    assert health.status_code == 503 and health.json["storage"] == "error"
    assert message not in health.get_data(as_text=True)  # the details go to the log only
    logged = f"ARCHIVE_STORAGE=s3://{bucket}/media: cannot use s3://{bucket}/media/"
    assert logged in caplog.text and message in caplog.text
    assert checked.exit_code == 1
    assert f"storage unusable: cannot use s3://{bucket}/media/" in checked.output
    assert message in checked.output


@ON_S3
def test_check_reports_a_store_it_cannot_use(app, runner):
    storage = get_storage()
    storage.client.delete_bucket(Bucket=storage.bucket)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert f"storage unusable: cannot use s3://{storage.bucket}/media/" in result.output
    assert f"the bucket '{storage.bucket}' does not exist" in result.output


@ON_S3
def test_downloads_and_kiosk_exports_decode_files_read_back_from_s3(
    app, client, login_as, runner, make_photo, make_exhibition, tmp_path
):
    # A full-size download decodes the original with Pillow, which seeks in the file it reads.
    photo = make_photo(licence="CC-BY-4.0", status="approved", title="Lathe work")
    login_as("comms")
    response = client.post(
        f"/photos/{photo.id}/download",
        data={"size": "full", "purpose": "Staff newsletter", "accept": "y"},
    )
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (photo.width, photo.height)

    exhibition = make_exhibition([photo])
    site = tmp_path / "site.zip"
    exported = runner.invoke(
        args=["export-exhibition", exhibition.slug, "--format", "static", "-o", str(site)]
    )
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(site) as archive:
        large = archive.read("images/001-large.jpg")
    assert hashlib.sha256(large).hexdigest() == photo.derivative("large").sha256
