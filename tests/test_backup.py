"""Backup and restore: the database and the uploaded files come back as they were."""

import io
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from agreements.models import Agreement, Annex
from agreements.services import annex_add, section_save
from audit.models import AuditEntry
from tests.agreements.factories import start_strategic
from yhdyspinta.backup import DUMPS, MANIFEST, MEDIA, _sha256, backup_create

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_brings_back_the_agreements_their_annexes_and_the_audit_log(areas, media, tmp_path):
    agreement = start_strategic("08")
    annex = annex_add(
        agreement=agreement,
        by=agreement.created_by,
        title="Liite 1",
        upload=SimpleUploadedFile("liite.pdf", PDF, content_type="application/pdf"),
    )
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())

    # Disaster: the agreement is deleted and the file lost.
    Agreement.objects.all().delete()
    (media / annex.file.name).unlink()
    deleted = AuditEntry.objects.get(table="agreements_agreement", action="delete", object_id=str(agreement.pk))
    out = io.StringIO()
    call_command("restore", tmp_path / "backup", "--yes", stdout=out)

    connection.close()
    restored = Agreement.objects.get(pk=agreement.pk)
    assert restored.title == agreement.title
    assert restored.parties.count() == agreement.parties.count()
    restored_annex = Annex.objects.get(pk=annex.pk)
    assert (media / restored_annex.file.name).read_bytes() == PDF
    assert "Restored the backup" in out.getvalue()
    # The log is not rolled back with the data: the deletion stays on record, then the restore.
    assert AuditEntry.objects.filter(pk=deleted.pk, action="delete").exists()
    assert AuditEntry.objects.latest("id").action == AuditEntry.Action.RESTORED
    # The restored database still audits every write.
    Agreement.objects.filter(pk=agreement.pk).update(title="Palautettu")
    assert AuditEntry.objects.latest("id").changes["title"] == [agreement.title, "Palautettu"]


def test_restore_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", tmp_path)


def _damaged_backup(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    dump = folder / DUMPS[connection.vendor]
    dump.write_bytes(b"not the original")
    with tarfile.open(folder / MEDIA, "w:gz"):
        pass
    (folder / MANIFEST).write_text(
        json.dumps({"database": connection.vendor, "files": {dump.name: "0" * 64, MEDIA: "0" * 64}})
    )
    return folder, dump


def test_a_damaged_backup_is_refused_before_anything_is_touched(db, media, tmp_path):
    folder, dump = _damaged_backup(tmp_path)
    count = AuditEntry.objects.count()
    with pytest.raises(CommandError, match=f"{dump}: its checksum does not match"):
        call_command("restore", folder, "--yes")
    assert AuditEntry.objects.count() == count


def test_a_folder_without_a_manifest_is_refused_with_its_name(db, tmp_path):
    with pytest.raises(CommandError, match=f"{tmp_path / MANIFEST}: missing"):
        call_command("restore", tmp_path, "--yes")


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", tmp_path)


def test_a_media_archive_reaching_outside_its_folder_is_refused(db, media, tmp_path, settings):
    folder = tmp_path / "backup"
    backup_create(folder=folder)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        info = tarfile.TarInfo("../outside.txt")
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"] = {name: _sha256(folder / name) for name in manifest["files"]}
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", folder, "--yes")
    assert not (tmp_path / "outside.txt").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_a_restore_pages_show_the_restored_text_not_a_cached_one(areas, media, tmp_path, client):
    """The restore puts back the newer audit entries, so an agreement's newest entry is what it was
    before the restore; the page cache keyed by it must not show the text that was rolled back."""
    agreement = start_strategic("08")
    coordinator = agreement.created_by
    section = agreement.sections.get(key="2")
    section_save(section=section, text="<p>Ennen varmuuskopiota</p>", base_version=0, by=coordinator)
    call_command("backup", tmp_path / "backup", stdout=io.StringIO())
    section_save(section=section, text="<p>Varmuuskopion jälkeen</p>", base_version=1, by=coordinator)
    client.force_login(coordinator)
    url = reverse("agreements:section", args=[agreement.pk, "2"])
    assert "Varmuuskopion jälkeen" in client.get(url).content.decode()

    call_command("restore", tmp_path / "backup", "--yes", stdout=io.StringIO())
    connection.close()

    client.force_login(coordinator)  # the sessions were restored too
    html = client.get(url).content.decode()
    assert "Ennen varmuuskopiota" in html
    assert "Varmuuskopion jälkeen" not in html
