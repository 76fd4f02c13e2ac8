"""A small z-buffer triangle rasteriser compiled with numba (CPU, no GPU, no display).

Why our own: pyrender renders near-black images on this kind of headless machine, and a body
of ~14k vertices with per-vertex (Gouraud) colours rasterises in well under a second per frame
in plain numba. The caller supplies screen-space vertices (pixels, plus a camera depth in
metres) and lit per-vertex colours; the rasteriser fills a colour and a depth buffer that
already hold the background, so the body is depth-tested against the floor and wall.
"""

from __future__ import annotations

import numpy as np

_KERNEL = None


def _compile():  # pragma: no cover - compiled code is exercised through rasterise()
    try:
        import numba
    except ImportError:
        from glutecv.synth.body import SynthExtraMissing

        raise SynthExtraMissing("synthetic rendering needs the optional extra (numba is "
                                "missing): install glutecv[synth]") from None

    @numba.njit(cache=True, fastmath=True, nogil=True)
    def kernel(xy, z, colors, faces, color_buf, depth_buf):
        height, width = depth_buf.shape
        for f in range(faces.shape[0]):
            i0, i1, i2 = faces[f, 0], faces[f, 1], faces[f, 2]
            z0, z1, z2 = z[i0], z[i1], z[i2]
            if z0 <= 0.05 or z1 <= 0.05 or z2 <= 0.05:
                continue  # behind or too close to the camera
            x0, y0 = xy[i0, 0], xy[i0, 1]
            x1, y1 = xy[i1, 0], xy[i1, 1]
            x2, y2 = xy[i2, 0], xy[i2, 1]
            area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0)
            if abs(area) < 1e-12:
                continue
            xmin = max(int(np.floor(min(x0, min(x1, x2)))), 0)
            xmax = min(int(np.ceil(max(x0, max(x1, x2)))), width - 1)
            ymin = max(int(np.floor(min(y0, min(y1, y2)))), 0)
            ymax = min(int(np.ceil(max(y0, max(y1, y2)))), height - 1)
            if xmin > xmax or ymin > ymax:
                continue
            inv_area = 1.0 / area
            # Perspective-correct interpolation of depth and colour via 1/z.
            w0z, w1z, w2z = 1.0 / z0, 1.0 / z1, 1.0 / z2
            for py in range(ymin, ymax + 1):
                cy = py + 0.5
                for px in range(xmin, xmax + 1):
                    cx = px + 0.5
                    b0 = ((x1 - cx) * (y2 - cy) - (x2 - cx) * (y1 - cy)) * inv_area
                    b1 = ((x2 - cx) * (y0 - cy) - (x0 - cx) * (y2 - cy)) * inv_area
                    b2 = 1.0 - b0 - b1
                    if b0 < 0.0 or b1 < 0.0 or b2 < 0.0:
                        continue
                    inv_z = b0 * w0z + b1 * w1z + b2 * w2z
                    depth = 1.0 / inv_z
                    if depth >= depth_buf[py, px]:
                        continue
                    depth_buf[py, px] = depth
                    p0, p1, p2 = b0 * w0z * depth, b1 * w1z * depth, b2 * w2z * depth
                    for c in range(3):
                        color_buf[py, px, c] = (
                            p0 * colors[i0, c] + p1 * colors[i1, c] + p2 * colors[i2, c]
                        )

    @numba.njit(cache=True, fastmath=True, nogil=True)
    def normals(vertices, faces):
        out = np.zeros_like(vertices)
        for f in range(faces.shape[0]):
            a, b, c = faces[f, 0], faces[f, 1], faces[f, 2]
            e1 = vertices[b] - vertices[a]
            e2 = vertices[c] - vertices[a]
            n0 = e1[1] * e2[2] - e1[2] * e2[1]
            n1 = e1[2] * e2[0] - e1[0] * e2[2]
            n2 = e1[0] * e2[1] - e1[1] * e2[0]
            for v in (a, b, c):
                out[v, 0] += n0
                out[v, 1] += n1
                out[v, 2] += n2
        for v in range(out.shape[0]):
            norm = np.sqrt(out[v, 0] ** 2 + out[v, 1] ** 2 + out[v, 2] ** 2)
            if norm > 0:
                out[v] /= norm
        return out

    return kernel, normals


def _kernels():
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = _compile()
    return _KERNEL


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Unit area-weighted vertex normals (V, 3) of a triangle mesh (outward for CCW faces)."""
    return _kernels()[1](np.ascontiguousarray(vertices, np.float64),
                         np.ascontiguousarray(faces, np.int64))


def rasterise(
    xy: np.ndarray, depth: np.ndarray, colors: np.ndarray, faces: np.ndarray,
    color_buf: np.ndarray, depth_buf: np.ndarray,
) -> None:
    """Draw triangles into ``color_buf`` (H, W, 3 float) and ``depth_buf`` (H, W) in place.

    ``xy`` are pixel coordinates (V, 2) with pixel centres at +0.5, ``depth`` the camera-space
    distance along the view axis in metres (V,), ``colors`` per-vertex RGB in 0..1 (V, 3).
    Both faces of every triangle are drawn (no back-face culling): the closed body mesh is
    resolved by the depth test.
    """
    _kernels()[0](
        np.ascontiguousarray(xy, np.float64), np.ascontiguousarray(depth, np.float64),
        np.ascontiguousarray(colors, np.float64), np.ascontiguousarray(faces, np.int64),
        color_buf, depth_buf,
    )
