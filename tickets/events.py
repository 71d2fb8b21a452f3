"""What the ticket core tells the features (docs/ARCHITECTURE.md): one signal per change, sent
by tickets/services.py inside the change's transaction, after the ticket's row is written and
locked, with keyword arguments only. A receiver's writes commit or roll back with the change, and
a receiver that raises refuses it; work that must wait for the commit (an e-mail) is queued by
the receiver with transaction.on_commit."""

from django.dispatch import Signal

# ticket (unsaved, before its INSERT): receivers may set its due-time columns, and nothing else.
ticket_creating = Signal()
ticket_created = Signal()  # ticket
ticket_moved = Signal()  # ticket, from_state, to_state
ticket_responded = Signal()  # ticket, response, first (whether it is the first response)
ticket_deleted = Signal()  # ticket
