"""The form of a ticket's page: the state, the agent, the response and the internal note. It
validates only; TicketAdmin.save_model hands each change to tickets/services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canned_answers.picker import CannedAnswerPicker, CannedAnswersField, picker_allowed
from tickets.agent_selectors import assignable_agents
from tickets.models import Ticket
from tickets.states import State, allowed_moves

# The texts an agent writes on the ticket's page, and the permission each one needs.
TEXT_PERMISSIONS = {"response": "tickets.add_ticketresponse", "note": "tickets.add_ticketnote"}


def hidden_fields(user, ticket) -> set[str]:
    """The page's fields this user does not get on this ticket: the texts it may not write, and
    the canned answers' picker, which comes with the response (canned_answers/picker.py)."""
    hidden = {name for name, perm in TEXT_PERMISSIONS.items() if not user.has_perm(perm)}
    if "response" in hidden or not picker_allowed(user=user, ticket=ticket):
        hidden.add("canned_answers")
    return hidden


class TicketAdminForm(forms.ModelForm):
    """Only the moves the transitions table allows from the ticket's current state, the active
    agents, and the texts the agent may write."""

    response = forms.CharField(
        label=_("Respuesta del equipo"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Se publica en el detalle del ticket que ve la clínica."),
    )
    note = forms.CharField(
        label=_("Nota interna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Solo para el equipo: la clínica nunca la ve."),
    )
    canned_answers = CannedAnswersField()  # the picker, and which answers the response used
    # Set per request by TicketAdmin.get_form (hidden_fields); until then, no text to write.
    hidden: set[str] | frozenset[str] = frozenset({*TEXT_PERMISSIONS, "canned_answers"})
    canned_picker: CannedAnswerPicker | None = None  # likewise; None: no picker on this page

    class Meta:
        model = Ticket
        fields = ["state", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.hidden:
            self.fields.pop(name, None)
        if self.canned_picker is None:
            self.fields.pop("canned_answers", None)
        else:
            self.canned_picker.attach(self)
        if "state" in self.fields and self.instance.pk:
            current = State(self.instance.state)
            moves = [current, *sorted(allowed_moves(current), key=list(State).index)]
            self.fields["state"].choices = [(s.value, s.label) for s in moves]
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = assignable_agents()
