"""Lockouts are logged like every other refused login."""

import logging

from axes.signals import user_locked_out
from django.dispatch import receiver

from vetsync_support.logging import log_event

logger = logging.getLogger("vetsync.auth")


@receiver(user_locked_out)
def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    log_event(logger, "login.locked_out", level=logging.WARNING, account=username, ip=ip_address)
