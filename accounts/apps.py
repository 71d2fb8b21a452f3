from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Cuentas"
    agent_permissions = {"clinic": ("view",)}  # accounts/agents.py

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from accounts.lockout import log_lockout
        from accounts.login_timing import note_failed_login

        user_login_failed.connect(note_failed_login, dispatch_uid="accounts.note_failed_login")
        user_locked_out.connect(log_lockout, dispatch_uid="accounts.log_lockout")
