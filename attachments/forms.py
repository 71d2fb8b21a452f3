"""The "Adjuntar archivos" field of the ticket form and of "Agregar información"."""

from dataclasses import dataclass
from typing import cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from attachments.content_types import detect
from attachments.limits import ALLOWED_TYPES, MAX_FILE_SIZE, MAX_FILES
from attachments.names import shown_name


def limits_text() -> str:
    return gettext(
        "Hasta %(files)d archivos por ticket, de %(mb)d MB cada uno como máximo: imágenes PNG, "
        "JPEG o WebP (por ejemplo, capturas de pantalla), PDF o texto plano."
    ) % {"files": MAX_FILES, "mb": MAX_FILE_SIZE // (1024 * 1024)}


LIMITS_TEXT = lazy(limits_text, str)()


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file whose content was checked: what attachments/services.py stores."""

    file: UploadedFile
    name: str
    size: int
    content_type: str


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files, each checked by its content, counted with ``already`` (set by the form)."""

    widget = MultipleFileInput
    default_error_messages = {
        "too_many": _(
            "Puede adjuntar hasta %(max)d archivos por ticket. Este ticket ya tiene %(already)d "
            "y seleccionó %(selected)d."
        ),
        "empty_file": _("El archivo «%(name)s» está vacío."),
        "too_big": _("El archivo «%(name)s» pesa más de %(mb)d MB."),
        "wrong_type": _(
            "El archivo «%(name)s» no es una imagen PNG, JPEG o WebP, un PDF ni texto plano."
        ),
    }

    @staticmethod
    def checked_files(form: forms.Form) -> list[CheckedFile]:
        """The files of ``form``'s field "attachments" that passed their checks, after
        is_valid(), whether or not the rest of the form did."""
        if "attachments" in (form.cleaned_data or {}):
            return form.cleaned_data["attachments"]
        return cast(AttachmentsField, form.fields["attachments"]).checked_despite_errors

    def __init__(self, **kwargs):
        defaults = {"required": False, "label": _("Adjuntar archivos"), "help_text": LIMITS_TEXT}
        self.already = 0
        # The files that passed their checks when others did not: the form keeps them too.
        self.checked_despite_errors: list[CheckedFile] = []
        super().__init__(**defaults | kwargs)

    def to_python(self, data):
        return list(data) if isinstance(data, list | tuple) else ([data] if data else [])

    def clean(self, data, initial=None):
        files = [f for f in self.to_python(data) if f is not None]
        if len(files) + self.already > MAX_FILES:
            raise forms.ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"max": MAX_FILES, "already": self.already, "selected": len(files)},
            )
        errors, checked = [], []
        for upload in files:
            name = shown_name(getattr(upload, "name", "") or "")
            size = upload.size or 0
            if size == 0:
                errors.append(self._error("empty_file", name))
            elif size > MAX_FILE_SIZE:
                errors.append(self._error("too_big", name))
            elif (content_type := detect(upload, size, frozenset(ALLOWED_TYPES))) is None:
                errors.append(self._error("wrong_type", name))
            else:
                checked.append(CheckedFile(upload, name, size, content_type))
        if errors:
            self.checked_despite_errors = checked
            raise forms.ValidationError(errors)
        return checked

    def _error(self, code: str, name: str) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages[code],
            code=code,
            params={"name": name, "mb": MAX_FILE_SIZE // (1024 * 1024)},
        )
