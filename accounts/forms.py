"""The login form: the guide's three fields (RUT clínica, RUT usuario, Password)."""

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.ruts import MAX_RUT_INPUT_LENGTH, InvalidRut, normalize_rut

MAX_PASSWORD_LENGTH = 1024

INVALID_LOGIN = _(
    "Los datos ingresados no son correctos. Revise que el RUT de la clínica y el RUT del "
    "usuario estén correctos y use la misma contraseña actual de VetSync."
)
INACTIVE_ACCOUNT = _(
    "El usuario o la clínica está inactivo en VetSync. Debe pedir apoyo al administrador "
    "de la clínica."
)
INVALID_RUT = _("Ingrese un RUT válido, por ejemplo 76.123.456-0.")


class RutField(forms.CharField):
    def __init__(self, **kwargs):
        messages = {"required": _("Ingrese el RUT."), "max_length": INVALID_RUT}
        super().__init__(max_length=MAX_RUT_INPUT_LENGTH, error_messages=messages, **kwargs)
        self.widget.attrs.update(autocomplete="off", inputmode="text", spellcheck="false")

    def clean(self, value):
        value = super().clean(value)
        try:
            return normalize_rut(value)
        except InvalidRut:
            raise forms.ValidationError(INVALID_RUT, code="invalid") from None


class LoginForm(forms.Form):
    clinic_rut = RutField(label=_("RUT clínica"), help_text=_("Ejemplo: 76.123.456-0"))
    user_rut = RutField(label=_("RUT usuario"), help_text=_("Ejemplo: 12.345.678-5"))
    password = forms.CharField(
        # The guide names this field "Password"; the context keeps Django's own catalogue
        # from turning it into "Contraseña".
        label=pgettext_lazy("VetSync login field", "Password"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": _("Ingrese su contraseña actual de VetSync."),
            "max_length": _("La contraseña es demasiado larga."),
        },
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user_cache = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.user_cache = authenticate(self.request, **cleaned)
        if self.user_cache is None:
            if getattr(self.request, "vetsync_inactive", False):
                raise forms.ValidationError(INACTIVE_ACCOUNT, code="inactive")
            raise forms.ValidationError(INVALID_LOGIN, code="invalid_login")
        return cleaned

    def get_user(self):
        return self.user_cache
