"""The triggers that keep tickets_ticketcount (TicketCount, tickets/models.py) equal to the
tickets of each clinic, area and state. Installed by migration 0007, per database engine.

A ticket counts while ``deleted_at`` is NULL. An update that moves a ticket between two
counts touches them in a fixed order (by area, then state), so two transactions moving
tickets of one clinic in opposite directions cannot deadlock on PostgreSQL.
"""

_CHANGED = (
    "OLD.clinic_id IS DISTINCT FROM NEW.clinic_id OR OLD.area IS DISTINCT FROM NEW.area "
    "OR OLD.state IS DISTINCT FROM NEW.state "
    "OR (OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL)"
)

POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION tickets_ticketcount_add(
        p_clinic bigint, p_area varchar, p_state varchar, p_delta integer
    ) RETURNS void LANGUAGE sql AS $$
        INSERT INTO tickets_ticketcount (clinic_id, area, state, count)
        VALUES (p_clinic, p_area, p_state, p_delta)
        ON CONFLICT (clinic_id, area, state)
        DO UPDATE SET count = tickets_ticketcount.count + EXCLUDED.count
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION tickets_ticket_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        old_counts boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.deleted_at IS NULL;
        new_counts boolean := TG_OP IN ('INSERT', 'UPDATE') AND NEW.deleted_at IS NULL;
    BEGIN
        IF old_counts AND new_counts
           AND (OLD.clinic_id, OLD.area, OLD.state) > (NEW.clinic_id, NEW.area, NEW.state) THEN
            PERFORM tickets_ticketcount_add(NEW.clinic_id, NEW.area, NEW.state, 1);
            PERFORM tickets_ticketcount_add(OLD.clinic_id, OLD.area, OLD.state, -1);
            RETURN NULL;
        END IF;
        IF old_counts THEN
            PERFORM tickets_ticketcount_add(OLD.clinic_id, OLD.area, OLD.state, -1);
        END IF;
        IF new_counts THEN
            PERFORM tickets_ticketcount_add(NEW.clinic_id, NEW.area, NEW.state, 1);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER ticket_counts_insert_delete AFTER INSERT OR DELETE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_counts()
    """,
    f"""
    CREATE TRIGGER ticket_counts_update
    AFTER UPDATE OF clinic_id, area, state, deleted_at ON tickets_ticket
    FOR EACH ROW WHEN ({_CHANGED}) EXECUTE FUNCTION tickets_ticket_counts()
    """,
]

POSTGRESQL_UNINSTALL = [
    "DROP TRIGGER IF EXISTS ticket_counts_update ON tickets_ticket",
    "DROP TRIGGER IF EXISTS ticket_counts_insert_delete ON tickets_ticket",
    "DROP FUNCTION IF EXISTS tickets_ticket_counts()",
    "DROP FUNCTION IF EXISTS tickets_ticketcount_add(bigint, varchar, varchar, integer)",
]


_SQLITE_ADD_NEW = (
    "INSERT INTO tickets_ticketcount (clinic_id, area, state, count) "
    "VALUES (NEW.clinic_id, NEW.area, NEW.state, 1) "
    "ON CONFLICT (clinic_id, area, state) DO UPDATE SET count = count + 1;"
)
_SQLITE_SUBTRACT_OLD = (
    "INSERT INTO tickets_ticketcount (clinic_id, area, state, count) "
    "VALUES (OLD.clinic_id, OLD.area, OLD.state, -1) "
    "ON CONFLICT (clinic_id, area, state) DO UPDATE SET count = count - 1;"
)
_SQLITE_CHANGED = _CHANGED.replace("IS DISTINCT FROM", "IS NOT")
_SQLITE_UPDATE = "AFTER UPDATE OF clinic_id, area, state, deleted_at ON tickets_ticket"

SQLITE_INSTALL = [
    "CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets_ticket "
    "WHEN NEW.deleted_at IS NULL BEGIN " + _SQLITE_ADD_NEW + " END",
    "CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets_ticket "
    "WHEN OLD.deleted_at IS NULL BEGIN " + _SQLITE_SUBTRACT_OLD + " END",
    "CREATE TRIGGER ticket_counts_update_old " + _SQLITE_UPDATE + " "
    "WHEN OLD.deleted_at IS NULL AND (" + _SQLITE_CHANGED + ") "
    "BEGIN " + _SQLITE_SUBTRACT_OLD + " END",
    "CREATE TRIGGER ticket_counts_update_new " + _SQLITE_UPDATE + " "
    "WHEN NEW.deleted_at IS NULL AND (" + _SQLITE_CHANGED + ") "
    "BEGIN " + _SQLITE_ADD_NEW + " END",
]

SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "ticket_counts_insert",
        "ticket_counts_delete",
        "ticket_counts_update_old",
        "ticket_counts_update_new",
    )
]

# Counts every visible ticket again: after installing the triggers, or after a bulk load
# that ran with them disabled (bench/load_data.py).
REBUILD = [
    "DELETE FROM tickets_ticketcount",
    """
    INSERT INTO tickets_ticketcount (clinic_id, area, state, count)
    SELECT clinic_id, area, state, COUNT(*) FROM tickets_ticket
    WHERE deleted_at IS NULL GROUP BY clinic_id, area, state
    """,
]


def statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL + REBUILD if install else POSTGRESQL_UNINSTALL
    if vendor == "sqlite":
        return SQLITE_INSTALL + REBUILD if install else SQLITE_UNINSTALL
    raise NotImplementedError(f"ticket count triggers for {vendor}")
