"""Counts of the access-matrix run, printed at the end of the session (see conftest.py)."""

STATS = {
    "cells": 0,
    "unexpected_200": 0,
    "unexpected_200_known": 0,
    "failed": 0,
    "failed_known": 0,
    "skipped": {},
}
