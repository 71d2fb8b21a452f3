"""The clinic answers "¿Se resolvió su problema?" on its ticket's page (a POST, no script)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.decorators import portal_view
from feedback.forms import FeedbackForm
from feedback.services import FeedbackError, feedback_give, feedback_refusal
from portal.views import render_detail
from tickets import selectors


@portal_view(["POST"])
def feedback_answer(request, code):
    ticket = selectors.ticket_get_for_change(clinic=request.clinic, code=code)
    refusal = feedback_refusal(ticket=ticket)
    if refusal:
        messages.error(request, refusal)
        return redirect("tickets:detail", code=ticket.code)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        # The comment stays in the form, with the reason beside it.
        return render_detail(request, code, feedback_form=form, status=400)
    try:
        feedback_give(
            ticket=ticket,
            author=request.user,
            solved=form.cleaned_data["solved"],
            comment=form.cleaned_data["comment"],
        )
    except FeedbackError as error:
        messages.error(request, error.message)
        return redirect("tickets:detail", code=ticket.code)
    messages.success(request, _("Gracias por su respuesta."))
    return redirect("tickets:detail", code=ticket.code)
