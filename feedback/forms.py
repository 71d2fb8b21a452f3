"""The answer to "¿Se resolvió su problema?": which button, and an optional comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import COMMENT_MAX_LENGTH

YES, NO = "si", "no"
CHOOSE = _("Elija «Sí, quedó resuelto» o «No, sigue el problema».")


class FeedbackForm(forms.Form):
    solved = forms.ChoiceField(
        choices=[(YES, _("Sí, quedó resuelto")), (NO, _("No, sigue el problema"))],
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    comment = forms.CharField(
        label=_("Comentario (opcional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "El comentario no puede superar los %(limit_value)s caracteres "
                "(tiene %(show_value)s)."
            )
        },
    )

    def clean_solved(self) -> bool:
        return self.cleaned_data["solved"] == YES
