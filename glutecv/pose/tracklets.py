"""Link the bodies found in each frame into tracks (one per person) and score how much each moves.

Identity between frames is decided on the **whole body**, not one point: two bodies are
compared by the mean distance of their main joints (shoulders, elbows, wrists, hips, knees,
ankles), in units of the body's own size (torso length). Two people standing side by side are
about a body size apart in this measure, while one person moves a small fraction of it from one
frame to the next, even when squatting fast. Per frame the bodies are assigned to the live
tracks with the least total cost (Hungarian method), and a body farther than
:data:`LINK_GATE` from every track starts a new one, so a track can never jump to a neighbour
when its own person is missed for a frame or two.
"""

from __future__ import annotations

import numpy as np

from glutecv.landmarks import Landmark

#: Joints compared between two bodies (hands, feet and face detail left out: noisy and small).
BODY_JOINTS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER, Landmark.LEFT_ELBOW,
               Landmark.RIGHT_ELBOW, Landmark.LEFT_WRIST, Landmark.RIGHT_WRIST,
               Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE,
               Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]
#: Joints below this visibility in either body are left out of the comparison (if enough remain).
COMPARE_VISIBILITY = 0.5
#: Two bodies in one frame closer than this (in body sizes) are the same person found twice.
SAME_BODY = 0.25
#: Largest whole-body move (in body sizes) accepted as the same person one frame later ...
LINK_GATE = 0.5
#: ... plus this much per further frame the track went unseen (the person kept moving).
GATE_PER_MISSED_FRAME = 0.1
#: A track that has not been seen for more frames than this is ended.
LOST_AFTER = 15


def body_scale(image: np.ndarray) -> float:
    """Size of a body in pixels: its torso length (mid-shoulder to mid-hip).

    The torso keeps its length while the legs fold, so the size does not shrink in a squat the
    way a bounding box does. Falls back to a third of the bounding-box diagonal.
    """
    shoulders = image[[Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER], :2].mean(axis=0)
    hips = image[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP], :2].mean(axis=0)
    torso = float(np.hypot(*(shoulders - hips)))
    pts = image[BODY_JOINTS, :2]
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    box = float(np.hypot(*np.ptp(pts, axis=0))) / 3 if len(pts) >= 2 else 0.0
    size = torso if np.isfinite(torso) and torso > 0.5 * box else box
    return max(size, 1.0)


def body_distance(a_image: np.ndarray, a_vis: np.ndarray, b_image: np.ndarray,
                  b_vis: np.ndarray) -> float:
    """Mean distance of the main joints of two bodies, in body sizes (inf if not comparable)."""
    both = (a_vis[BODY_JOINTS] >= COMPARE_VISIBILITY) & (b_vis[BODY_JOINTS] >= COMPARE_VISIBILITY)
    joints = np.asarray(BODY_JOINTS)[both] if both.sum() >= 4 else np.asarray(BODY_JOINTS)
    step = np.linalg.norm(a_image[joints, :2] - b_image[joints, :2], axis=1)
    step = step[np.isfinite(step)]
    if step.size == 0:
        return float("inf")
    scale = 0.5 * (body_scale(a_image) + body_scale(b_image))
    return float(step.mean() / scale)


def without_duplicates(images: list[np.ndarray], visibilities: list[np.ndarray]) -> list[int]:
    """Indices of the bodies to keep: of two that are the same person, the earlier one."""
    keep: list[int] = []
    for i in range(len(images)):
        if all(body_distance(images[i], visibilities[i], images[k], visibilities[k]) >= SAME_BODY
               for k in keep):
            keep.append(i)
    return keep


def link_tracks(images: list[list[np.ndarray]], visibilities: list[list[np.ndarray]],
                lost_after: int = LOST_AFTER) -> list[dict[int, int]]:
    """Tracks through the clip: each a map frame index -> index of that body in the frame.

    ``images[i]``/``visibilities[i]`` are the (33, 3) pixel landmarks and (33,) visibilities of
    the bodies found in frame ``i``. Each frame's bodies go to the live tracks (seen within
    ``lost_after`` frames) by least total whole-body distance; a pairing beyond the gate
    (:data:`LINK_GATE` plus :data:`GATE_PER_MISSED_FRAME` per missed frame) is refused and the
    body starts a new track.
    """
    from scipy.optimize import linear_sum_assignment

    tracks: list[dict[int, int]] = []
    last: list[tuple[int, np.ndarray, np.ndarray]] = []  # per track: frame, image, visibility
    for i, (bodies, vis) in enumerate(zip(images, visibilities, strict=True)):
        live = [t for t, (f, _, _) in enumerate(last) if i - f <= lost_after]
        matched: set[int] = set()
        if live and bodies:
            cost = np.array([[body_distance(last[t][1], last[t][2], b, v)
                              for b, v in zip(bodies, vis, strict=True)] for t in live])
            gate = np.array([LINK_GATE + GATE_PER_MISSED_FRAME * (i - last[t][0] - 1)
                             for t in live])[:, None]
            big = 1e6
            rows, cols = linear_sum_assignment(np.where(cost <= gate, cost, big))
            for r, c in zip(rows, cols, strict=True):
                if cost[r, c] <= gate[r, 0]:
                    t = live[r]
                    tracks[t][i] = int(c)
                    last[t] = (i, bodies[c], vis[c])
                    matched.add(int(c))
        for c, (b, v) in enumerate(zip(bodies, vis, strict=True)):
            if c not in matched:
                tracks.append({i: c})
                last.append((i, b, v))
    return tracks


def stitch_tracks(tracks: list[dict[int, int]], images: list[list[np.ndarray]],
                  visibilities: list[list[np.ndarray]], lost_after: int = LOST_AFTER,
                  max_overlap: int = 2) -> list[dict[int, int]]:
    """Join tracks that are one person split in two (a frame where the model fitted them badly).

    Track B continues track A when B starts at most ``lost_after`` frames after A's last frame
    (or overlaps A's end by up to ``max_overlap`` frames, where A's bodies are kept) and B's
    first body is within the link gate of A's last body before B starts. The closest pairs are
    joined first, each track continuing at most one and continued by at most one.
    """
    def body(t: dict[int, int], i: int) -> tuple[np.ndarray, np.ndarray]:
        return images[i][t[i]], visibilities[i][t[i]]

    links = []
    for a, ta in enumerate(tracks):
        a_end = max(ta)
        for b, tb in enumerate(tracks):
            b_start = min(tb)
            if a == b or not (a_end - max_overlap <= b_start <= a_end + lost_after):
                continue
            if b_start <= min(ta) or max(tb) <= a_end:
                continue  # B must go on after A, not sit inside it
            before = [i for i in ta if i < b_start]
            if not before:
                continue
            j = max(before)
            cost = body_distance(*body(ta, j), *body(tb, b_start))
            if cost <= LINK_GATE + GATE_PER_MISSED_FRAME * (b_start - j - 1):
                links.append((cost, a, b))
    successor: dict[int, int] = {}
    predecessor: dict[int, int] = {}
    for _, a, b in sorted(links):
        if a in successor or b in predecessor or _chain_root(b, successor) == a:
            continue
        successor[a] = b
        predecessor[b] = a
    joined = []
    for start in range(len(tracks)):
        if start in predecessor:
            continue
        merged: dict[int, int] = {}
        t: int | None = start
        while t is not None:
            merged.update({i: c for i, c in tracks[t].items() if i not in merged})
            t = successor.get(t)
        joined.append(merged)
    return joined


def _chain_root(track: int, successor: dict[int, int]) -> int:
    """The last track of the chain that starts at ``track`` (to refuse a loop)."""
    while track in successor:
        track = successor[track]
    return track
