"""`geo.nearest_km`: the km from each point to the nearest of a set, as the whole distance
matrix's row minimum gives it, bit for bit (the roster's gap between the vote's posts and a
duty rests on it), whatever the points' spread: wide, in one narrow band of latitude, on one
meridian, repeated, fewer than its first guess takes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from siaga.core.data import geo

LAT = st.floats(-11.0, 6.0, allow_nan=False)
LON = st.floats(95.0, 141.0, allow_nan=False)
POINTS = st.lists(st.tuples(LAT, LON), min_size=1, max_size=80)


def row_minimum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return geo.distance_matrix_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]).min(axis=1)


def nearest(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return geo.nearest_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1])


@settings(deadline=None, max_examples=200)
@given(POINTS, POINTS)
def test_it_is_the_row_minimum_of_the_matrix(queries: list[tuple[float, float]], points: list[tuple[float, float]]):
    a, b = np.array(queries), np.array(points)
    assert np.array_equal(nearest(a, b), row_minimum(a, b))


def test_it_finds_the_nearest_far_off_in_longitude_when_latitudes_crowd() -> None:
    rng = np.random.default_rng(7)
    b = np.column_stack([rng.uniform(-7.001, -7.0, 3000), rng.uniform(110.0, 114.0, 3000)])
    a = np.column_stack([rng.uniform(-7.5, -6.5, 300), rng.uniform(110.0, 114.0, 300)])
    assert np.array_equal(nearest(a, b), row_minimum(a, b))


def test_it_measures_repeated_points_and_points_on_one_meridian() -> None:
    rng = np.random.default_rng(8)
    b = np.column_stack([rng.uniform(-8.0, -6.0, 500), np.full(500, 112.9)])
    b = np.vstack([b, b[:50]])  # the same points twice
    a = np.vstack([b[:40], np.column_stack([rng.uniform(-8.0, -6.0, 200), rng.uniform(112.0, 114.0, 200)])])
    found = nearest(a, b)
    assert np.array_equal(found, row_minimum(a, b))
    assert (found[:40] == 0.0).all()  # a point of the set is at 0 km from it
