"""The clinics' ticket forms: they validate what the clinic typed, and nothing else."""

import re
import unicodedata
import uuid
from typing import cast

from django import forms
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentsField
from tickets import limits
from tickets.codes import CODE_PATTERN
from tickets.states import AREA_MEANINGS, Area, State

# Guide §5, "Evite tickets demasiado generales": what to write instead of each phrase.
TOO_GENERAL = {
    "no funciona": _("Mejor escriba qué pantalla no funciona y qué acción estaba haciendo."),
    "error en pago": _("Mejor escriba qué pago, fecha, monto y qué mensaje apareció."),
    "no puedo entrar": _("Mejor escriba con qué usuario intenta entrar y qué mensaje aparece."),
}
TOO_SHORT = _(
    "El detalle es demasiado general (mínimo %(min)d caracteres). Mejor escriba qué estaba "
    "intentando hacer, en qué pantalla ocurrió, qué resultado esperaba, qué ocurrió realmente, "
    "la fecha y hora aproximada y el nombre relacionado."
)
TOO_LONG = _(
    "El detalle no puede superar los %(limit_value)s caracteres (tiene %(show_value)s). "
    "Resuma el caso o divídalo en más de un ticket."
)

# The first words of a follow-up's detail, written for the clinic (guide §8: "indicando el código
# anterior"); they do not count towards a detail that says enough.
FOLLOW_UP_OPENING = _("Seguimiento del ticket %(code)s: ")


def follow_up_opening(code: str) -> str:
    return str(FOLLOW_UP_OPENING) % {"code": code}


def without_follow_up_opening(detail: str) -> str:
    opening = re.escape(str(FOLLOW_UP_OPENING).strip()).replace(re.escape("%(code)s"), CODE_PATTERN)
    return re.sub(rf"^\s*{opening}\s*", "", detail, flags=re.IGNORECASE)


def _bare(text: str) -> str:
    """Lower case, no accents, no punctuation: how we compare to the guide's phrases."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def too_general_advice(detail: str) -> str | None:
    bare = _bare(detail)
    short = len(detail.strip()) < limits.DETAIL_MIN_LENGTH
    # A phrase alone is too general at any length, within a short detail too (no phrase holds
    # another, so the first match is the one advice).
    for phrase, advice in TOO_GENERAL.items():
        if bare == phrase or (short and phrase in bare):
            return str(advice)
    return str(TOO_SHORT % {"min": limits.DETAIL_MIN_LENGTH}) if short else None


class TicketForm(forms.Form):
    area = forms.ChoiceField(
        label=_("Área"),
        choices=Area.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Seleccione el área: Soporte o Comercial."),
            "invalid_choice": _("Seleccione un área válida: Soporte o Comercial."),
        },
    )
    detail = forms.CharField(
        label=_("Detalle del problema o solicitud"),
        max_length=limits.DETAIL_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": _("Escriba el detalle del problema o solicitud."),
            "max_length": TOO_LONG,
        },
    )
    follows_up = forms.CharField(
        required=False, max_length=40, widget=forms.HiddenInput, label=_("Ticket anterior")
    )
    attachments = AttachmentsField()
    notify_also = forms.TypedMultipleChoiceField(
        label=_("Avisar también a"),
        required=False,
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Otras personas de su clínica que recibirán también los correos de este ticket."
        ),
        error_messages={
            "invalid_choice": _("Seleccione solo personas activas de su clínica con correo."),
        },
    )
    submission_token = forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={
            "invalid": _(
                "No pudimos validar el formulario. Revise los datos y envíe el ticket nuevamente."
            )
        },
    )

    def __init__(
        self, *args, follow_up_lookup=None, watcher_choices=lambda: (), attached: int = 0, **kwargs
    ):
        # follow_up_lookup(code): the clinic's ticket or None. watcher_choices(): (VetSync id,
        # name, e-mail) of the only people "Avisar también a" accepts, read when shown or chosen.
        # attached: the files of the open ticket the text may go to instead (5 in all at most).
        self.follow_up_lookup = follow_up_lookup
        self.watcher_choices = watcher_choices
        super().__init__(*args, **kwargs)
        cast(AttachmentsField, self.fields["attachments"]).already = attached
        cast(forms.ChoiceField, self.fields["notify_also"]).choices = lambda: [
            (str(pk), name) for pk, (name, _email) in self.watchers_by_id.items()
        ]

    @cached_property
    def watchers_by_id(self) -> dict[int, tuple[str, str]]:
        return {pk: (name, email) for pk, name, email in self.watcher_choices()}

    def watcher_options(self) -> list[dict]:
        chosen = {str(value) for value in (self["notify_also"].value() or [])}
        return [
            {"value": str(pk), "name": name, "email": email, "checked": str(pk) in chosen}
            for pk, (name, email) in self.watchers_by_id.items()
        ]

    def chosen_watchers(self) -> list[tuple[int, str, str]]:
        """(VetSync id, name, e-mail) of each person chosen, after is_valid()."""
        return [(pk, *self.watchers_by_id[pk]) for pk in self.cleaned_data.get("notify_also", [])]

    @staticmethod
    def area_options() -> list[dict[str, str]]:
        """Soporte and Comercial with the guide's explanation of each (guide §4)."""
        return [
            {"value": area.value, "label": str(area.label), "meaning": str(AREA_MEANINGS[area])}
            for area in Area
        ]

    def keep_only_valid_hidden_values(self) -> None:
        """Before a refused form is shown again (a hidden field cannot be fixed): a bad or missing
        submission token is replaced, a refused earlier ticket dropped (its error says why)."""
        # A QueryDict's copy keeps every person chosen under "Avisar también a".
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        if self.has_error("submission_token") or not self.cleaned_data.get("submission_token"):
            data[self.add_prefix("submission_token")] = str(uuid.uuid4())
        if self.has_error("follows_up"):
            data[self.add_prefix("follows_up")] = ""
        self.data = data

    def clean_detail(self):
        detail = self.cleaned_data["detail"]
        if advice := too_general_advice(without_follow_up_opening(detail)):
            raise forms.ValidationError(advice, code="too_general")
        return detail

    def clean_follows_up(self):
        code = self.cleaned_data["follows_up"].strip().upper()
        if not code:
            return None
        ticket = self.follow_up_lookup(code=code) if self.follow_up_lookup else None
        if ticket is None:
            raise forms.ValidationError(
                _("El ticket anterior no existe o no pertenece a su clínica."), code="follows_up"
            )
        return ticket


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Información adicional"),
        max_length=limits.ADDITION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Escriba la información que quiere agregar."),
            "max_length": _(
                "La información no puede superar los %(limit_value)s caracteres "
                "(tiene %(show_value)s)."
            ),
        },
    )
    attachments = AttachmentsField()
    # One per form shown: the information is added once however often it is sent, and the
    # files of a form that came back are kept for it. A hidden value cannot be fixed by the
    # clinic, so a bad one is no error: that sending is simply not recognised again.
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def __init__(self, *args, attached: int = 0, **kwargs):
        # attached: the files the ticket (and this form) already has (at most 5 in all).
        super().__init__(*args, **kwargs)
        cast(AttachmentsField, self.fields["attachments"]).already = attached

    def clean_submission_token(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["submission_token"])
        except ValueError:
            return None


MINE = "mios"


class HistoryFilterForm(forms.Form):
    solicitante = forms.ChoiceField(
        label=_("Tickets"),
        required=False,
        choices=[("", _("Todos los de la clínica")), (MINE, _("Mis tickets"))],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Seleccione Mis tickets o Todos los de la clínica.")},
    )
    estado = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("", _("Todos los estados")), *State.choices],
        error_messages={"invalid_choice": _("Seleccione un estado válido.")},
    )
    area = forms.ChoiceField(
        label=_("Área"),
        required=False,
        choices=[("", _("Todas las áreas")), *Area.choices],
        error_messages={"invalid_choice": _("Seleccione un área válida.")},
    )
    q = forms.CharField(
        label=_("Buscar por código o palabras del detalle"),
        required=False,
        max_length=limits.SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _("La búsqueda no puede superar los %(limit_value)s caracteres.")
        },
    )
