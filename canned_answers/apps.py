from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CannedAnswersConfig(AppConfig):
    name = "canned_answers"
    verbose_name = _("Respuestas predefinidas")
    agent_permissions = {"cannedanswer": ("view", "add", "change", "delete")}  # accounts/agents.py
