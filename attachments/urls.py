from django.urls import re_path

from attachments import views
from tickets.codes import CODE_PATTERN

app_name = "attachments"

CODE = rf"(?P<code>{CODE_PATTERN})"

urlpatterns = [
    re_path(rf"^{CODE}/archivos/(?P<pk>[0-9]{{1,18}})$", views.download, name="download")
]
