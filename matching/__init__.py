"""ScienceBridge matching engine: expertise affinity, conflict-of-interest rules and reviewer assignment.

Framework-free: depends on NumPy/SciPy (and optional text models), never on Django.
Django code calls it through plain arrays and dataclasses.
"""
