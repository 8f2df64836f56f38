"""Files in an S3 bucket or any S3-compatible store (ARCHIVE_STORAGE=s3://bucket/prefix).

Credentials and region come from boto3's usual sources (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, ~/.aws/…), never from the archive's settings.
"""

import hashlib
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote, urlsplit

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from flask import Response, redirect, request, send_file

from archive.storage.base import PartialUpload, Storage, StorageError, StoredObject

MB = 1024 * 1024
# Derivatives and consent forms stay in memory when read; originals spill to disk.
SPOOL_IN_MEMORY = 16 * MB
NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
UPLOAD_GONE = {"404", "NoSuchUpload"}
BAD_CREDENTIALS = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"}
DENIED = {"403", "AccessDenied", "AllAccessDisabled"}


class S3Storage(Storage):
    """Stores each key as an object under one prefix of one bucket."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        presigned: bool = True,
        presigned_seconds: int = 300,
        multipart_mb: int = 16,
    ):
        self.bucket = bucket
        self.prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.presigned = presigned
        self.presigned_seconds = presigned_seconds
        self.where = f"s3://{bucket}/{self.prefix}"
        if endpoint_url:
            self.where += f" at {endpoint_url}"
        # Files above the threshold go up in parts, several at once, each part checked.
        self.transfer = TransferConfig(
            multipart_threshold=multipart_mb * MB, multipart_chunksize=multipart_mb * MB
        )
        # boto3's default session keeps the parsed service model: later clients take milliseconds.
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            config=Config(
                signature_version="s3v4",
                # A store on an address of its own (MinIO, moto, Ceph) rarely has bucket subdomains.
                s3={"addressing_style": "path" if endpoint_url else "auto"},
                connect_timeout=5,
                retries={"max_attempts": 3, "mode": "standard"},
            ),
        )
        if presigned:
            # Signing needs credentials: without any, this is where the store first says so.
            with self._failing_as(f"cannot use {self.where}"):
                sample = self.client.generate_presigned_url(
                    "get_object", Params={"Bucket": bucket, "Key": f"{self.prefix}x"}, ExpiresIn=1
                )
            self.browser_origin = "{0.scheme}://{0.netloc}".format(urlsplit(sample))

    @classmethod
    def from_setting(cls, setting: str, **options) -> "S3Storage":
        """Make the storage an ``s3://bucket/prefix`` setting names."""
        parts = urlsplit(setting)
        if parts.scheme != "s3" or not parts.netloc:
            raise StorageError(f"{setting!r} is not of the form s3://bucket/prefix")
        return cls(parts.netloc, parts.path, **options)

    def _name(self, key: str) -> str:
        if key.startswith("/") or any(part in ("", ".", "..") for part in key.split("/")):
            raise StorageError(f"refusing a storage key outside the store: {key!r}")
        return self.prefix + key

    @contextmanager
    def _failing_as(self, action: str):
        """Turn boto3's exceptions into a StorageError a person can act on."""
        try:
            yield
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code", ""))
            if code == "NoSuchBucket":
                reason = f"the bucket {self.bucket!r} does not exist"
            elif code in BAD_CREDENTIALS:
                reason = "the store refused the credentials (AWS_ACCESS_KEY_ID, …SECRET_ACCESS_KEY)"
            elif code in DENIED:
                reason = "access denied: these credentials may not use this bucket"
            elif code in NOT_FOUND:
                reason = "not found"
            else:
                reason = error.response.get("Error", {}).get("Message") or code
            raise StorageError(f"{action}: {reason}") from error
        except BotoCoreError as error:
            raise StorageError(f"{action}: {error}") from error
        except OSError as error:
            # This machine's side: the file to upload unreadable, no room for a download.
            raise StorageError(f"{action}: {error.strerror or error}") from error

    def verify(self) -> None:
        """Check that the bucket exists and the credentials may use it."""
        with self._failing_as(f"cannot use {self.where}"):
            # A listing, not HEAD: its error answers say why (no bucket, unknown key, denied),
            # and check needs to list anyway.
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)

    def put_file(self, key: str, path: Path) -> bool:
        """Upload the file under key; return False if the key already existed.

        S3 checks each part's SHA-256 on arrival and refuses a damaged upload; an object
        becomes visible only once complete, so a reader never sees half a file. A failed
        multipart upload is aborted by boto3's transfer manager, its parts with it.
        """
        if self._refresh(key):
            return False
        with self._failing_as(f"could not store {key}"):
            self.client.upload_file(
                str(path),
                self.bucket,
                self._name(key),
                ExtraArgs={"ChecksumAlgorithm": "SHA256"},
                Config=self.transfer,
            )
        return True

    def _refresh(self, key: str) -> bool:
        """Give an existing object a new LastModified; return False if there is none.

        S3 cannot touch an object: it is copied onto itself, inside the store. check's
        grace period then runs from this store, while the caller commits its row.
        """
        name = self._name(key)
        with self._failing_as(f"could not store {key}"):
            try:
                self.client.copy_object(
                    Bucket=self.bucket,
                    Key=name,
                    CopySource={"Bucket": self.bucket, "Key": name},
                    # S3 refuses a copy onto itself that changes nothing.
                    MetadataDirective="REPLACE",
                    ChecksumAlgorithm="SHA256",
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in NOT_FOUND:
                    return False
                raise
        return True

    def open(self, key: str) -> BinaryIO:
        """Download the object into a rewound temporary file.

        Callers seek (Pillow, zipfile) and an S3 body only reads forward; a spooled file
        keeps small files in memory and writes large originals to disk.
        """
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned
        try:
            with self._failing_as(f"could not read {key}"):
                self.client.download_fileobj(
                    self.bucket, self._name(key), spool, Config=self.transfer
                )
        except StorageError:
            spool.close()
            raise
        spool.seek(0)
        return spool

    def checksum(self, key: str) -> str:
        """Return the SHA-256 of the stored bytes, hashed as they stream in."""
        digest = hashlib.sha256()
        with self._failing_as(f"could not read {key}"):
            body = self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
            for chunk in body.iter_chunks(MB):
                digest.update(chunk)
        return digest.hexdigest()

    def exists(self, key: str) -> bool:
        """Return whether the key is stored."""
        with self._failing_as(f"could not look for {key}"):
            try:
                self.client.head_object(Bucket=self.bucket, Key=self._name(key))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in NOT_FOUND:
                    return False
                raise
        return True

    def delete(self, key: str) -> None:
        """Remove the object; S3 answers the same whether it was there or not."""
        with self._failing_as(f"could not delete {key}"):
            self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def stored_objects(self, prefix: str = "") -> Iterator[StoredObject]:
        """Yield stored objects under prefix, in key order; incomplete uploads are not listed."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        with self._failing_as(f"could not list {self.where}"):
            for page in pages:
                for item in page.get("Contents", []):
                    key = item["Key"][len(self.prefix) :]
                    yield StoredObject(key, item["Size"], item["LastModified"])

    def partial_uploads(self) -> Iterator[PartialUpload]:
        """Yield the multipart uploads begun and neither completed nor aborted.

        Their parts are invisible to listings but stored, and billed, until aborted.
        """
        pages = self.client.get_paginator("list_multipart_uploads").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        with self._failing_as(f"could not list the unfinished uploads of {self.where}"):
            for page in pages:
                for upload in page.get("Uploads", []):
                    key = upload["Key"][len(self.prefix) :]
                    yield PartialUpload(key, upload["Initiated"], upload["UploadId"])

    def discard_partial(self, partial: PartialUpload) -> None:
        """Abort the multipart upload, which removes the parts it stored."""
        with self._failing_as(f"could not abort the upload of {partial.key}"):
            try:
                self.client.abort_multipart_upload(
                    Bucket=self.bucket, Key=self._name(partial.key), UploadId=partial.upload_id
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in UPLOAD_GONE:
                    raise

    def send(
        self,
        key: str,
        *,
        content_type: str,
        etag: str,
        cache_control: str,
        download_name: str | None = None,
        private: bool = False,
    ) -> Response:
        """Redirect to a short-lived presigned URL, or stream when private or not presigning."""
        if private or not self.presigned:
            return self._stream(key, content_type, etag, cache_control, download_name)
        params = {
            "Bucket": self.bucket,
            "Key": self._name(key),
            "ResponseContentType": content_type,
            "ResponseCacheControl": cache_control,
        }
        if download_name is not None:
            params["ResponseContentDisposition"] = (
                f"attachment; filename*=UTF-8''{quote(download_name)}"
            )
        with self._failing_as(f"could not sign a link to {key}"):
            url = self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=self.presigned_seconds
            )
        response = redirect(url, 302)
        # The link stops working after presigned_seconds: a browser may reuse the redirect
        # only while the link it points to has time left.
        response.headers["Cache-Control"] = f"private, max-age={self.presigned_seconds // 2}"
        return response

    def _stream(
        self, key: str, content_type: str, etag: str, cache_control: str, download_name: str | None
    ) -> Response:
        if request.if_none_match.contains(etag):
            # The ETag is the content hash: the browser's copy is current, no need to fetch.
            response = Response(status=304)
            response.set_etag(etag)
        else:
            # Held in memory: only derivatives and consent forms are sent, never originals, and
            # Werkzeug can then answer Range requests and give the length.
            with self._failing_as(f"could not read {key}"):
                body = self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
                content = io.BytesIO(body.read())
            response = send_file(
                content,
                mimetype=content_type,
                etag=etag,
                conditional=True,
                as_attachment=download_name is not None,
                download_name=download_name,
            )
        response.headers["Cache-Control"] = cache_control
        return response
