"""Distances on the earth. Travel is straight-line distance times a road factor; a road
network function can replace `road_km` later without the planner changing."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

EARTH_RADIUS_KM = 6371.0088
Points = Sequence[float] | Sequence[float | None] | np.ndarray


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def road_km(lat1: float, lon1: float, lat2: float, lon2: float, road_factor: float) -> float:
    return road_factor * haversine_km(lat1, lon1, lat2, lon2)


def travel_minutes(km: float, speed_kmh: float) -> float:
    return 60.0 * km / speed_kmh


def distance_matrix_km(lat1: Points, lon1: Points, lat2: Points, lon2: Points) -> np.ndarray:
    """Great-circle distances in km between every point of the first list (rows) and every
    point of the second (columns)."""
    p1 = np.radians(np.asarray(lat1, dtype=float))[:, None]
    p2 = np.radians(np.asarray(lat2, dtype=float))[None, :]
    dl = np.radians(np.asarray(lon2, dtype=float))[None, :] - np.radians(np.asarray(lon1, dtype=float))[:, None]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
