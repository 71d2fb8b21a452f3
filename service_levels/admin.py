"""Objetivos de tiempo de respuesta, edited in place; a save recomputes open due times."""

from django.contrib import admin

from service_levels import services
from service_levels.models import ResponseTarget


@admin.register(ResponseTarget)
class ResponseTargetAdmin(admin.ModelAdmin):
    list_display = ["area", "first_response_hours", "resolution_hours", "updated_at"]
    list_editable = ["first_response_hours", "resolution_hours"]
    fields = ["area", "first_response_hours", "resolution_hours"]

    def get_readonly_fields(self, request, obj=None):
        # An area's row stays its area: the due times of its tickets were computed from it.
        return ["area"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False  # an area without a target is one whose row was never added

    def save_model(self, request, obj, form, change):
        # Both the change page and the list's editable columns save through here.
        services.response_target_save(
            target=obj,
            first_response_hours=obj.first_response_hours,
            resolution_hours=obj.resolution_hours,
            actor=request.user,
        )
