"""The views and SQL functions that migrations create (alembic_utils)."""

from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_view import PGView

email_domain = PGFunction(
    schema="public",
    signature="email_domain(email text)",
    definition=(
        "RETURNS text LANGUAGE sql IMMUTABLE"
        " AS $$ SELECT split_part(email, '@', 2) $$"
    ),
)

account_domain = PGView(
    schema="public",
    signature="account_domain",
    definition="SELECT id, email_domain(email) AS domain FROM account",
)

ENTITIES = [email_domain, account_domain]
