"""The room around the body (floor, wall, props), lighting, and one rendered frame.

The floor (Y = 0) and a wall behind the body are ray-cast analytically once per clip (the
camera does not move); each frame then adds a soft blob shadow, rasterises the lit body
meshes and props into a 2x supersampled buffer and averages it down (anti-aliasing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecv.errors import GlutecvError
from glutecv.synth.appearance import hex_rgb
from glutecv.synth.camera import Camera
from glutecv.synth.exercises.base import Box
from glutecv.synth.raster import rasterise, vertex_normals

SUPERSAMPLE = 2
#: Named backgrounds: (wall colour, floor colour A, floor colour B for the boards).
BACKGROUNDS = {
    "studio": ("#d9d6cf", "#b58b5a", "#a87f50"),
    "gym": ("#5b6066", "#3a3c40", "#33353a"),
    "home": ("#e8dcc6", "#9c8f80", "#958879"),
    "clinic": ("#e9eef2", "#c9ccd1", "#c0c3c8"),
}


@dataclass
class Mesh:
    """Triangles with per-vertex albedo, ready to light and rasterise."""

    vertices: np.ndarray   # (V, 3) world metres
    faces: np.ndarray      # (F, 3)
    albedo: np.ndarray     # (V, 3) 0..1


def box_mesh(box: Box) -> Mesh:
    """A box as 12 triangles with its own vertices per face (flat shading)."""
    lo, hi = np.asarray(box.lo, float), np.asarray(box.hi, float)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])])
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    verts, faces = [], []
    for q in quads:
        base = len(verts)
        verts.extend(corners[list(q)])
        faces.extend([(base, base + 1, base + 2), (base, base + 2, base + 3)])
    verts = np.array(verts)
    return Mesh(verts, np.array(faces), np.tile(np.asarray(box.color, float), (len(verts), 1)))


class Room:
    """Floor and wall for one camera, pre-rendered at the supersampled resolution."""

    def __init__(self, camera: Camera, background: str, body_center: np.ndarray) -> None:
        self.camera = camera
        w, h = camera.width * SUPERSAMPLE, camera.height * SUPERSAMPLE
        if background in BACKGROUNDS:
            wall, floor_a, floor_b = (hex_rgb(c) for c in BACKGROUNDS[background])
        elif background.startswith("#"):
            wall = floor_a = floor_b = hex_rgb(background)
        else:
            raise GlutecvError(f"unknown background {background!r}; choose one of: "
                               f"{', '.join(BACKGROUNDS)} or a colour #rrggbb")
        ys, xs = np.mgrid[0:h, 0:w]
        f = camera.focal * SUPERSAMPLE
        rays_cam = np.stack([(xs + 0.5 - w / 2) / f, (ys + 0.5 - h / 2) / f,
                             np.ones_like(xs, float)], axis=-1)
        rays = rays_cam @ camera.rotation          # world directions, z_cam = 1
        origin = camera.position
        depth = np.full((h, w), np.inf)
        color = np.tile(wall, (h, w, 1))
        # Wall: a vertical plane 1.6 m behind the body, facing the camera horizontally.
        away = body_center - origin
        away[1] = 0.0
        away /= max(np.linalg.norm(away), 1e-9)
        wall_point = body_center + 1.6 * away
        denom = rays @ away
        t_wall = np.where(denom > 1e-6, ((wall_point - origin) @ away) / np.where(
            denom > 1e-6, denom, 1.0), np.inf)
        hit_wall = np.isfinite(t_wall)
        depth[hit_wall] = t_wall[hit_wall]
        # Floor: Y = 0, boards along X.
        t_floor = np.where(rays[..., 1] < -1e-6, -origin[1] / np.where(
            rays[..., 1] < -1e-6, rays[..., 1], -1.0), np.inf)
        hit_floor = t_floor < depth
        with np.errstate(invalid="ignore"):
            points = origin + rays * t_floor[..., None]
        boards = np.floor(np.nan_to_num(points[..., 2], posinf=0.0, neginf=0.0) / 0.14) % 2 == 0
        floor_col = np.where(boards[..., None], floor_a, floor_b)
        fade = np.clip(1.0 - 0.05 * np.nan_to_num(t_floor, posinf=0.0), 0.7, 1.0)[..., None]
        color = np.where(hit_floor[..., None], floor_col * fade, color)
        depth = np.where(hit_floor, t_floor, depth)
        # Soft darkening where the wall meets the floor.
        self.color = color
        self.depth = depth
        self.floor_mask = hit_floor
        self.floor_xz = np.nan_to_num(points[..., [0, 2]], posinf=1e3, neginf=-1e3)

    def shadow(self, anchors: np.ndarray) -> np.ndarray:
        """Multiplicative floor shadow (H, W) from body points (N, 3): soft blobs that widen
        and fade with height. Computed at output resolution, then repeated."""
        s = SUPERSAMPLE
        xz = self.floor_xz[::s, ::s]
        shade = np.zeros(xz.shape[:2])
        for p in anchors:
            height = max(p[1], 0.0)
            radius = 0.10 + 0.35 * height
            strength = 0.5 * np.exp(-height / 0.6)
            d2 = (xz[..., 0] - p[0]) ** 2 + (xz[..., 1] - p[2]) ** 2
            shade = np.maximum(shade, strength * np.exp(-d2 / (2 * radius ** 2)))
        shade = np.repeat(np.repeat(shade, s, axis=0), s, axis=1)
        return np.where(self.floor_mask, 1.0 - shade, 1.0)


def light(mesh: Mesh, camera: Camera) -> np.ndarray:
    """Per-vertex colour: ambient + a key light above/beside the camera + a headlight."""
    normals = vertex_normals(mesh.vertices, mesh.faces)
    to_cam = camera.position - mesh.vertices
    to_cam /= np.linalg.norm(to_cam, axis=1, keepdims=True)
    key = np.array([0.3, 1.0, 0.2])
    key /= np.linalg.norm(key)
    # Normals may point inward for some faces: light both sides by the facing direction.
    facing = np.sign(np.sum(normals * to_cam, axis=1, keepdims=True) + 1e-9)
    n = normals * facing
    diffuse = np.clip(n @ key, 0.0, 1.0)[:, None]
    head = np.clip(np.sum(n * to_cam, axis=1), 0.0, 1.0)[:, None]
    sky = 0.5 + 0.5 * n[:, 1:2]
    shade = 0.28 + 0.42 * diffuse + 0.28 * head + 0.12 * sky
    return np.clip(mesh.albedo * shade, 0.0, 1.0)


def render_frame(room: Room, meshes: list[Mesh], shadow_points: np.ndarray) -> np.ndarray:
    """One RGB frame (H, W, 3) uint8 of ``meshes`` in ``room``."""
    cam = room.camera
    color = room.color * room.shadow(shadow_points)[..., None]
    depth = room.depth.copy()
    s = SUPERSAMPLE
    for mesh in meshes:
        xy, z = cam.project(mesh.vertices)
        rasterise(xy * s, z, light(mesh, cam), mesh.faces, color, depth)
    h, w = cam.height, cam.width
    small = color.reshape(h, s, w, s, 3).mean(axis=(1, 3))
    return (np.clip(small, 0, 1) * 255 + 0.5).astype(np.uint8)
