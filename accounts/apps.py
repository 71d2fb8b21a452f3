from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from accounts.login_timing import note_failed_login

        user_login_failed.connect(note_failed_login, dispatch_uid="accounts.note_failed_login")
        from accounts import signals  # noqa: F401 (connects the receivers)
        from vetsync_support import checks  # noqa: F401 (registers the deployment checks)
