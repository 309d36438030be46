"""Every text the portal shows exists in Finnish and Swedish, and the compiled catalogues are current."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.services import IN_CI

LOCALE = settings.BASE_DIR / "locale"
IGNORE = [".venv/*", "node_modules/*", "var/*", "static/*", "tests/*", "fixtures/*", "scripts/*", "bench/*"]


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_message_is_translated(language):
    catalogue = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")

    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]

    assert not untranslated, f"{language}: untranslated {untranslated}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy}"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {
        (e.msgctxt, e.msgid): (e.msgstr or tuple(e.msgstr_plural.values()))
        for e in polib.pofile(folder / "django.po").translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr or tuple(e.msgstr_plural.values()))
        for e in polib.mofile(folder / "django.mo")
        if e.msgid
    }

    assert compiled == source, f"run `python manage.py compilemessages` ({language})"


def test_no_text_is_missing_from_the_catalogues(tmp_path):
    if not shutil.which("xgettext"):
        if IN_CI:
            pytest.fail("CI=true but gettext (xgettext) is not installed")
        pytest.skip("needs gettext's xgettext to extract messages (apt-get install gettext)")
    work = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        work,
        ignore=shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "__pycache__"),
    )
    args = ["-l", "fi", "--no-location", *[f"--ignore={pattern}" for pattern in IGNORE]]
    subprocess.run(
        [
            str(Path(settings.BASE_DIR) / ".venv" / "bin" / "python")
            if (Path(settings.BASE_DIR) / ".venv").exists()
            else "python",
            "manage.py",
            "makemessages",
            *args,
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )

    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(work / "locale" / "fi" / "LC_MESSAGES" / "django.po")}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(LOCALE / "fi" / "LC_MESSAGES" / "django.po")}

    assert extracted - committed == set(), "run makemessages (see README) and translate the new texts"
    assert committed - extracted == set(), "the catalogues hold texts the code no longer uses: run makemessages"
