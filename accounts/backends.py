"""The authentication backends: Django's and allauth's, loading the logged-in person faster.

Every logged-in request loads its person (`get_user`, by the id in the session). Through the ORM,
that is `User.objects.get(pk=…)`, and Django compiles the same 31-column SELECT afresh each time:
compiling and building the instance cost about as much as the round trip to PostgreSQL, and more
than any cached page's own work (`make bench` shows a logged-in page of fixed text beside the
dashboard and the roster). Here the statement is compiled once per process, and each request
runs it and turns the row into a User as the ORM does (its fields' converters, `Model.from_db`).

Logging in is unchanged: these classes only replace `get_user`. Sessions name the backend that
logged them in, and Django logs out a session whose backend is no longer listed, so
accounts.middleware.session_backend_renamed gives a session from before its new name.
"""

from functools import cache

from allauth.account import auth_backends
from django.contrib.auth import backends
from django.db import DEFAULT_DB_ALIAS, connections

from accounts.models import User


@cache
def _user_by_pk_statement() -> tuple[str, dict, list[str]]:
    """The SQL of `User.objects.filter(pk=…)` with one parameter (the id), the converters of its
    columns (JSON fields; on SQLite, dates and times: `{index: (functions, column)}`), and the
    fields' names in the columns' order. Worked out at the process's first logged-in request."""
    compiler = User.objects.filter(pk=0).query.get_compiler(DEFAULT_DB_ALIAS)
    sql, _ = compiler.as_sql()
    converters = compiler.get_converters([column for column, _, _ in compiler.select])
    return sql, converters, [field.attname for field in User._meta.concrete_fields]


def user_by_pk(pk) -> User | None:
    """`User.objects.get(pk=pk)`, or None: the same instance, without compiling the query."""
    sql, converters, field_names = _user_by_pk_statement()
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(sql, [User._meta.pk.to_python(pk)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, (functions, column) in converters.items():
        for function in functions:
            values[index] = function(values[index], column, connection)
    return User.from_db(DEFAULT_DB_ALIAS, field_names, values)


class _FastGetUser:
    def get_user(self, user_id):
        user = user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_FastGetUser, backends.ModelBackend):
    """Django's ModelBackend (log in with email and password), loading the user faster."""


class AuthenticationBackend(_FastGetUser, auth_backends.AuthenticationBackend):
    """allauth's backend, loading the user faster."""
