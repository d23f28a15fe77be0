"""The goal chain (*målkedja*): the region's RUS goals, their sub-strategies and the projects
under them, followed up with a forecast per goal, a status, the projects' contributions and the
stryktips planning matrix.

- :mod:`utvardering.goals.forecast`: the linear trend forecast with prediction intervals.
- :mod:`utvardering.goals.analysis`: status per goal, peers, contributions, stryktips.
"""
