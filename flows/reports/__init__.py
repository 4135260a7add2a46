"""Monitoring reports (rulebook §8): the consumer associations' report and the compliance report.

``queries_*`` hold the set-based SQL, ``association`` / ``compliance`` assemble the figures,
``charts`` draws the monthly trends, ``render`` / ``render_compliance`` write PDF, HTML, CSV and
JSON, ``flow`` is the Prefect flow ``monitoring-report``. Aggregates only: no personal data.
"""
