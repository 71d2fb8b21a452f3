"""The form of a ticket's page: the state, the agent, and the response and internal note the
agent may write. It validates only; TicketAdmin.save_model hands each change to
tickets/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canned_answers.picker import CannedAnswerPicker, CannedAnswersField, picker_allowed
from tickets.agent_selectors import assignable_agents
from tickets.models import Ticket
from tickets.states import State, allowed_moves

# The texts an agent writes on the ticket's page, and the permission each one needs.
TEXT_PERMISSIONS = {"response": "tickets.add_ticketresponse", "note": "tickets.add_ticketnote"}


def writable_texts(user) -> frozenset[str]:
    """The texts of TEXT_PERMISSIONS this user may write."""
    return frozenset(name for name, perm in TEXT_PERMISSIONS.items() if user.has_perm(perm))


def hidden_fields(user, ticket) -> set[str]:
    """The page's fields this user does not get on this ticket: the texts it may not write, and
    the canned answers' picker, which comes with the response (canned_answers/picker.py)."""
    hidden = set(TEXT_PERMISSIONS) - writable_texts(user)
    if "response" in hidden or not picker_allowed(user=user, ticket=ticket):
        hidden.add("canned_answers")
    return hidden


class TicketAdminForm(forms.ModelForm):
    """Only the moves the transitions table allows from the ticket's current state, the active
    agents, and the texts the agent may write."""

    response = forms.CharField(
        label=_("Respuesta del equipo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Se publica en el detalle del ticket que ve la clínica."),
    )
    note = forms.CharField(
        label=_("Nota interna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Solo para el equipo: la clínica nunca la ve."),
    )
    canned_answers = CannedAnswersField()  # the picker, and which answers the response used
    writable_texts: frozenset[str] = frozenset()  # set per request by TicketAdmin.get_form
    canned_picker: CannedAnswerPicker | None = None  # likewise; None: no picker on this page

    class Meta:
        model = Ticket
        fields = ["state", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_PERMISSIONS:
            if name not in self.writable_texts:
                self.fields.pop(name, None)
        if "response" in self.fields and self.canned_picker is not None:
            self.canned_picker.attach(self)
        else:
            self.fields.pop("canned_answers", None)
        if "state" in self.fields and self.instance.pk:
            current = State(self.instance.state)
            moves = [current, *sorted(allowed_moves(current), key=list(State).index)]
            self.fields["state"].choices = [(s.value, s.label) for s in moves]
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = assignable_agents()
