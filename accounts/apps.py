from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"

    def ready(self):
        from accounts import signals  # noqa: F401 (connects the receivers)
        from vetsync_support import checks  # noqa: F401 (registers the deployment checks)
