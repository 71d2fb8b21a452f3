"""What the ticket core tells the features: one signal per change, sent by tickets/services.py
(the table of senders and receivers: docs/ARCHITECTURE.md).

The core imports no feature; a feature connects a receiver in its AppConfig.ready() (pretix's
plugin signals). Every signal is sent inside the change's transaction, after the ticket's row is
written and locked, with keyword arguments only: a receiver's writes commit or roll back with the
change, and a receiver that raises refuses it. Work that must wait for the commit (an e-mail) is
queued by the receiver with transaction.on_commit.
"""

from django.dispatch import Signal

# ticket (unsaved, before its INSERT): receivers may set its due-time columns, and nothing else.
ticket_creating = Signal()
ticket_created = Signal()  # ticket
ticket_moved = Signal()  # ticket, from_state, to_state
ticket_responded = Signal()  # ticket, response, first (whether it is the first response)
ticket_deleted = Signal()  # ticket
