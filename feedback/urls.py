from django.urls import re_path

from feedback import views
from tickets.urls import CODE

app_name = "feedback"

urlpatterns = [
    re_path(rf"^{CODE}/se-resolvio$", views.feedback_answer, name="answer"),
]
