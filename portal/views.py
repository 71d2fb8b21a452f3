"""The clinic's help desk (guide §3-§9). ``request.clinic`` comes from the session only; every
ticket is reached through a selector that takes ``clinic=``: another clinic's is a 404 too."""

import uuid
from functools import partial

from django.contrib import messages
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.decorators import portal_view
from attachments import selectors as attachment_selectors
from attachments import services as attachment_services
from attachments.forms import AttachmentsField
from attachments.limits import accepts_files
from feedback.forms import FeedbackForm
from feedback.selectors import feedback_on_ticket
from feedback.services import FeedbackError, feedback_give, feedback_is_asked, feedback_refusal
from notices.selectors import notice_list_in_force
from portal.forms import MINE, AddInformationForm, HistoryFilterForm, TicketForm, follow_up_opening
from portal.pagination import counted_page, uncounted_page
from service_levels.response_times import business_time_words, typical_first_response
from tickets import export, selectors, services
from tickets.limits import DETAIL_MAX_LENGTH, addition_too_long
from tickets.states import STATE_MEANINGS, State, clinic_may_delete, is_closed
from vetsync_support.rendering import render_page

HISTORY_PAGE_SIZE = 25


def _new_ticket_form(request, *, follows_up=None, data=None, files=None, attached=0):
    clinic = request.clinic
    initial = {"submission_token": uuid.uuid4()}
    if follows_up is not None:
        initial["follows_up"] = follows_up.code
        initial["detail"] = follow_up_opening(follows_up.code)
    return TicketForm(
        data=data,
        files=files,
        initial=initial,
        follow_up_lookup=partial(selectors.ticket_by_code, clinic=clinic),
        watcher_choices=partial(
            selectors.ticket_watcher_choices, clinic=clinic, requester=request.user
        ),
        attached=attached,
    )


def _render_form(request, form, follows_up, status=None, similar=(), staged=()):
    """The ticket form, with the notices in force above it (guide: know of an outage before
    writing in), the clinic's open tickets alike to it when there are, and the files it kept."""
    return render_page(
        request,
        "tickets/ticket_form.html",
        {
            "form": form,
            "follows_up": follows_up,
            "notices": notice_list_in_force(clinic=request.clinic),
            "similar": similar,
            "staged": [*staged, *_keep_chosen_files(request, form)],
        },
        status=status,
    )


def _render_refused(request, form, staged: list, similar=()):
    """The ticket form shown again with its errors, what was typed and the files it kept (a
    hidden value the clinic cannot fix is replaced first)."""
    follows_up = (form.cleaned_data or {}).get("follows_up")
    form.keep_only_valid_hidden_values()
    return _render_form(request, form, follows_up, status=400, similar=similar, staged=staged)


def _posted_token(data) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get("submission_token", "")))
    except ValueError:
        return None


def _kept_files(request) -> list:
    """The files this form kept, looked up only when the form says it kept some (a form that
    never came back, nearly every one, costs no query)."""
    if not request.POST.get("archivos_guardados"):
        return []
    token = _posted_token(request.POST)
    return attachment_selectors.staged_files(user=request.user, submission_token=token)


def _keep_chosen_files(request, form) -> list:
    """A form that comes back keeps on the server the files chosen with it (nothing a clinic
    chose is lost between pages), for its own submission token and user."""
    files = AttachmentsField.checked_files(form) if form.is_bound else []
    token = _posted_token(form.data) if files else None
    if token is None:
        return []
    try:
        return attachment_services.files_stage(
            user=request.user, submission_token=token, files=files
        )
    except services.TicketError as error:
        form.add_error(None, error.message)
        return []


@portal_view(["GET"])
def panel(request):
    clinic = request.clinic
    totals = selectors.ticket_totals(clinic=clinic)
    return render_page(
        request,
        "tickets/panel.html",
        {
            "totals": [
                {"state": state, "count": totals[state.value], "meaning": STATE_MEANINGS[state]}
                for state in State
            ],
            "latest": selectors.ticket_latest(clinic=clinic, reader=request.user, limit=5),
            "form": _new_ticket_form(request),
            "notices": notice_list_in_force(clinic=clinic),
        },
    )


@accepts_files
@portal_view(["GET", "POST"])
def ticket_create(request):
    clinic = request.clinic
    follows_up = None
    if request.method == "GET":
        if code := request.GET.get("sigue", ""):
            follows_up = selectors.ticket_by_code(clinic=clinic, code=code.upper())
            if follows_up is None:
                messages.error(
                    request, _("El ticket anterior no existe o no pertenece a su clínica.")
                )
        form = _new_ticket_form(request, follows_up=follows_up)
        return _render_form(request, form, follows_up)
    staged = _kept_files(request)
    if "quitar_archivo" in request.POST:
        return _drop_kept_file(request, staged)
    if request.POST.get("agregar_a"):
        return _add_to_open_ticket(request, request.POST["agregar_a"], staged)
    form = _new_ticket_form(request, data=request.POST, files=request.FILES, attached=len(staged))
    if not form.is_valid():
        return _render_refused(request, form, staged)
    if similar := _similar_not_yet_shown(request, form):
        return _render_form(
            request, form, form.cleaned_data["follows_up"], similar=similar, staged=staged
        )
    try:
        ticket, created = attachment_services.ticket_create_with_files(
            clinic=clinic,
            requester=request.user,
            area=form.cleaned_data["area"],
            detail=form.cleaned_data["detail"],
            follows_up=form.cleaned_data["follows_up"],
            submission_token=form.cleaned_data["submission_token"],
            files=form.cleaned_data["attachments"],
            staged=staged,
            watchers=[services.Watcher(*chosen) for chosen in form.chosen_watchers()],
        )
    except services.TicketError as error:
        form.add_error(None, error.message)  # the change was undone: the kept files are kept
        return _render_form(request, form, None, status=400, staged=staged)
    if created:
        text = _("Ticket %(code)s creado. El equipo SmartAutomate/VetSync lo revisará.")
        return _back_to(request, ticket, text % {"code": ticket.code}, messages.SUCCESS)
    text = _("Este formulario ya fue enviado: el ticket %(code)s.")
    return _back_to(request, ticket, text % {"code": ticket.code}, messages.INFO)


def _back_to(request, ticket, message: str, level: int = messages.ERROR):
    """The ticket's page, with a message above it (by default: why a change was refused)."""
    messages.add_message(request, level, message)
    return redirect("tickets:detail", code=ticket.code)


def _similar_not_yet_shown(request, form) -> list:
    """One case, one ticket: the clinic's open tickets alike to this one, unless the clinic
    already chose "Es otro caso: enviar ticket", already saw these very tickets while typing
    (the script sends their codes as "vistos"), or this form already created its ticket."""
    if request.POST.get("otro_caso"):
        return []
    similar = selectors.ticket_similar_open(clinic=request.clinic, text=form.cleaned_data["detail"])
    seen = set(request.POST.getlist("vistos"))
    if {ticket.code for ticket in similar} <= seen:
        return []
    # Asked only when there are look-alikes: a form sent twice would find its own ticket.
    token = form.cleaned_data["submission_token"]
    submitted = selectors.ticket_submitted(clinic=request.clinic, submission_token=token)
    return [] if submitted else similar


def _drop_staged(request, token, staged: list) -> list:
    """Quitar: the one file of this form's kept files named by the button is dropped."""
    try:
        pk = int(request.POST["quitar_archivo"])
    except ValueError:
        return staged
    if token is not None:
        attachment_services.staged_file_drop(user=request.user, submission_token=token, pk=pk)
    return [file for file in staged if file.pk != pk]


def _drop_kept_file(request, staged: list):
    """Quitar on the ticket form: the file is dropped, and the form comes back as it was."""
    staged = _drop_staged(request, _posted_token(request.POST), staged)
    form = _new_ticket_form(request, data=request.POST, files=request.FILES, attached=len(staged))
    if not form.is_valid():
        return _render_refused(request, form, staged)
    similar = selectors.ticket_similar_open(clinic=request.clinic, text=form.cleaned_data["detail"])
    return _render_form(
        request, form, form.cleaned_data["follows_up"], similar=similar, staged=staged
    )


def _add_to_open_ticket(request, code: str, staged: list):
    """Agregar la información a ST-…: the new ticket's text and files go to one of the clinic's
    open tickets instead (any ticket not its own, or not open, is refused as on its page)."""
    clinic = request.clinic
    # The same refusal for another clinic's ticket and a missing one, and the text is kept.
    ticket = selectors.ticket_by_code(clinic=clinic, code=code.strip().upper())
    attached = len(staged)
    if ticket and (request.FILES or staged):
        attached += attachment_selectors.attachment_count(ticket=ticket)
    form = _new_ticket_form(request, data=request.POST, files=request.FILES, attached=attached)
    if ticket is None:
        form.is_valid()
        form.add_error(
            None,
            _("El ticket %(code)s no existe o no pertenece a su clínica.") % {"code": code[:40]},
        )
    elif form.is_valid() and (too_long := addition_too_long(form.cleaned_data["detail"])):
        form.add_error("detail", too_long)
    if ticket is not None and form.is_valid():
        try:
            _addition, added = attachment_services.add_information_with_files(
                ticket=ticket,
                author=request.user,
                text=form.cleaned_data["detail"],
                files=form.cleaned_data["attachments"],
                staged=staged,
                submission_token=form.cleaned_data["submission_token"],
            )
        except services.TicketError as error:
            form.add_error(None, error.message)
        else:
            if added:
                message = _("La información fue agregada al ticket %(code)s.")
            else:
                message = _("Esta información ya había sido agregada al ticket %(code)s.")
            return _back_to(request, ticket, message % {"code": ticket.code}, messages.SUCCESS)
    similar = selectors.ticket_similar_open(clinic=clinic, text=request.POST.get("detail", ""))
    return _render_refused(request, form, staged, similar=similar)


@portal_view(["POST"])
def similar_tickets(request):
    """The matches shown while the clinic types (static/tickets/similar.js), as JSON. A POST:
    the text of a ticket never travels in an address, which servers log."""
    text = request.POST.get("texto", "")[:DETAIL_MAX_LENGTH]
    found = [
        {
            "code": ticket.code,
            "state": ticket.state,
            "state_label": ticket.state_label,
            "excerpt": ticket.excerpt,
            "url": reverse("tickets:detail", kwargs={"code": ticket.code}),
        }
        for ticket in selectors.ticket_similar_open(clinic=request.clinic, text=text)
    ]
    return JsonResponse({"tickets": found})


def _history_filters(request) -> tuple[HistoryFilterForm, selectors.HistoryFilters | None]:
    """The history's filters from the address; None when one of them is not valid."""
    filter_form = HistoryFilterForm(request.GET or None)
    if not filter_form.is_valid():
        return filter_form, None if filter_form.is_bound else selectors.HistoryFilters()
    data = filter_form.cleaned_data
    return filter_form, selectors.HistoryFilters(
        state=data["estado"],
        area=data["area"],
        query=data["q"],
        requester_id=request.user.pk if data["solicitante"] == MINE else None,
    )


@portal_view(["GET"])
def history(request):
    clinic = request.clinic
    filter_form, filters = _history_filters(request)
    # A filter that is not valid is shown with its error beside it, over the whole history.
    filters = filters or selectors.HistoryFilters()
    fetch = partial(
        selectors.ticket_history_page, clinic=clinic, reader=request.user, filters=filters
    )
    number = request.GET.get("pagina")
    if filters.words:
        page = uncounted_page(fetch, number, HISTORY_PAGE_SIZE)
    else:
        count = selectors.ticket_history_count(clinic=clinic, filters=filters)
        page = counted_page(fetch, count, number, HISTORY_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render_page(
        request,
        "tickets/history.html",
        {
            "filter_form": filter_form,
            "page": page,
            "filtered": any((filters.state, filters.area, filters.query, filters.requester_id)),
            "query_string": query.urlencode(),
        },
    )


@portal_view(["GET"])
def history_export(request):
    """Descargar historial: the clinic's tickets with the history's filters, as CSV."""
    clinic = request.clinic
    _, filters = _history_filters(request)
    if filters is None:
        # The history page says, in its words, which filter is not valid.
        return redirect(f"{reverse('tickets:history')}?{request.GET.urlencode()}")
    filename = f"historial-tickets-{clinic.rut}-{timezone.localdate():%d-%m-%Y}.csv"
    return StreamingHttpResponse(
        export.csv_chunks(selectors.ticket_export_pages(clinic=clinic, filters=filters)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def render_detail(
    request, code, *, information_form=None, feedback_form=None, staged=(), status=200
):
    """A ticket's page, with a refused form's errors when there is one."""
    ticket = selectors.ticket_page(clinic=request.clinic, code=code, reader=request.user)
    if ticket.has_news and ticket.last_team_activity_at is not None:
        # Opening the page clears its "Nueva respuesta" mark, for this user only.
        services.ticket_mark_seen(
            user=request.user, ticket_id=ticket.id, activity_at=ticket.last_team_activity_at
        )
    typical = None
    if not ticket.has_responses and not is_closed(ticket.state):
        typical = typical_first_response(ticket.area)
    # The features' blocks, each read by its feature: the files (one query), and the clinic's
    # answer, read only for a ticket that may have one (resolved now or before).
    attachments = attachment_selectors.attachment_rows_for_clinic(
        clinic=request.clinic, ticket_id=ticket.id
    )
    feedback = feedback_on_ticket(clinic=request.clinic, ticket=ticket)
    return render_page(
        request,
        "tickets/ticket_detail.html",
        {
            "ticket": ticket,
            "attachments": attachments,
            "feedback": feedback,
            "state_meaning": STATE_MEANINGS[State(ticket.state)],
            "is_closed": is_closed(ticket.state),
            "can_delete": clinic_may_delete(ticket.state),
            "information_form": information_form or AddInformationForm(),
            "staged": [
                *staged,
                *(_keep_chosen_files(request, information_form) if information_form else []),
            ],
            "typical_wait": business_time_words(typical) if typical is not None else "",
            "asks_feedback": feedback_is_asked(state=ticket.state, answered=feedback is not None),
            "feedback_form": feedback_form or FeedbackForm(),
        },
        status=status,
    )


@portal_view(["GET"])
def ticket_detail(request, code):
    return render_detail(request, code)


@portal_view(["GET", "POST"])
def ticket_delete(request, code):
    ticket = selectors.ticket_get_for_change(clinic=request.clinic, code=code)
    if refusal := services.ticket_delete_refusal(ticket=ticket):
        return _back_to(request, ticket, refusal)
    if request.method == "GET":
        return render_page(request, "tickets/ticket_confirm_delete.html", {"ticket": ticket})
    try:
        services.ticket_delete(ticket=ticket, actor=request.user)
    except services.TicketError as error:
        return _back_to(request, ticket, error.message)
    messages.success(request, _("El ticket %(code)s fue eliminado.") % {"code": ticket.code})
    return redirect("tickets:history")


@accepts_files
@portal_view(["POST"])
def ticket_add_information(request, code):
    ticket = selectors.ticket_get_for_change(clinic=request.clinic, code=code)
    token = _posted_token(request.POST)
    staged = _kept_files(request)
    dropping = "quitar_archivo" in request.POST
    if dropping:
        staged = _drop_staged(request, token, staged)
    attached = len(staged)
    if request.FILES or staged:
        attached += attachment_selectors.attachment_count(ticket=ticket)
    form = AddInformationForm(request.POST, request.FILES, attached=attached)
    if dropping or not form.is_valid():
        status = 200 if dropping and form.is_valid() else 400
        return render_detail(request, code, information_form=form, staged=staged, status=status)
    try:
        attachment_services.add_information_with_files(
            ticket=ticket,
            author=request.user,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["attachments"],
            staged=staged,
            submission_token=form.cleaned_data["submission_token"],
        )
    except services.TicketError as error:
        # The text stays in the form, with the reason beside it: nothing typed is lost.
        form.add_error("text", error.message)
        return render_detail(request, code, information_form=form, staged=staged, status=400)
    return _back_to(request, ticket, _("La información fue agregada al ticket."), messages.SUCCESS)


@portal_view(["POST"])
def feedback_answer(request, code):
    """The clinic answers "¿Se resolvió su problema?" on its ticket's page (a POST, no script)."""
    ticket = selectors.ticket_get_for_change(clinic=request.clinic, code=code)
    if refusal := feedback_refusal(ticket=ticket):
        return _back_to(request, ticket, refusal)
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
        return _back_to(request, ticket, error.message)
    return _back_to(request, ticket, _("Gracias por su respuesta."), messages.SUCCESS)
