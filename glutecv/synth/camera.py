"""Pinhole camera: where it stands for each named view, and projection to pixels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecv.errors import GlutecvError

VIEWS = ("side", "front", "back", "oblique", "above")
VERTICAL_FOV_DEG = 45.0


@dataclass(frozen=True)
class Camera:
    """A camera at ``position`` looking at ``target`` (world metres), image ``width``x``height``
    pixels, vertical field of view :data:`VERTICAL_FOV_DEG`."""

    position: np.ndarray
    target: np.ndarray
    width: int
    height: int

    @property
    def rotation(self) -> np.ndarray:
        """World-to-camera rotation (rows: camera right, down, forward)."""
        fwd = self.target - self.position
        fwd = fwd / np.linalg.norm(fwd)
        up = np.array([0.0, 1.0, 0.0])
        if abs(np.dot(fwd, up)) > 0.999:
            up = np.array([1.0, 0.0, 0.0])
        right = np.cross(fwd, up)
        right /= np.linalg.norm(right)
        down = np.cross(fwd, right)
        return np.stack([right, down, fwd])

    @property
    def focal(self) -> float:
        """Focal length in pixels."""
        return 0.5 * self.height / np.tan(np.radians(VERTICAL_FOV_DEG) / 2)

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) in camera coordinates (x right, y down, z forward)."""
        return (np.asarray(points) - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (..., 2) and depths (...,) of world points."""
        c = self.to_camera(points)
        z = c[..., 2]
        safe = np.where(np.abs(z) < 1e-9, 1e-9, z)
        xy = np.stack([self.focal * c[..., 0] / safe + self.width / 2,
                       self.focal * c[..., 1] / safe + self.height / 2], axis=-1)
        return xy, z

    def to_dict(self) -> dict:
        return {"position_m": self.position.tolist(), "target_m": self.target.tolist(),
                "width": self.width, "height": self.height, "focal_px": self.focal,
                "vertical_fov_deg": VERTICAL_FOV_DEG}


def view_direction(view: str, front_axis: np.ndarray, working_lateral: np.ndarray,
                   front_elevation: float, oblique_front: float = 1.0) -> np.ndarray:
    """Unit vector from the body towards the camera for a named view.

    ``oblique_front`` weighs the front direction against the side one in the oblique view
    (1 = halfway between them)."""
    if view not in VIEWS:
        raise GlutecvError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    f = np.asarray(front_axis, float)
    f /= np.linalg.norm(f)
    s = np.asarray(working_lateral, float)
    s /= np.linalg.norm(s)
    up = np.array([0.0, 1.0, 0.0])
    horizontal, elevation = {
        "front": (f, front_elevation),
        "back": (-f, 12.0),
        "side": (s, 12.0),
        "oblique": (oblique_front * f + s, 20.0 if oblique_front >= 1 else 25.0),
        "above": (0.35 * f + 0.2 * s, 62.0),
    }[view]
    horizontal = horizontal / np.linalg.norm(horizontal)
    e = np.radians(elevation)
    return np.cos(e) * horizontal + np.sin(e) * up


def frame_camera(points: np.ndarray, direction: np.ndarray, width: int, height: int,
                 distance: float | None = None, fill: float = 0.78) -> Camera:
    """A camera along ``direction`` that keeps every point (N, 3) inside the frame.

    With ``distance`` None the distance is chosen so the points span ``fill`` of the frame;
    the camera always aims at the middle of the points' bounding box.
    """
    lo, hi = points.min(axis=0), points.max(axis=0)
    target = 0.5 * (lo + hi)
    d = float(distance) if distance else 3.0
    for _ in range(4 if distance is None else 1):
        cam = Camera(target + d * direction, target, width, height)
        xy, z = cam.project(points)
        if distance is not None:
            break
        span = max(np.ptp(xy[:, 0]) / width, np.ptp(xy[:, 1]) / height)
        d *= span / fill
    cam = Camera(target + d * direction, target, width, height)
    # Re-centre the points in the image (the bounding-box centre projects off-centre).
    xy, _ = cam.project(points)
    shift = (0.5 * (xy.min(axis=0) + xy.max(axis=0)) - [width / 2, height / 2]) / cam.focal * d
    r = cam.rotation
    offset = r[0] * shift[0] + r[1] * shift[1]
    return Camera(cam.position + offset, cam.target + offset, width, height)
