"""The region summary (*sammanfattning*): one region's key results across its reports.

The summary reads the region's result files of a run (:mod:`utvardering.summary.facts`), never
recomputes the reports, and joins them into key figures, findings against the peers and the
country, and recommendations (:mod:`utvardering.summary.rules`).
"""
