"""The agents' ticket list and ticket page. The clinic's words are read-only; every change goes
through tickets/services.py, so an invalid move is an error message and nothing changes."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from attachments.models import Attachment
from canned_answers.picker import canned_answer_picker, form_url_without_choice
from canned_answers.services import canned_answer_respond
from desk.admin.actions import assign_to_me, move_to_in_process
from desk.admin.blocks import TicketPageBlocks
from desk.admin.filters import AgentFilter, ClinicFilter, DeletedByClinicFilter, UnansweredFilter
from desk.admin.forms import TicketAdminForm, hidden_fields
from desk.admin.pagination import CappedCountPaginator
from desk.admin.queues import DeskQueuesMixin, QueueFilter
from tickets import services
from tickets.codes import CODE_PREFIX_RE, CODE_RE
from tickets.models import Ticket, TicketAddition, TicketNote, TicketWatcher


@admin.register(Ticket)
class TicketAdmin(DeskQueuesMixin, TicketPageBlocks, admin.ModelAdmin):
    # --- the list -------------------------------------------------------------------------
    list_display = [
        "code",
        "clinic_link",
        "requester_name",
        "area",
        "state",
        "due_column",
        "created_at",
        "updated_at",
        "latest_response_at",
        "assigned_to",
        "deleted_mark",
    ]
    list_select_related = ["clinic", "requester", "assigned_to", "latest_response"]
    list_filter = [
        QueueFilter,
        "state",
        "area",
        DeletedByClinicFilter,
        UnansweredFilter,
        AgentFilter,
        ("created_at", admin.DateFieldListFilter),
        ClinicFilter,
    ]
    search_fields = [
        "code",
        "clinic__name",
        "clinic__rut",
        "requester__full_name",
        "requester__rut",
        "detail",
    ]
    search_help_text = _(
        "Código del ticket, nombre o RUT de la clínica, solicitante o palabras del detalle."
    )
    ordering = ["-created_at", "-id"]
    list_per_page = 25
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = [move_to_in_process, assign_to_me]

    # --- a ticket's page ------------------------------------------------------------------
    form = TicketAdminForm
    readonly_fields = [
        "summary",
        "service_level",
        "clinic_words",
        "files",
        "clinic_feedback",
        "conversation",
        "timeline",
    ]
    fieldsets = [
        (None, {"fields": ["summary", "service_level"]}),
        (_("Lo que escribió la clínica"), {"fields": ["clinic_words", "files", "clinic_feedback"]}),
        # The picker beside the response it fills (one row), the note below at full width.
        (
            _("Atención"),
            {"fields": ["state", "assigned_to", ("response", "canned_answers"), "note"]},
        ),
        (_("Seguimiento"), {"fields": ["conversation", "timeline"]}),
    ]

    # --- what agents may do ---------------------------------------------------------------
    def has_add_permission(self, request):
        return False  # tickets come from the clinics

    def has_delete_permission(self, request, obj=None):
        return False  # only the clinic deletes, and only softly

    def get_readonly_fields(self, request, obj=None):
        locked = ["state", "assigned_to"] if obj is not None and obj.is_deleted else []
        return [*super().get_readonly_fields(request, obj), *locked]

    def get_fieldsets(self, request, obj=None):
        hidden = hidden_fields(request.user, obj)

        def shown(fields):
            for field in fields:
                if isinstance(field, tuple):
                    field = tuple(name for name in field if name not in hidden)
                    if len(field) > 1:
                        yield field
                    elif field:
                        yield field[0]
                elif field not in hidden:
                    yield field

        return [
            (title, {**options, "fields": list(shown(options["fields"]))})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.hidden = hidden_fields(request.user, obj)
        if "canned_answers" not in form.hidden:
            form.canned_picker = canned_answer_picker(request=request, ticket=obj)
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            # A plain list of the active agents (TicketAdminForm): no "add user" buttons.
            return db_field.formfield(**kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        # Any ticket, deleted or not, with its people and the clinic's feedback in one query;
        # the has_… flags spare the queries of texts most tickets do not have (blocks.py).
        queryset = (
            self.get_queryset(request)
            .select_related("clinic", "requester", "follows_up", "deleted_by", "feedback__author")
            .annotate(
                has_additions=Exists(TicketAddition.objects.filter(ticket=OuterRef("pk"))),
                has_notes=Exists(TicketNote.objects.filter(ticket=OuterRef("pk"))),
                has_attachments=Exists(Attachment.objects.filter(ticket=OuterRef("pk"))),
                has_watchers=Exists(TicketWatcher.objects.filter(ticket=OuterRef("pk"))),
            )
        )
        try:
            return queryset.get(pk=object_id)
        except (Ticket.DoesNotExist, ValidationError, ValueError):
            return None

    # --- the list's columns and search --------------------------------------------------------
    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if CODE_RE.match(term.upper()):
            return queryset.filter(code=term.upper()), False
        if CODE_PREFIX_RE.match(term):
            return queryset.filter(code__startswith=term.upper()), False
        return super().get_search_results(request, queryset, term)

    def action_checkbox(self, ticket):
        # The same checkbox as the admin's (name, class and label that its actions script
        # reads) from one small template instead of a form widget: 25 widgets were 7 ms of a
        # list page's CPU (280 against 32 µs each).
        return render_to_string(
            "admin/tickets/ticket/action_checkbox.html",
            {
                "name": ACTION_CHECKBOX_NAME,
                "value": ticket.pk,
                "label": gettext("Select this object for an action - {}").format(ticket),
            },
        )

    @admin.display(description=_("clínica"), ordering="clinic__name")
    def clinic_link(self, ticket):
        return format_html(
            '<a href="?clinica={}" title="{}">{}</a>',
            ticket.clinic_id,
            gettext("Ver solo los tickets de esta clínica"),
            ticket.clinic.name,
        )

    @admin.display(description=_("solicitante"), ordering="requester__full_name")
    def requester_name(self, ticket):
        return ticket.requester.display_name

    @admin.display(description=_("última respuesta"), ordering="latest_response__created_at")
    def latest_response_at(self, ticket):
        return ticket.latest_response.created_at if ticket.latest_response else None

    @admin.display(description=_("eliminado"), boolean=True)
    def deleted_mark(self, ticket):
        return ticket.is_deleted

    # --- saving goes through the services ---------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin saves the whole page in one transaction: a change the services refuse
        # leaves that transaction by this exception, so nothing of the page is kept.
        form_url = form_url or form_url_without_choice(request)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.TicketError as error:
            messages.error(
                request, _("No se guardó ningún cambio: %(error)s") % {"error": error.message}
            )
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if not change:
            return
        if "state" in form.changed_data:
            services.ticket_transition(ticket=obj, to_state=obj.state, actor=request.user)
        if "assigned_to" in form.changed_data:
            services.ticket_assign(ticket=obj, agent=obj.assigned_to, actor=request.user)
        if form.cleaned_data.get("response"):
            canned_answer_respond(
                ticket=obj,
                author=request.user,
                text=form.cleaned_data["response"],
                answers=form.cleaned_data.get("canned_answers") or (),
            )
        if form.cleaned_data.get("note"):
            services.ticket_note_add(
                ticket=obj, author=request.user, text=form.cleaned_data["note"]
            )
