"""Lockouts are logged like every other refused login (connected in AccountsConfig.ready)."""

import logging

from vetsync_support.logging import log_event

logger = logging.getLogger("vetsync.auth")


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    log_event(logger, "login.locked_out", level=logging.WARNING, account=username, ip=ip_address)
