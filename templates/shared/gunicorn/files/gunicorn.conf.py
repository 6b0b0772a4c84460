"""gunicorn's settings, read from the working directory (`make run` and the image start there).

Each setting is one gunicorn documents; the command line or `GUNICORN_CMD_ARGS` overrides
any of them for one run.
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: each serves one request at a time, so the app's blocking database
# calls are safe. Raise WEB_CONCURRENCY to serve more requests at once.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Access lines go to stdout through the app's JSON log handler (see logging.py).
accesslog = "-"
# On SIGTERM, workers finish the requests they hold for up to this many seconds.
graceful_timeout = 20
# A worker whose request blocks longer than this is restarted.
timeout = 30
