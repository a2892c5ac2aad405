"""Geodesic distances on the WGS-84 ellipsoid, vectorised with numpy.

Point to point: Vincenty's inverse formula, accurate to well under a millimetre. It
fails to converge only for nearly antipodal points, which cannot occur within one
sea area; such pairs keep the value of the last iteration.

Point to polyline: segments are straight lines in longitude/latitude, which is what
GeoJSON (RFC 7946, section 3.1.1) says a line between two positions is. For each
point the nearest point of every segment is found in a local equirectangular frame
centred on that point (affine in longitude/latitude, so segments stay straight),
and the reported distance is the least Vincenty distance among the segments that
the frame puts close enough to the nearest to be a tie: the frame's relative error
stays below (|tan lat| * theta + theta**2) / 2 for an angular distance theta
(measured 0.2 times that over 10-30°N, up to 5°), so that is the margin used. The
result is a true distance to a point of the polyline, so it never undershoots the
true minimum; near 20°N it overshoots it by less than 0.01 % up to 300 nm, as
checked against brute force in tests/test_geofence.py.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

A_M = 6378137.0
FLATTENING = 1 / 298.257223563
B_M = A_M * (1 - FLATTENING)
E2 = FLATTENING * (2 - FLATTENING)
METRES_PER_NM = 1852.0

_MAX_ITERATIONS = 50
_CONVERGED_RAD = 1e-12
_CHUNK_ELEMENTS = 32_768  # small chunks stay in the allocator's reused memory: faster


def distance_m(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> np.ndarray:
    """Ellipsoidal distance in metres between broadcastable arrays of points (degrees)."""
    lat1, lon1, lat2, lon2 = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (lat1, lon1, lat2, lon2)))
    big_l = np.radians(lon2 - lon1)
    u1 = np.arctan((1 - FLATTENING) * np.tan(np.radians(lat1)))
    u2 = np.arctan((1 - FLATTENING) * np.tan(np.radians(lat2)))
    sin_u1, cos_u1, sin_u2, cos_u2 = np.sin(u1), np.cos(u1), np.sin(u2), np.cos(u2)
    lam = big_l
    with np.errstate(invalid="ignore", divide="ignore"):
        for _ in range(_MAX_ITERATIONS):
            sin_lam, cos_lam = np.sin(lam), np.cos(lam)
            sin_sigma = np.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
            cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
            sigma = np.arctan2(sin_sigma, cos_sigma)
            sin_alpha = np.where(sin_sigma == 0, 0.0, cos_u1 * cos_u2 * sin_lam / sin_sigma)
            cos2_alpha = 1 - sin_alpha**2
            cos_2sm = np.where(cos2_alpha == 0, 0.0, cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha)
            c = FLATTENING / 16 * cos2_alpha * (4 + FLATTENING * (4 - 3 * cos2_alpha))
            previous = lam
            lam = big_l + (1 - c) * FLATTENING * sin_alpha * (
                sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (2 * cos_2sm**2 - 1))
            )
            if np.all(np.abs(lam - previous) < _CONVERGED_RAD):
                break
    u_sq = cos2_alpha * (A_M**2 - B_M**2) / B_M**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta_sigma = big_b * sin_sigma * (
        cos_2sm
        + big_b
        / 4
        * (
            cos_sigma * (2 * cos_2sm**2 - 1)
            - big_b / 6 * cos_2sm * (4 * sin_sigma**2 - 3) * (4 * cos_2sm**2 - 3)
        )
    )
    return B_M * big_a * (sigma - delta_sigma)


def distance_nm(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> np.ndarray:
    """Ellipsoidal distance in nautical miles (see `distance_m`)."""
    return distance_m(lat1, lon1, lat2, lon2) / METRES_PER_NM


def metres_per_degree(lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Local scale at latitude `lat`: metres per degree of longitude and of latitude."""
    phi = np.radians(np.asarray(lat, dtype=float))
    w = np.sqrt(1 - E2 * np.sin(phi) ** 2)
    prime_vertical = A_M / w
    meridional = A_M * (1 - E2) / w**3
    return np.radians(prime_vertical * np.cos(phi)), np.radians(meridional)


def distance_to_segments_nm(lat: ArrayLike, lon: ArrayLike, segments: np.ndarray) -> np.ndarray:
    """Geodesic distance in nautical miles from each point to the nearest segment (see module doc).

    `segments` has shape (S, 4): lon1, lat1, lon2, lat2 in degrees, S >= 1.
    """
    lat = np.atleast_1d(np.asarray(lat, dtype=float))
    lon = np.atleast_1d(np.asarray(lon, dtype=float))
    step = max(1, _CHUNK_ELEMENTS // len(segments))
    parts = [_distance_chunk(lat[i : i + step], lon[i : i + step], segments) for i in range(0, len(lat), step)]
    return np.concatenate(parts) if parts else np.empty(0)


def _distance_chunk(lat: np.ndarray, lon: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """`distance_to_segments_nm` for one chunk of points, through (N, S) arrays."""
    lon1, lat1, lon2, lat2 = (segments[:, k] for k in range(4))
    kx, ky = metres_per_degree(lat[:, None])
    ax = (lon1 - lon[:, None]) * kx
    ay = (lat1 - lat[:, None]) * ky
    dx = (lon2 - lon1) * kx
    dy = (lat2 - lat1) * ky
    length2 = dx * dx + dy * dy
    t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    local2 = (ax + t * dx) ** 2 + (ay + t * dy) ** 2
    nearest2 = local2.min(axis=1, keepdims=True)
    theta = np.sqrt(nearest2) / A_M
    margin = np.abs(np.tan(np.radians(lat[:, None]))) * theta + theta**2
    rows, cols = np.nonzero(local2 <= nearest2 * (1 + margin) ** 2)
    tc = t[rows, cols]
    foot_lat = lat1[cols] + tc * (lat2[cols] - lat1[cols])
    foot_lon = lon1[cols] + tc * (lon2[cols] - lon1[cols])
    distances = distance_nm(lat[rows], lon[rows], foot_lat, foot_lon)
    return np.minimum.reduceat(distances, np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]]))
