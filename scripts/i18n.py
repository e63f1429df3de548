#!/usr/bin/env python3
"""Refresh the translation catalogues and compile them.

    .venv/bin/python scripts/i18n.py            # extract, derive, compile
    .venv/bin/python scripts/i18n.py --missing  # zh-Hant strings left to translate

zh-Hant (`locale/zh_Hant/LC_MESSAGES/django.po`) is the catalogue people edit.
zh-Hans is derived from it with OpenCC's Taiwan→mainland phrase conversion
(entries a person has edited in zh-Hans and marked with a `# reviewed`
translator comment are kept). English is the source language, so its
catalogue repeats each msgid. The compiled `.mo` files are committed so a
fresh machine needs no gettext tools.
"""

import subprocess
import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
PYTHON = sys.executable
IGNORE = [".venv", "var", "bench", "node_modules", "test-artifacts"]


def catalogue(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def manage(*args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        check=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )


def extract() -> None:
    ignores = [f"--ignore={p}" for p in IGNORE]
    manage(
        "makemessages",
        "-l",
        "zh_Hant",
        "-l",
        "zh_Hans",
        "-l",
        "en",
        "--no-obsolete",
        *ignores,
    )


def derive() -> None:
    hant = {(e.msgctxt, e.msgid): e for e in polib.pofile(catalogue("zh_Hant"))}
    converter = opencc.OpenCC("tw2sp")
    hans = polib.pofile(catalogue("zh_Hans"))
    for entry in hans:
        if "reviewed" in (entry.tcomment or ""):
            continue
        source = hant.get((entry.msgctxt, entry.msgid))
        if source is None or not source.translated():
            continue
        entry.msgstr = converter.convert(source.msgstr)
        entry.msgstr_plural = {
            k: converter.convert(v) for k, v in source.msgstr_plural.items()
        }
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    hans.save()
    english = polib.pofile(catalogue("en"))
    for entry in english:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    english.save()


def missing() -> list[polib.POEntry]:
    po = polib.pofile(catalogue("zh_Hant"))
    return po.untranslated_entries() + po.fuzzy_entries()


def main() -> None:
    if "--missing" in sys.argv:
        for entry in missing():
            print(repr(entry.msgid))
        return
    extract()
    derive()
    manage("compilemessages", *[f"--ignore={p}" for p in IGNORE])
    left = missing()
    print(f"zh-Hant: {len(left)} strings untranslated or fuzzy")


if __name__ == "__main__":
    main()
