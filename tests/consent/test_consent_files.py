"""Consent-form files are parsed, not sniffed: each unsafe PDF is refused, with a reason."""

import io
import random
import zlib
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from archive.consent.intake import check_consent_file
from archive.consent.records import write_text_pdf
from archive.core.intake import RejectedUpload
from archive.demo.pictures import consent_form_pdf
from archive.people.models import Person
from tests.fixtures.photos import row_counts, stored_files
from tests.photos.test_upload import entry, post_upload


def scan_pdf() -> bytes:
    """Return a one-page PDF holding a scan, as a scanner or Pillow writes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 170), "white").save(buffer, "PDF")
    return buffer.getvalue()


def changed_pdf(change, **save_options) -> bytes:
    """Return the scan PDF after change(pdf) has edited it with pikepdf."""
    with pikepdf.open(io.BytesIO(scan_pdf())) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer, **save_options)
    return buffer.getvalue()


def action(pdf: pikepdf.Pdf, kind: str, **entries) -> pikepdf.Dictionary:
    """Return a new indirect action of the given kind (JavaScript, Launch…)."""
    return pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name("/" + kind), **entries)
    )


def set_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = action(pdf, "JavaScript", JS=pikepdf.String("app.alert(1)"))


def set_page_trigger(pdf: pikepdf.Pdf) -> None:
    script = action(pdf, "JavaScript", JS=pikepdf.String("this.submitForm('x')"))
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=script)


def add_launch_link(pdf: pikepdf.Pdf) -> None:
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[0, 0, 50, 50],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))


def add_document_script(pdf: pikepdf.Pdf) -> None:
    script = action(pdf, "JavaScript", JS=pikepdf.String("app.alert(1)"))
    tree = pikepdf.Dictionary(Names=[pikepdf.String("hello"), script])
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pdf.make_indirect(tree))


def attach_file(pdf: pikepdf.Pdf) -> None:
    pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")


def open_web_address(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = action(pdf, "URI", URI=pikepdf.String("https://tracker.example/"))


def link_and_destination(pdf: pikepdf.Pdf) -> None:
    """Give the form what ordinary PDFs have: a web link, and open on page 1, fit."""
    add_launch_link(pdf)
    pdf.pages[0].obj.Annots[0].A = pikepdf.Dictionary(
        S=pikepdf.Name.URI, URI=pikepdf.String("https://example.org/privacy")
    )
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])


def random_after_header() -> bytes:
    noise = random.Random(12).randbytes(20_000)
    return b"%PDF-1.7\n" + noise + b"\n%%EOF\n"


def encrypted(user: str) -> bytes:
    lock = pikepdf.Encryption(owner="curators-only", user=user)
    return changed_pdf(lambda pdf: None, encryption=lock)


def many_pages(count: int = 50_000) -> bytes:
    """Return a PDF whose page tree lists one blank page `count` times (cheap to build)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0].obj
    for _ in range(count - 1):
        pdf.Root.Pages.Kids.append(page)
    pdf.Root.Pages.Count = count
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def zeros_deflated(size: int) -> bytes:
    """Return zlib data inflating to `size` zero bytes, built without holding them.

    After a full flush the compressor starts afresh, so each further megabyte of zeros
    compresses to the same bytes: compress two, repeat the second.
    """
    chunk = bytes(1024 * 1024)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = ((size % 65521) << 16) | 1  # Adler-32 of zeros: the sum stays 1
    end_block = b"\x03\x00"  # an empty final block
    return first + again * (size // len(chunk) - 1) + end_block + checksum.to_bytes(4, "big")


def flate_bomb(layers: int = 1) -> bytes:
    """Return a PDF whose page content inflates to 1 GiB, through `layers` Flate rounds."""
    data = zeros_deflated(1024**3)
    for _ in range(layers - 1):
        data = zlib.compress(data, 9)
    filters = pikepdf.Array([pikepdf.Name.FlateDecode] * layers)

    def fill(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.Contents = pdf.make_stream(data, Filter=filters)

    # Saved as it is: qpdf would otherwise inflate the stream to compress it again.
    return changed_pdf(
        fill, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none
    )


def cross_reference_bomb() -> bytes:
    """Return a 1 MB PDF whose cross-reference stream inflates to 1 GiB.

    qpdf inflates that stream whole while opening the file, before anything is measured.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    pdf = bytearray(b"%PDF-1.5\n")
    for number, body in enumerate(objects, 1):
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start, data = len(pdf), zeros_deflated(1024**3)
    pdf += b"4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode "
    pdf += b"/Length %d >>\nstream\n%s\nendstream\nendobj\n" % (len(data), data)
    return bytes(pdf + b"startxref\n%d\n%%%%EOF\n" % start)


def html_in_header() -> bytes:
    """Return a PDF whose first comment line is a web page with a script."""
    first_line, rest = scan_pdf().split(b"\n", 1)
    return first_line + b"\n%<html><script>fetch('/people')</script></html>\n" + rest


def html_after_end() -> bytes:
    return scan_pdf() + b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"


def html_before_header() -> bytes:
    return b"<html><script>alert(1)</script><!--\n" + scan_pdf()


def zip_after_end() -> bytes:
    return scan_pdf() + b"PK\x03\x04" + random.Random(3).randbytes(600)


def jpeg_scan() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (600, 850), 250).save(buffer, "JPEG")
    return buffer.getvalue()


def png_scan() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (600, 850), 250).save(buffer, "PNG")
    return buffer.getvalue()


def phone_jpeg() -> bytes:
    """Return a JPEG with a multi-picture (MPF) segment, as phones write them."""
    buffer = io.BytesIO()
    pictures = [Image.new("RGB", (600, 850), "white"), Image.new("RGB", (60, 85), "grey")]
    pictures[0].save(buffer, "MPO", save_all=True, append_images=pictures[1:])
    return buffer.getvalue()


# name: (how to build the file, words the reason must contain)
UNSAFE_FORMS = {
    "random bytes after a PDF header": (random_after_header, "incomplete or damaged"),
    "user password": (lambda: encrypted(user="1234"), "password-protected or encrypted"),
    "owner password only": (lambda: encrypted(user=""), "password-protected or encrypted"),
    "JavaScript on opening": (lambda: changed_pdf(set_open_action), "JavaScript or actions"),
    "JavaScript when a page opens": (lambda: changed_pdf(set_page_trigger), "JavaScript"),
    "a link that launches a program": (lambda: changed_pdf(add_launch_link), "actions"),
    "a document-level script": (lambda: changed_pdf(add_document_script), "JavaScript"),
    "a web address opened unasked": (lambda: changed_pdf(open_web_address), "actions"),
    "an attached file": (lambda: changed_pdf(attach_file), "attached files"),
    "50,000 pages": (many_pages, "more than 50 pages"),
    "a 1 GiB Flate bomb": (flate_bomb, "expands to more than 512 MB"),
    "a Flate bomb inside a Flate bomb": (lambda: flate_bomb(layers=2), "expands to more"),
    # qpdf, out of the memory the check allows it, says only that it cannot read the stream.
    "a cross-reference stream bomb": (cross_reference_bomb, "incomplete or damaged"),
    "HTML in the header comment": (html_in_header, "both a PDF and a web page"),
    "HTML after the end of the PDF": (html_after_end, "both a PDF and a web page"),
    "HTML before the PDF header": (html_before_header, "both a PDF and a web page"),
    "a ZIP after the end of the PDF": (zip_after_end, "other data after the end of the PDF"),
}


def post_consent(client, person: Person, content: bytes, name: str = "form.pdf"):
    """Post a signed form on the person page, the body encoded in memory."""
    fields = MultiDict(
        {
            "consent-scopes": "web",
            "consent-signed_on": "2026-02-01",
            "consent-expires_on": "2029-02-01",
        }
    )
    fields.add("consent-file", FileStorage(io.BytesIO(content), filename=name))
    # The test client spools large bodies to a temporary file it never closes.
    body, _length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return client.post(
        f"/people/{person.id}/consent",
        data=body.getvalue(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize(("build", "reason"), UNSAFE_FORMS.values(), ids=UNSAFE_FORMS.keys())
def test_an_unsafe_pdf_is_refused_with_a_reason_and_nothing_is_stored(
    app, client, login_as, make_person, build, reason
):
    person = make_person("Chloe Martin")
    login_as("curator")
    response = post_consent(client, person, build())
    assert response.status_code == 422
    assert reason in response.get_data(as_text=True)
    assert row_counts()["ConsentForm"] == 0
    assert stored_files(app) == []


def test_a_pdf_that_qpdf_would_inflate_while_opening_costs_the_archive_no_memory(
    app, client, login_as, make_person
):
    person = make_person("Chloe Martin")
    login_as("curator")
    content = cross_reference_bomb()
    assert len(content) < 1_200_000
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from now
    before = memory_kb("VmRSS")
    response = post_consent(client, person, content)
    rise_mb = (memory_kb("VmHWM") - before) / 1024
    assert response.status_code == 422
    assert rise_mb < 100, f"the archive's own memory rose by {rise_mb:.0f} MB"


def memory_kb(field: str) -> int:
    """Return a memory figure of this process (VmRSS, VmHWM), in kB."""
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(line for line in lines if line.startswith(f"{field}:")).split()[1])


def test_a_scan_with_lost_picture_data_is_refused_like_a_photo(
    app, client, login_as, make_person, samples
):
    person = make_person("Chloe Martin")
    login_as("curator")
    response = post_consent(client, person, (samples / "corrupted.jpg").read_bytes(), "form.jpg")
    assert response.status_code == 422
    assert "The image is damaged" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_an_unsafe_consent_form_refuses_the_whole_upload(app, client, login_as, picture):
    login_as("contributor")
    script = changed_pdf(set_open_action)
    response = post_upload(
        client,
        entry(0, picture(), no_people=False, new_person_name="Ben Carter"),
        consents=[("consent.pdf", script)],
    )
    assert response.status_code == 422
    assert "consent.pdf: the PDF contains JavaScript" in response.get_data(as_text=True)
    assert row_counts() == {"Photo": 0, "Derivative": 0, "ConsentForm": 0}
    assert stored_files(app) == []


# name: (how to build the file, content type it is stored as)
ORDINARY_FORMS = {
    "a scan saved as PDF": (scan_pdf, "application/pdf"),
    "a PDF with a web link, opening at page 1": (
        lambda: changed_pdf(link_and_destination),
        "application/pdf",
    ),
    "a PDF with packed objects": (
        lambda: changed_pdf(lambda pdf: None, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        "application/pdf",
    ),
    "a JPEG scan": (jpeg_scan, "image/jpeg"),
    "a PNG scan": (png_scan, "image/png"),
    "a phone JPEG (MPO to Pillow)": (phone_jpeg, "image/jpeg"),
}


@pytest.mark.parametrize(
    ("build", "content_type"), ORDINARY_FORMS.values(), ids=ORDINARY_FORMS.keys()
)
def test_an_ordinary_signed_form_is_accepted(app, tmp_path, build, content_type):
    path = tmp_path / "form"
    path.write_bytes(build())
    assert check_consent_file(path, "form").content_type == content_type


def test_a_scanned_form_is_stored_through_the_person_page(client, login_as, make_person):
    person = make_person("Chloe Martin")
    login_as("curator")
    response = post_consent(client, person, phone_jpeg(), "IMG_2041.JPG")
    assert response.status_code == 302
    assert client.get(f"/people/{person.id}").status_code == 200
    assert row_counts()["ConsentForm"] == 1


def test_the_pdfs_the_archive_writes_itself_are_accepted(app, tmp_path):
    record = write_text_pdf(tmp_path / "record.pdf", "Consent record", ["Scopes: web"])
    person = SimpleNamespace(
        name="Chloe Martin",
        job_role=SimpleNamespace(label="Glassblower"),
        department=SimpleNamespace(label="Chemistry"),
    )
    demo = consent_form_pdf(person, tmp_path / "demo.pdf")
    for path in (record, demo):
        assert check_consent_file(path, path.name).content_type == "application/pdf"


def test_the_page_limit_counts_every_page_and_no_more(app, tmp_path):
    path = tmp_path / "form.pdf"
    path.write_bytes(many_pages(50))
    assert check_consent_file(path, "form.pdf").content_type == "application/pdf"
    path.write_bytes(many_pages(51))
    with pytest.raises(RejectedUpload, match="more than 50 pages, too many for a consent form"):
        check_consent_file(path, "form.pdf")
