from django.urls import path, re_path

from portal import views
from tickets.codes import CODE_PATTERN

# The clinics' ticket pages keep the name "tickets" in their routes ("tickets:detail").
app_name = "tickets"

CODE = rf"(?P<code>{CODE_PATTERN})"

urlpatterns = [
    path("", views.history, name="history"),
    path("descargar", views.history_export, name="export"),
    path("nuevo", views.ticket_create, name="create"),
    path("parecidos", views.similar_tickets, name="similar"),
    re_path(rf"^{CODE}$", views.ticket_detail, name="detail"),
    re_path(rf"^{CODE}/eliminar$", views.ticket_delete, name="delete"),
    re_path(rf"^{CODE}/informacion$", views.ticket_add_information, name="add-information"),
    re_path(rf"^{CODE}/se-resolvio$", views.feedback_answer, name="feedback"),
]
