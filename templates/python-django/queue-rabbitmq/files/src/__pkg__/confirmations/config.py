"""The queue's settings, read from the environment; settings.py imports them."""

import environ

env = environ.Env()

# Unset: no broker, and the app runs the job itself in a background thread.
AMQP_URL = env.str("AMQP_URL", default="")
