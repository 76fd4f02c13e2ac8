"""Placing a kinematic body in a room and filming it with a pinhole camera -> PoseSequence.

World frame: X, Y = UP, Z; right-handed, metres, floor at Y = 0. A body orientation maps the
body frame (x left, y superior, z anterior; see :mod:`glutecv.kinematics.body`) to the world:

* ``standing``: faces +Z, head up;
* ``supine``: lying on the back, head toward -Z, feet toward +Z, face up;
* ``side_lying``: on the RIGHT side (left side up), head toward -Z, facing -X;
  ``side_lying_left``: on the left side (right side up), facing +X;
* ``quadruped`` (also prone): face down, head toward -Z.

Camera presets (:func:`camera_for`) name where the camera stands relative to the body:
``front`` (standing: in front; supine: at the feet, raised; side-lying: in front of the belly;
quadruped: at the head), ``back``, ``side_left`` / ``side_right`` (``side`` = ``side_left``),
``oblique`` (between front and the left side), ``oblique_right``, ``above``. A view whose
direction is vertical for the orientation (``side_left`` of a side-lying body points at the
ceiling) becomes a camera overhead. Every camera is raised ``elevation_deg`` and level (no roll).
Image landmarks follow BlazePose: x right, y down in pixels, z = depth relative to the hips in
pixel scale; world landmarks are metres in camera axes (x right, y down, z away) around the
mid-hip, like BlazePose's world landmarks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecv.landmarks import Landmark
from glutecv.pose.types import PoseSequence

_ORIENT = {  # columns = world images of body x (left), y (superior), z (anterior)
    "standing": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "supine": ((1, 0, 0), (0, 0, -1), (0, 1, 0)),
    "side_lying": ((0, 1, 0), (0, 0, -1), (-1, 0, 0)),
    "side_lying_left": ((0, -1, 0), (0, 0, -1), (1, 0, 0)),
    "quadruped": ((-1, 0, 0), (0, 0, -1), (0, -1, 0)),
}
_ORIENT["prone"] = _ORIENT["quadruped"]

_VIEW_DIRS = {  # camera direction from the body in BODY axes, per orientation
    "standing": {"front": (0, 0, 1), "back": (0, 0, -1)},
    "supine": {"front": (0, -1, 0), "back": (0, 1, 0)},
    "side_lying": {"front": (0, 0, 1), "back": (0, 0, -1)},
    "quadruped": {"front": (0, 1, 0), "back": (0, -1, 0)},
}


def orientation_matrix(orientation: str) -> np.ndarray:
    """3x3 matrix taking body-frame vectors to world vectors."""
    try:
        m = np.array(_ORIENT[orientation], dtype=float).T
    except KeyError:
        raise ValueError(f"unknown orientation {orientation!r}; known: {sorted(_ORIENT)}") from None
    return m


@dataclass(frozen=True)
class Camera:
    """A pinhole camera at ``position`` looking at ``target`` (world metres), level roll."""

    position: tuple[float, float, float]
    target: tuple[float, float, float]
    width: int = 1280
    height: int = 720
    focal_px: float = 1100.0   # ~60 deg horizontal field of view at 1280 px

    def axes(self) -> np.ndarray:
        """Rows: camera right, down, forward (world vectors)."""
        f = np.subtract(self.target, self.position).astype(float)
        f /= np.linalg.norm(f)
        up = np.array([0.0, 1.0, 0.0])
        r = np.cross(f, up)
        if np.linalg.norm(r) < 1e-6:  # looking straight down/up: pick image-up = world -Z
            r = np.cross(f, np.array([0.0, 0.0, -1.0]))
        r /= np.linalg.norm(r)
        d = np.cross(f, r)
        return np.stack([r, d, f])

    def project(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) -> (..., 3): pixel x, pixel y, camera depth (metres)."""
        cam = (np.asarray(points, dtype=float) - np.asarray(self.position)) @ self.axes().T
        depth = cam[..., 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            x = self.width / 2 + self.focal_px * cam[..., 0] / depth
            y = self.height / 2 + self.focal_px * cam[..., 1] / depth
        return np.stack([x, y, depth], axis=-1)


def camera_for(view: str, orientation: str, target: np.ndarray | tuple[float, ...],
               distance: float = 3.0, elevation_deg: float = 10.0, width: int = 1280,
               height: int = 720, focal_px: float = 1100.0) -> Camera:
    """A camera preset (see the module doc) ``distance`` m from ``target``, raised by
    ``elevation_deg`` above the horizontal."""
    base = orientation.replace("_left", "") if orientation != "side_lying_left" else "side_lying"
    base = "quadruped" if base == "prone" else base
    dirs = dict(_VIEW_DIRS[base])
    dirs.update(side_left=(1, 0, 0), side_right=(-1, 0, 0), side=(1, 0, 0))
    front = np.array(dirs["front"], dtype=float)
    dirs["oblique"] = tuple((front + np.array([1.0, 0, 0])) / np.sqrt(2))
    dirs["oblique_right"] = tuple((front + np.array([-1.0, 0, 0])) / np.sqrt(2))
    if view == "above":
        world_dir = np.array([0.0, 1.0, 0.0])
    else:
        if view not in dirs:
            raise ValueError(f"unknown camera view {view!r}; known: {sorted(dirs)} + above")
        world_dir = orientation_matrix(orientation) @ np.array(dirs[view], dtype=float)
        world_dir[1] = 0.0
        norm = np.linalg.norm(world_dir)
        if norm < 1e-6:  # the view direction is vertical for this orientation: film from above
            world_dir = np.array([0.0, 1.0, 0.0])
        else:
            el = np.radians(elevation_deg)
            world_dir = np.cos(el) * world_dir / norm + np.array([0.0, np.sin(el), 0.0])
    pos = np.asarray(target, dtype=float) + distance * world_dir
    return Camera(tuple(pos), tuple(np.asarray(target, dtype=float)), width, height, focal_px)


def film(world_points: np.ndarray, t_s: np.ndarray, camera: Camera,
         near_visibility: float = 0.99, far_visibility: float = 0.9,
         meta: dict | None = None) -> PoseSequence:
    """Project world landmark positions (N, 33, 3) into a :class:`PoseSequence`.

    Landmarks farther from the camera than the mid-hip by more than 5 cm get
    ``far_visibility`` (self-occlusion), others ``near_visibility``; presence is 0.99.
    """
    pts = np.asarray(world_points, dtype=float)
    proj = camera.project(pts)
    mid = (pts[:, Landmark.LEFT_HIP] + pts[:, Landmark.RIGHT_HIP]) / 2
    mid_depth = camera.project(mid)[:, 2]
    image = np.empty_like(pts)
    image[..., :2] = proj[..., :2]
    image[..., 2] = (proj[..., 2] - mid_depth[:, None]) * camera.focal_px / mid_depth[:, None]
    world = (pts - mid[:, None, :]) @ camera.axes().T
    rel_depth = proj[..., 2] - mid_depth[:, None]
    vis = np.where(rel_depth > 0.05, far_visibility, near_visibility)
    n = len(pts)
    return PoseSequence(np.asarray(t_s, dtype=float), image, world, vis.astype(float),
                        np.full((n, pts.shape[1]), 0.99), camera.width, camera.height,
                        dict(meta or {"source": "glutecv.kinematics"}))


def place(body: np.ndarray, orientation: str, root: np.ndarray | None = None,
          anchor: tuple[Landmark, ...] | None = None, floor_clearance: float = 0.0) -> np.ndarray:
    """Body-frame points (N, 33, 3) -> world points, mid-hip at ``root`` (N, 3) or, with
    ``anchor``, moved per frame so the planted anchor landmarks (those within 0.1 mm of the
    lowest) stay where they were in frame 0; finally lifted so the lowest point of the clip
    sits ``floor_clearance`` above Y = 0."""
    w = np.asarray(body, dtype=float) @ orientation_matrix(orientation).T
    if root is not None:
        w = w + np.asarray(root, dtype=float).reshape(-1, 1, 3)
    elif anchor:
        # planted anchors: per frame, those within 0.1 mm of the lowest one stay where they were
        # in frame 0 (a lifted foot is not an anchor while it is up)
        a = w[:, list(anchor)]                       # (N, k, 3)
        low = a[..., 1] <= a[..., 1].min(axis=1, keepdims=True) + 1e-4
        shift = ((a - a[:1]) * low[..., None]).sum(axis=1) / low.sum(axis=1)[:, None]
        w = w - shift[:, None, :]
    lowest = np.nanmin(w[..., 1])
    w[..., 1] += floor_clearance - lowest
    return w
