"""The lists a planner sends from outside (the KPU's TPS list, the Kemendagri region list, the
PPS Linmas decree, the Bawaslu TPS-rawan list): one way to receive the file and one way to say
why it was refused, so every list page answers alike.

`list_upload` checks what can be checked before reading (the operation is not archived, the
file is not too large, one was chosen, it is a CSV or an .xlsx) and tells the planner why not;
`ListUpload.save` writes it under its own name where that is plain, because the reader's
messages name the file; `tell_refusal` lists a refused file's problems in the page's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _

from siaga.core.data.problems import ScenarioError
from siaga.operations.forms import lang, max_upload_bytes, too_large

LIST_SUFFIXES = (".csv", ".xlsx")
PLAIN_NAME = re.compile(r"[\w .,()+-]{1,200}")  # a name written to disk as it is; any other: the stem
SHOWN = 50  # problems or warnings listed one by one; the rest counted


@dataclass(frozen=True)
class ListUpload:
    """A list file as the planner sent it: its name (the messages name it) and its content."""

    name: str
    suffix: str
    file: UploadedFile

    def save(self, folder: Path, stem: str) -> Path:
        """Write it into `folder` under its own name when that name is plain, else as `stem`
        with its suffix; the path written."""
        plain = PLAIN_NAME.fullmatch(self.name) and not self.name.startswith(".")
        path = folder / (self.name if plain else f"{stem}{self.suffix}")
        self.save_as(path)
        return path

    def save_as(self, path: Path) -> None:
        with path.open("xb") as out:
            for chunk in self.file.chunks():
                out.write(chunk)


def list_upload(request: HttpRequest, operation: Any, form: forms.Form, choose: str, kind: str) -> ListUpload | None:
    """The list file of this POST, or None once the planner has been told why not: `choose`
    when no file came, `kind` when it is neither a CSV nor an .xlsx."""
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if operation.archived:
        refusal = _("Operasi yang diarsipkan tidak dapat diubah.")
    elif declared > max_upload_bytes() + 64 * 1024:  # refused before the body is read
        refusal = too_large(declared)
    elif not form.is_valid():
        refusal = choose
    else:
        upload = form.cleaned_data["file"]
        name = Path(upload.name or "").name[:200]
        suffix = Path(name).suffix.lower()
        if suffix in LIST_SUFFIXES:
            return ListUpload(name, suffix, upload)
        refusal = kind
    messages.error(request, refusal)
    return None


def tell_refusal(request: HttpRequest, exc: ScenarioError, headline: str, name: str) -> None:
    """A refused list: `headline` (with %(name)s and %(n)s, the number of problems), then each
    problem in the page's language, the first SHOWN of them and the rest counted."""
    found = exc.messages(lang())
    messages.error(request, headline % {"name": name, "n": len(found)})
    for message in found[:SHOWN]:
        messages.error(request, message)
    if len(found) > SHOWN:
        messages.error(request, _("... dan %(n)s masalah lain.") % {"n": len(found) - SHOWN})


def tell_warnings(request: HttpRequest, warnings: list[Any]) -> None:
    """The warnings of an accepted list (problems that did not stop it), as many as `tell_refusal`."""
    for warning in warnings[:SHOWN]:
        messages.warning(request, warning.message(lang()))
    if len(warnings) > SHOWN:
        messages.warning(request, _("... dan %(n)s peringatan lain.") % {"n": len(warnings) - SHOWN})
