"""The root of Sentinella's named exceptions.

Every error a user can cause (bad input, a refused act, a deadline missed) derives from
``SentinellaError``; the CLI and the web console show its message, never a traceback.
"""


class SentinellaError(Exception):
    """Something a user asked for cannot be done; the message says what and why."""
