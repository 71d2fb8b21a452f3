"""Respuestas predefinidas in the agents' desk: written here, with how often each was used."""

from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models

from canned_answers.models import CannedAnswer


@admin.register(CannedAnswer)
class CannedAnswerAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "is_active", "times_used", "updated_at"]
    list_filter = ["is_active", "area"]
    search_fields = ["title", "text"]
    ordering = ["title", "id"]
    list_per_page = 50
    fields = ["title", "area", "text", "is_active", "times_used", "created_at", "updated_at"]
    readonly_fields = ["times_used", "created_at", "updated_at"]
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 8})}}

    def get_fields(self, request, obj=None):
        # A new answer has no dates and no uses to show yet.
        return self.fields if obj is not None else ["title", "area", "text", "is_active"]
