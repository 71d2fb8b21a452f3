"""The agents' desk. The clinic's words are read-only; every change goes through
tickets/services.py, so an invalid move is an error message and nothing changes."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets import admin_reads, services
from tickets.admin_blocks import TicketPageBlocks
from tickets.admin_filters import AgentFilter, ClinicFilter, DeletedByClinicFilter, UnansweredFilter
from tickets.admin_pagination import CappedCountPaginator
from tickets.admin_widgets import PlainSelect
from tickets.models import Ticket
from tickets.selectors import CODE_PREFIX_RE, CODE_RE
from tickets.states import State, allowed_moves

# The texts an agent writes on the ticket's page, and the permission each one needs.
TEXT_PERMISSIONS = {
    "response": "tickets.add_ticketresponse",
    "note": "tickets.add_ticketnote",
}


class TicketAdminForm(forms.ModelForm):
    """Only the moves the transitions table allows from the ticket's current state, and the
    response and internal note the agent may write (saved by tickets/services.py)."""

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
    writable_texts: frozenset[str] = frozenset()  # set per request by TicketAdmin.get_form

    class Meta:
        model = Ticket
        fields = ["state", "assigned_to"]
        widgets = {"state": PlainSelect, "assigned_to": PlainSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_PERMISSIONS:
            if name not in self.writable_texts:
                self.fields.pop(name, None)
        if "state" in self.fields and self.instance.pk:
            current = State(self.instance.state)
            moves = [current, *sorted(allowed_moves(current), key=list(State).index)]
            self.fields["state"].choices = [(s.value, s.label) for s in moves]
        if "assigned_to" in self.fields:
            field = self.fields["assigned_to"]
            field.queryset = User.objects.filter(
                is_staff=True, is_active=True, clinic__isnull=True
            ).order_by("full_name", "first_name", "last_name", "username", "id")
            # The same choices, read by SQL compiled once (tickets/admin_reads.py).
            agents = admin_reads.assignable_agents()
            field.choices = [
                ("", field.empty_label),
                *((agent.pk, field.label_from_instance(agent)) for agent in agents),
            ]


class TicketActionForm(ActionForm):
    action = forms.ChoiceField(label=ActionForm.base_fields["action"].label, widget=PlainSelect)


@admin.register(Ticket)
class TicketAdmin(TicketPageBlocks, admin.ModelAdmin):
    form = TicketAdminForm
    action_form = TicketActionForm
    list_display = [
        "code",
        "clinic_link",
        "requester_name",
        "area",
        "state",
        "created_at",
        "updated_at",
        "latest_response_at",
        "assigned_to",
        "deleted_mark",
    ]
    list_select_related = ["clinic", "requester", "assigned_to", "latest_response"]
    list_filter = [
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
    actions = ["move_to_in_process", "assign_to_me"]
    # Few read-only fields, each a compact block: the admin renders every field of a
    # fieldset through several templates, which is most of a ticket page's time.
    readonly_fields = ["summary", "clinic_words", "conversation", "timeline"]
    fieldsets = [
        (None, {"fields": ["summary"]}),
        (_("Lo que escribió la clínica"), {"fields": ["clinic_words"]}),
        (_("Atención"), {"fields": ["state", "assigned_to", "response", "note"]}),
        (_("Seguimiento"), {"fields": ["conversation", "timeline"]}),
    ]

    # --- what agents may do ---------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # tickets come from the clinics

    def has_delete_permission(self, request, obj=None):
        return False  # only the clinic deletes, and only softly

    def get_object(self, request, object_id, from_field=None):
        # The ticket page shows its clinic, requester, previous ticket and who deleted it
        # (tickets/admin_reads.py: every ticket, as get_queryset() gives them all).
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            return None
        return admin_reads.ticket_for_agents(pk=pk)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.writable_texts = _writable_texts(request)
        return form

    def get_fieldsets(self, request, obj=None):
        writable = _writable_texts(request)
        hidden = set(TEXT_PERMISSIONS) - writable
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            # A plain list of agents: no "add user" buttons beside it on every ticket.
            return db_field.formfield(**kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            return self.formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_deleted:
            fields += ["state", "assigned_to"]
        return fields

    # --- list and search ----------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if CODE_RE.match(term.upper()):
            return queryset.filter(code=term.upper()), False
        if CODE_PREFIX_RE.match(term):
            return queryset.filter(code__startswith=term.upper()), False
        return super().get_search_results(request, queryset, term)

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
            services.ticket_respond(
                ticket=obj, author=request.user, text=form.cleaned_data["response"]
            )
        if form.cleaned_data.get("note"):
            services.ticket_note_add(
                ticket=obj, author=request.user, text=form.cleaned_data["note"]
            )

    # --- bulk actions ---------------------------------------------------------------------

    @admin.action(description=_("Mover a En proceso"), permissions=["change"])
    def move_to_in_process(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda ticket: services.ticket_transition(
                ticket=ticket, to_state=State.EN_PROCESO, actor=request.user
            ),
            done=lambda n: ngettext(
                "%(n)d ticket pasó a En proceso.", "%(n)d tickets pasaron a En proceso.", n
            ),
        )

    @admin.action(description=_("Asignármelos"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda ticket: services.ticket_assign(
                ticket=ticket, agent=request.user, actor=request.user
            ),
            done=lambda n: ngettext(
                "%(n)d ticket quedó asignado a usted.",
                "%(n)d tickets quedaron asignados a usted.",
                n,
            ),
        )

    def _bulk(self, request, queryset, change, done):
        moved, refused = 0, []
        for ticket in queryset.order_by("pk"):
            try:
                with transaction.atomic():
                    change(ticket)
            except services.TicketError as error:
                refused.append(f"{ticket.code} ({error.message})")
            else:
                moved += 1
        self.message_user(request, done(moved) % {"n": moved}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                _("Rechazados: %(list)s") % {"list": "; ".join(refused)},
                messages.WARNING,
            )


def _writable_texts(request) -> frozenset[str]:
    return frozenset(
        name for name, permission in TEXT_PERMISSIONS.items() if request.user.has_perm(permission)
    )
