"""``field__ilike_contains=text``: a case-insensitive "contains" that PostgreSQL answers from a
trigram index (``ILIKE``), where Django's ``icontains`` (``UPPER(x) LIKE UPPER(y)``) cannot."""

from django.db.models import CharField, Lookup, TextField


class ILikeContains(Lookup):
    lookup_name = "ilike_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        pattern = f"%{connection.ops.prep_for_like_query(rhs_params[0])}%"
        if connection.vendor == "postgresql":
            return f"{lhs} ILIKE {rhs}", [*lhs_params, pattern]
        # SQLite's LIKE already ignores the case of ASCII letters, as Django's icontains does.
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, pattern]


TextField.register_lookup(ILikeContains)
CharField.register_lookup(ILikeContains)
