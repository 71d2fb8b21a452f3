"""Objetivos de tiempo de respuesta in the agents' desk: one row per area, edited in place."""

from django.contrib import admin

from service_levels.models import ResponseTarget


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["area", "first_response_hours", "resolution_hours", "updated_at"]
    list_editable = ["first_response_hours", "resolution_hours"]
    fields = ["area", "first_response_hours", "resolution_hours"]
