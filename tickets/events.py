"""What the ticket core tells the features: one signal per change, sent by tickets/services.py.

The core imports no feature; a feature that must act on a ticket's change connects a receiver
to one of these in its AppConfig.ready() (pretix's plugin signals). Every signal is sent inside
the change's transaction, after the ticket's row is written and locked, with keyword arguments
only: a receiver's writes commit or roll back with the change, and a receiver that raises
refuses the change. Work that must wait for the commit (sending an e-mail) is queued by the
receiver with transaction.on_commit, as notifications/ does.

| signal | sent by | arguments | received by |
|---|---|---|---|
| ticket_creating | ticket_create, before INSERT | ticket (unsaved) | service_levels (due times) |
| ticket_created | ticket_create | ticket | notifications, reports |
| ticket_moved | ticket_transition | ticket, from_state, to_state | notifications, reports |
| ticket_responded | ticket_respond | ticket, response, first | notifications, reports |
| ticket_deleted | ticket_delete | ticket | reports |

``ticket_creating`` is the one signal sent before a row is written: its receivers may set the
ticket's due-time columns (first_response_due_at, resolution_due_at), which go in the INSERT,
and nothing else.
"""

from django.dispatch import Signal

ticket_creating = Signal()
ticket_created = Signal()
ticket_moved = Signal()
ticket_responded = Signal()
ticket_deleted = Signal()
