"""Django's own MySQL backend, with PyMySQL standing in for mysqlclient (`MySQLdb`).

PyMySQL implements the same DB-API; `install_as_MySQLdb()` makes `import MySQLdb`, which
Django's backend does, find it. The wrapper adds only what DATABASE_URL needs: its TLS
parameters (`?ssl_check_hostname=false`, `?ssl_ca=/path`) become PyMySQL's `ssl` options.
"""

from typing import Any

import pymysql

pymysql.install_as_MySQLdb()

from django.db.backends.mysql import base  # noqa: E402 (needs MySQLdb installed first)

SSL_OPTIONS = ("ssl_ca", "ssl_capath", "ssl_cert", "ssl_key", "ssl_cipher", "ssl_check_hostname")


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        given = [name for name in SSL_OPTIONS if name in params]
        ssl = {name.removeprefix("ssl_"): params.pop(name) for name in given}
        if "check_hostname" in ssl:
            ssl["check_hostname"] = str(ssl["check_hostname"]).lower() in ("1", "true", "yes")
        if ssl:
            params["ssl"] = ssl
        return params
