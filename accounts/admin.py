"""Agents manage their own staff accounts here; VetSync's data is never exposed."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Clinic, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "clinic", "is_staff", "is_active")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("username", "full_name", "email", "rut", "clinic__name", "clinic__rut")
    list_select_related = ("clinic",)
    readonly_fields = ("clinic", "vetsync_id", "rut", "full_name", "last_login", "date_joined")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("VetSync", {"fields": ("clinic", "vetsync_id", "rut", "full_name")}),
    )


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ("name", "rut", "vetsync_id", "synced_at")
    search_fields = ("name", "rut")
    readonly_fields = ("vetsync_id", "rut", "name", "synced_at")

    def has_add_permission(self, request, obj=None):
        return False

    has_delete_permission = has_add_permission
