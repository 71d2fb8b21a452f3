"""The agents' desk. The clinic's words are read-only; every change goes through
tickets/services.py, so an invalid move is an error message and nothing changes."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

import tickets.admin_notifications  # noqa: F401 (registers the notifications admin)
from accounts.models import User
from tickets import services
from tickets.admin_filters import AgentFilter, ClinicFilter, DeletedByClinicFilter, UnansweredFilter
from tickets.admin_pagination import CappedCountPaginator
from tickets.models import Ticket, TicketNote, TicketResponse
from tickets.selectors import CODE_PREFIX_RE, CODE_RE
from tickets.states import State, allowed_moves


class TicketAdminForm(forms.ModelForm):
    """Only the moves the transitions table allows from the ticket's current state."""

    class Meta:
        model = Ticket
        fields = ["state", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "state" in self.fields and self.instance.pk:
            current = State(self.instance.state)
            moves = [current, *sorted(allowed_moves(current), key=list(State).index)]
            self.fields["state"].choices = [(s.value, s.label) for s in moves]
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = User.objects.filter(
                is_staff=True, is_active=True, clinic__isnull=True
            )


class ResponseInline(admin.StackedInline):
    """Write a response published to the clinic. Published responses cannot be edited."""

    model = TicketResponse
    verbose_name = _("respuesta publicada a la clínica")
    verbose_name_plural = _("respuestas publicadas a la clínica")
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]
    extra = 1
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class NoteInline(ResponseInline):
    """Internal notes of the team: the clinic never sees them."""

    model = TicketNote
    verbose_name = _("nota interna (la clínica no la ve)")
    verbose_name_plural = _("notas internas (la clínica no las ve)")


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    form = TicketAdminForm
    inlines = [ResponseInline, NoteInline]
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
    readonly_fields = [
        "code",
        "clinic",
        "requester",
        "area",
        "reported_detail",
        "clinic_additions",
        "follows_up",
        "created_at",
        "updated_at",
        "first_response_time",
        "resolution_time",
        "deleted_at",
        "deleted_by",
        "timeline",
    ]
    fieldsets = [
        (None, {"fields": ["code", "clinic", "requester", "area", "follows_up"]}),
        (_("Lo que escribió la clínica"), {"fields": ["reported_detail", "clinic_additions"]}),
        (_("Atención"), {"fields": ["state", "assigned_to"]}),
        (
            _("Fechas"),
            {
                "fields": [
                    "created_at",
                    "updated_at",
                    "first_response_time",
                    "resolution_time",
                    "deleted_at",
                    "deleted_by",
                ]
            },
        ),
        (_("Seguimiento"), {"fields": ["timeline"]}),
    ]

    # --- what agents may do ---------------------------------------------------------------

    def has_add_permission(self, request):
        return False  # tickets come from the clinics

    def has_delete_permission(self, request, obj=None):
        return False  # only the clinic deletes, and only softly

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

    # --- read-only blocks of the change page -----------------------------------------------

    @admin.display(description=_("detalle reportado"))
    def reported_detail(self, ticket):
        return format_html('<div class="readonly-text">{}</div>', ticket.detail)

    @admin.display(description=_("información agregada"))
    def clinic_additions(self, ticket):
        additions = ticket.additions.select_related("author")
        if not additions:
            return "—"
        return format_html_join(
            "",
            '<p><strong>{} · {}</strong></p><div class="readonly-text">{}</div>',
            (
                (
                    a.author.display_name,
                    timezone.localtime(a.created_at).strftime("%d-%m-%Y %H:%M"),
                    a.text,
                )
                for a in additions
            ),
        )

    @admin.display(description=_("tiempo de primera respuesta"))
    def first_response_time(self, ticket):
        return _duration(ticket.created_at, ticket.first_response_at)

    @admin.display(description=_("tiempo de resolución"))
    def resolution_time(self, ticket):
        return _duration(ticket.created_at, ticket.resolved_at)

    @admin.display(description=_("eventos"))
    def timeline(self, ticket):
        events = ticket.events.select_related("actor")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} · {} · {}{}</li>",
                (
                    (
                        timezone.localtime(e.created_at).strftime("%d-%m-%Y %H:%M"),
                        e.actor.display_name if e.actor else "—",
                        e.get_kind_display(),
                        _transition_text(e),
                    )
                    for e in events
                ),
            ),
        )

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

    def save_formset(self, request, form, formset, change):
        if formset.model not in (TicketResponse, TicketNote):
            return super().save_formset(request, form, formset, change)
        write = (
            services.ticket_respond if formset.model is TicketResponse else services.ticket_note_add
        )
        for inline_form in formset.extra_forms:
            text = inline_form.cleaned_data.get("text") if inline_form.has_changed() else None
            if not text:
                continue
            write(ticket=form.instance, author=request.user, text=text)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None

    def _refuse(self, request, error):
        # The admin saves the whole page in one transaction: refuse all of it.
        transaction.set_rollback(True)
        messages.error(
            request, _("No se guardó ningún cambio: %(error)s") % {"error": error.message}
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


def _duration(start, end):
    if not end:
        return "—"
    minutes = int((end - start).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return _("%(d)d d %(h)d h %(m)d min") % {"d": days, "h": hours, "m": minutes}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}


def _transition_text(event):
    if event.from_state and event.to_state and event.from_state != event.to_state:
        return f" · {event.get_from_state_display()} → {event.get_to_state_display()}"
    if event.description:
        return f" · {event.description}"
    return ""
