"""Django's MySQL backend on PyMySQL, a pure-Python driver (see the README).

`DATABASES["default"]["ENGINE"]` names this package for `mysql://` and `mariadb://` URLs.
"""
