"""Render one synthetic exercise clip and its ground truth.

:func:`render_clip` poses the body for every frame (the exercise script at the rep's
progress, with the faults of that rep), frames a fixed camera on the whole movement, renders
each frame, writes an H.264 MP4 and returns the ground-truth dict that
:func:`glutecv.synth.writer.write_truth` saves beside it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from glutecv.errors import GlutecvError
from glutecv.synth.appearance import pick_colors, vertex_albedo, vertex_parts
from glutecv.synth.body import PHENOTYPE_NAMES, load_rest_body, skin
from glutecv.synth.camera import frame_camera, view_direction
from glutecv.synth.exercises import exercise_class
from glutecv.synth.exercises.base import SynthExercise
from glutecv.synth.faults import FAULT_UNITS, FaultRequest
from glutecv.synth.rig import Pose
from glutecv.synth.scene import Mesh, Room, box_mesh, render_frame
from glutecv.synth.skeleton import TRUTH_LANDMARKS, Skeleton
from glutecv.synth.timeline import RepPlan, fault_envelope, plan_reps, progress_at
from glutecv.synth.truth import frame_angles
from glutecv.synth.writer import SCHEMA as TRUTH_SCHEMA

log = logging.getLogger("glutecv.synth.studio")


@dataclass
class ClipSpec:
    """Everything that defines a clip; the same spec (and seed) gives the same clip."""

    exercise: str
    reps: int = 3
    rise_s: float = 1.2
    lower_s: float = 1.4
    hold_s: float | None = None      # None: 1.0 s where the exercise has a hold, else 0.2
    rest_s: float = 0.5
    rom: float = 1.0                 # fraction of the exercise's standard range
    side: str = "right"
    view: str | None = None          # None: the exercise's default view
    distance_m: float | None = None  # None: framed automatically
    shape: dict[str, float] | None = None
    colors: dict[str, str] | None = None
    background: str = "studio"
    seed: int = 0
    faults: list[FaultRequest] = field(default_factory=list)
    width: int = 480
    height: int = 360
    fps: float = 30.0
    crf: int = 23
    people: int = 1                  # 2 adds a bystander walking behind the exerciser


def _shape_for(spec: ClipSpec, rng: np.random.Generator) -> dict[str, float]:
    """The spec's body shape, or a plausible adult drawn from the seed."""
    drawn = {"gender": float(rng.uniform(0.0, 1.0)), "age": float(rng.uniform(0.35, 0.6)),
             "muscle": float(rng.uniform(0.4, 0.65)), "weight": float(rng.uniform(0.35, 0.6)),
             "height": float(rng.uniform(0.4, 0.6)), "proportions": 0.5}
    drawn.update(spec.shape or {})
    return {k: round(drawn[k], 3) for k in PHENOTYPE_NAMES}


def _assign_faults(spec: ClipSpec, exercise: SynthExercise, plans: list[RepPlan]) -> None:
    allowed = set(exercise.faults)
    for req in spec.faults:
        if req.code not in allowed:
            raise GlutecvError(f"{exercise.name} cannot show {req.code}; its faults are: "
                               f"{', '.join(sorted(allowed))}")
        if req.reps and max(req.reps) > len(plans):
            raise GlutecvError(f"fault {req.code} asks for rep {max(req.reps)} but the clip "
                               f"has {len(plans)} reps")
        for rep in plans:
            if req.applies_to(rep.index):
                rep.faults[req.code] = req.size


def _short_peak(exercise: SynthExercise, short_deg: float) -> float:
    """Progress at which the exercise's range-of-motion angle is ``short_deg`` short."""
    def angle(p: float) -> float:
        return exercise.primary_angle(exercise.joints(exercise.pose(p, {})))

    a0, a1 = angle(0.0), angle(1.0)
    full = a1 - a0
    if abs(short_deg) >= abs(full):
        raise GlutecvError(f"incomplete_rom of {short_deg} deg is more than the whole range "
                           f"({abs(full):.0f} deg)")
    target = a1 - np.sign(full) * short_deg
    lo, hi = 0.0, 1.0
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        if (angle(mid) - target) * np.sign(full) < 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _pose_at(exercise: SynthExercise, t: float,
             plans: list[RepPlan]) -> tuple[Pose, RepPlan | None, float]:
    p, rep = progress_at(t, plans)
    faults: dict[str, float] = {}
    if rep is not None:
        env = fault_envelope(p, rep.p_peak)
        faults = {c: s * env for c, s in rep.faults.items() if c != "incomplete_rom"}
    return exercise.pose(p, faults), rep, p


def render_clip(spec: ClipSpec, out_path: str | Path,
                on_frame: Callable[[int, int], None] | None = None) -> dict:
    """Render ``spec`` to ``out_path`` (H.264 MP4) and return its ground truth."""
    from glutecv.io.video_writer import VideoWriter
    from glutecv.synth.camera import VIEWS

    if spec.reps < 1:
        raise GlutecvError("a clip needs at least 1 rep")
    if spec.view is not None and spec.view not in VIEWS:
        raise GlutecvError(f"unknown view {spec.view!r}; choose one of: {', '.join(VIEWS)}")
    if spec.people not in (1, 2):
        raise GlutecvError(f"people must be 1 or 2, not {spec.people}")
    if spec.side not in ("left", "right"):
        raise GlutecvError(f"side must be left or right, not {spec.side!r}")
    cls = exercise_class(spec.exercise)
    rng = np.random.default_rng(spec.seed)
    shape = _shape_for(spec, rng)
    colors = pick_colors(rng, spec.colors)
    rest = load_rest_body(shape)
    sk = Skeleton.of(rest)
    exercise = cls(sk, side=spec.side, rom=spec.rom)
    hold = spec.hold_s if spec.hold_s is not None else (1.0 if exercise.has_hold else 0.2)
    plans, duration = plan_reps(spec.reps, spec.rise_s, spec.lower_s, hold, spec.rest_s, rng)
    _assign_faults(spec, exercise, plans)
    for rep in plans:
        if "incomplete_rom" in rep.faults:
            rep.p_peak = _short_peak(exercise, rep.faults["incomplete_rom"])
    n_frames = int(round(duration * spec.fps))
    times = np.arange(n_frames) / spec.fps

    # Frame the camera on every pose of the clip (a sparse sample of frames is enough).
    sample = [skin(rest, *exercise.fk(_pose_at(exercise, t, plans)[0])[:2])[::7]
              for t in times[::5]]
    points = np.concatenate(sample + [m.vertices for m in map(box_mesh, exercise.props())])
    view = spec.view or exercise.default_view
    direction = view_direction(view, np.asarray(exercise.front_axis),
                               exercise.side_direction(), exercise.front_elevation,
                               exercise.oblique_front)
    camera = frame_camera(points, direction, spec.width, spec.height, spec.distance_m)
    room = Room(camera, spec.background, np.concatenate(sample).mean(axis=0))
    albedo = vertex_albedo(vertex_parts(rest), colors)
    props = [box_mesh(b) for b in exercise.props()]
    walker = None
    if spec.people == 2:
        walker, walker_albedo, walker_info = _make_bystander(
            rng, camera, np.concatenate(sample), duration)

    frames = []
    with VideoWriter(out_path, spec.width, spec.height, spec.fps, crf=spec.crf,
                     preset="medium", pixel_format="rgb24", threads=1) as writer:
        for i, t in enumerate(times):
            pose, rep, p = _pose_at(exercise, float(t), plans)
            rot, trans, heads = exercise.fk(pose)
            vertices = skin(rest, rot, trans)
            j3 = sk.joints(heads, vertices)
            xy, _ = camera.project(np.stack([j3[n] for n in TRUTH_LANDMARKS]))
            j2 = dict(zip(TRUTH_LANDMARKS, xy, strict=True))
            angles = frame_angles(exercise, j3, j2, rot[0], rot[rest.bone("spine01")],
                                  np.asarray(exercise.base_rotation))
            meshes = [Mesh(vertices, rest.faces, albedo), *props]
            anchors = list(j3.values())
            record_walker = {}
            if walker is not None:
                _, w_rot, w_trans, w_vertices = walker.pose(float(t))
                meshes.append(Mesh(w_vertices, walker.sk.rest.faces, walker_albedo))
                w_j3 = walker.joints(w_rot, w_trans, w_vertices)
                anchors += list(w_j3.values())
                w_xy, _ = camera.project(np.stack([w_j3[n] for n in TRUTH_LANDMARKS]))
                record_walker = {"bystander_2d_px": {
                    n: [round(float(v), 1) for v in xy_n]
                    for n, xy_n in zip(TRUTH_LANDMARKS, w_xy, strict=True)}}
            image = render_frame(room, meshes, np.stack(anchors))
            writer.write(image)
            frames.append({
                "index": i, "t_s": round(float(t), 4),
                "rep": rep.index if rep else None, "progress": round(float(p), 4),
                "landmarks_2d_px": {n: [round(float(v), 1) for v in j2[n]]
                                    for n in TRUTH_LANDMARKS},
                "landmarks_3d_m": {n: [round(float(v), 3) for v in j3[n]]
                                   for n in TRUTH_LANDMARKS},
                "angles": _round(angles, 2),
                **record_walker,
            })
            if on_frame:
                on_frame(i + 1, n_frames)

    peaks = {}
    for rep in plans:
        peak_pose = exercise.pose(rep.p_peak, rep.faults)
        peaks[rep.index] = exercise.primary_angle(exercise.joints(peak_pose))
    return {
        "schema": TRUTH_SCHEMA,
        "video": {"file": Path(out_path).name, "width": spec.width, "height": spec.height,
                  "fps": spec.fps, "frame_count": n_frames,
                  "duration_s": round(n_frames / spec.fps, 4), "codec": "h264",
                  "pixel_format": "yuv420p"},
        "scene": {"exercise": exercise.name, "side": spec.side if exercise.unilateral
                  else "both", "working_side": spec.side, "view": view,
                  "camera": _round(camera.to_dict()), "background": spec.background,
                  "colors": colors, "shape": shape, "seed": spec.seed, "rom": spec.rom,
                  "tempo": {"rise_s": spec.rise_s, "hold_s": hold, "lower_s": spec.lower_s,
                            "rest_s": spec.rest_s},
                  "world": "metres; Y up, floor at Y=0",
                  "frontal_view_axis": _round(list(_front(exercise))),
                  "people": spec.people,
                  **({"bystander": walker_info} if walker is not None else {})},
        "landmark_names": list(TRUTH_LANDMARKS),
        "reps": [{
            "index": rep.index, "side": spec.side if exercise.unilateral else "both",
            "start_s": round(rep.start_s, 4), "peak_s": round(rep.peak_s, 4),
            "end_s": round(rep.end_s, 4), "hold_start_s": round(rep.top_start_s, 4),
            "hold_end_s": round(rep.top_end_s, 4), "progress_peak": round(rep.p_peak, 4),
            "range_angle_peak_deg": round(peaks[rep.index], 3),
            "faults": [{"code": c, "size": s, "unit": FAULT_UNITS[c]}
                       for c, s in rep.faults.items()],
        } for rep in plans],
        "frames": frames,
    }


def _make_bystander(rng: np.random.Generator, camera, body_points: np.ndarray,
                    duration: float):
    """A second body (own shape and colours from ``rng``) walking across the frame behind
    the exerciser, from the image's left edge to its right."""
    from glutecv.synth.bystander import Bystander

    shape = {"gender": float(rng.uniform(0, 1)), "height": float(rng.uniform(0.4, 0.7)),
             "weight": float(rng.uniform(0.3, 0.6))}
    colors = pick_colors(rng)
    rest = load_rest_body(shape)
    right = camera.rotation[0].copy()
    right[1] = 0.0
    right /= np.linalg.norm(right)
    away = camera.target - camera.position
    away[1] = 0.0
    away /= np.linalg.norm(away)
    centre = body_points.mean(axis=0)
    span = 0.55 * np.linalg.norm(camera.target - camera.position) + 0.8
    start = centre + 1.1 * away - span * right
    end = centre + 1.1 * away + span * right
    walker = Bystander(rest, start, end, duration)
    info = {"shape": {k: round(v, 3) for k, v in shape.items()}, "colors": colors,
            "start_m": _round(start.tolist()), "end_m": _round(end.tolist())}
    return walker, vertex_albedo(vertex_parts(rest), colors), info


def _front(exercise: SynthExercise) -> np.ndarray:
    from glutecv.synth.exercises.base import view_axis

    return view_axis(exercise)


def _round(obj, digits: int = 3):
    if isinstance(obj, dict):
        return {k: _round(v, digits) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_round(v, digits) for v in obj]
    if isinstance(obj, float | np.floating):
        return round(float(obj), digits)
    return obj
