"""The canned answers' picker on a ticket's admin page: **Usar respuesta** fills the response in
(picker.js, or a reload); only a published response counts the uses of its hidden field's ids."""

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from canned_answers.models import CannedAnswer
from canned_answers.placeholders import fill_placeholders, ticket_values
from canned_answers.selectors import canned_answers_for_area
from tickets.models import Ticket

CHOSEN_PARAM = "respuesta_predefinida"  # the no-JavaScript reload's query parameter
MAX_USED = 20  # more ids than this in the hidden field are not an agent's doing
NOT_OFFERED = _(
    "La respuesta predefinida elegida no existe, no está activa o no es del "
    "área de este ticket. Elija otra de la lista."
)


def picker_allowed(*, user: User | AnonymousUser, ticket: Ticket | None) -> bool:
    """An existing ticket the clinic has not deleted, and an agent who may read the answers."""
    if ticket is None or ticket.is_deleted:
        return False
    return user.has_perm("canned_answers.view_cannedanswer")


@dataclass
class CannedAnswerPicker:
    answers: list[CannedAnswer]
    texts: dict[int, str]  # each answer's text, filled in for this ticket and agent
    chosen: CannedAnswer | None = None
    preserved_filters: str = ""  # the list's filters, kept across the no-JavaScript reload
    by_id: dict[int, CannedAnswer] = field(init=False)

    def __post_init__(self):
        self.by_id = {answer.pk: answer for answer in self.answers}

    def attach(self, form: forms.BaseForm, name: str = "canned_answers") -> None:
        """Give the form's field this picker; an unbound form starts with the chosen text."""
        picker_field = form.fields[name]
        assert isinstance(picker_field, CannedAnswersField)  # noqa: S101 (for the type checker)
        picker_field.picker = self
        picker_field.widget.picker = self
        if not self.answers:
            picker_field.help_text = ""  # the widget says there are none
        if self.chosen is not None and not form.is_bound:
            form.initial["response"] = self.texts[self.chosen.pk]
            form.initial[name] = str(self.chosen.pk)


def canned_answer_picker(*, request: HttpRequest, ticket: Ticket) -> CannedAnswerPicker:
    """The active answers for ``ticket``'s area (one query), filled in for it and the agent."""
    answers = list(canned_answers_for_area(area=ticket.area))
    agent = request.user
    assert isinstance(agent, User)  # noqa: S101 (the admin lets only agents in)
    values = ticket_values(ticket=ticket, agent=agent)
    picker = CannedAnswerPicker(
        answers=answers,
        texts={answer.pk: fill_placeholders(answer.text, values) for answer in answers},
        preserved_filters=request.GET.get("_changelist_filters", ""),
    )
    if request.method == "GET" and request.GET.get(CHOSEN_PARAM):
        picker.chosen = picker.by_id.get(parse_id(request.GET[CHOSEN_PARAM]) or 0)
        if picker.chosen is None:
            messages.warning(request, NOT_OFFERED)
    return picker


def form_url_without_choice(request: HttpRequest) -> str:
    """On a reload with a chosen answer, the form posts to the page without it, so that "Guardar y
    continuar editando" does not fill the text in again; "" (the page itself) otherwise."""
    return request.path if CHOSEN_PARAM in request.GET else ""


def parse_id(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


class CannedAnswerPickerWidget(forms.Widget):
    """The answers' list and Usar respuesta (the GET form), their texts, and the hidden ids."""

    template_name = "admin/canned_answers/picker.html"
    picker: CannedAnswerPicker | None = None

    class Media:
        js = ["canned_answers/picker.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context.update(picker=self.picker, chosen_param=CHOSEN_PARAM)
        if self.picker is not None:
            context["texts"] = {
                str(answer.pk): {"title": answer.title, "text": self.picker.texts[answer.pk]}
                for answer in self.picker.answers
            }
        return context


class CannedAnswersField(forms.Field):
    """The answers used, kept only when the picker offered them; anything else is dropped, never
    an error: bookkeeping must not stand between an agent and a published response."""

    widget = CannedAnswerPickerWidget
    picker: CannedAnswerPicker | None = None

    def __init__(self, **kwargs):
        help_text = _(
            "Elija una y pulse «Usar respuesta»: su texto, con los datos de este ticket, "
            "queda en la respuesta del equipo para revisarlo antes de guardar."
        )
        defaults = {"label": _("Respuesta predefinida"), "required": False, "help_text": help_text}
        super().__init__(**defaults | kwargs)

    def has_changed(self, initial, data) -> bool:
        # Changed when it names an answer: the admin's history lists it only then.
        return bool(self.to_python(data))

    def to_python(self, value) -> list[CannedAnswer]:
        if self.picker is None or not value:
            return []
        ids = [parse_id(part) for part in str(value).split(",")[:MAX_USED]]
        return list({pk: self.picker.by_id[pk] for pk in ids if pk in self.picker.by_id}.values())
