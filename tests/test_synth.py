"""Synthetic exercise studio: reproducible clips whose ground truth says what was injected.

Renders are tiny (64x48, 8 fps) and each exercise is rendered once with several faults on
different reps, so the module runs in about a minute once anny's model cache is built
(building it the first time takes about a minute more).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from glutecv.synth.writer import read_truth
from tests.synth_helpers import angle_at_top, hold_frames, require_synth_extra, tiny_clip

require_synth_extra()

pytestmark = [pytest.mark.synth, pytest.mark.slow]

#: One clip per exercise: (options, {rep: fault}) with faults on different reps.
CLIPS = {
    "hip_thrust": dict(reps=4, view="oblique", faults=[
        "knee_valgus:10@2", "lumbar_extension:15@3", "incomplete_rom:10@4"]),
    "glute_bridge": dict(reps=5, hold_s=0.25, faults=["lumbar_extension:12@2"]),
    "single_leg_glute_bridge": dict(reps=3, faults=["knee_valgus:10@2", "pelvic_drop:12@3"]),
    "clamshell": dict(reps=3, faults=["pelvis_rotation:20@2", "incomplete_rom:8@3"]),
    "fire_hydrant": dict(reps=3, faults=["hip_hike:12@2", "trunk_shift:10@3"]),
    "squat": dict(reps=2, view="front", faults=["knee_valgus:10@2"]),
    "lunge": dict(reps=3, faults=["knee_valgus:10@2", "incomplete_rom:10@3"]),
}


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    """``clip(exercise) -> (truth, video path)``, rendered once per module."""
    cache: dict[str, tuple[dict, object]] = {}

    def get(exercise: str):
        if exercise not in cache:
            out = tmp_path_factory.mktemp(exercise)
            cache[exercise] = tiny_clip(out, exercise, **CLIPS[exercise])
        return cache[exercise]

    return get


def test_same_seed_same_clip(tmp_path) -> None:
    kw = dict(reps=1, faults=["knee_valgus:8"], seed=7)
    a, path_a = tiny_clip(tmp_path / "a", "squat", **kw)
    b, path_b = tiny_clip(tmp_path / "b", "squat", **kw)
    assert a == b
    assert path_a.read_bytes() == path_b.read_bytes()
    c, _ = tiny_clip(tmp_path / "c", "squat", **dict(kw, seed=8))
    assert (c["scene"]["colors"], c["scene"]["shape"]) != (a["scene"]["colors"],
                                                           a["scene"]["shape"])


def test_five_reps_give_five_records(clip) -> None:
    truth, path = clip("glute_bridge")
    reps = truth["reps"]
    assert [r["index"] for r in reps] == [1, 2, 3, 4, 5]
    for r, nxt in zip(reps, reps[1:] + [None], strict=True):
        assert r["start_s"] < r["peak_s"] < r["end_s"]
        if nxt:
            assert r["end_s"] <= nxt["start_s"]
    assert {f["rep"] for f in truth["frames"]} - {None} == {1, 2, 3, 4, 5}
    text = path.with_suffix(".json").read_text()
    on_disk = json.loads(text)
    assert on_disk["reps"] == reps
    assert on_disk["video"]["frame_count"] == len(on_disk["frames"])
    # compact: landmark names written once (in landmark_names), not in every frame
    assert text.count('"LEFT_HIP"') == 1 and isinstance(on_disk["frames"][0], list)
    assert read_truth(path.with_suffix(".json")) == truth   # read back exactly as rendered
    assert [f["code"] for f in reps[1]["faults"]] == ["lumbar_extension"]
    assert all(not r["faults"] for i, r in enumerate(reps) if i != 1)


@pytest.mark.parametrize(("exercise", "sides"), [
    ("squat", ("left", "right")), ("hip_thrust", ("left", "right")),
    ("single_leg_glute_bridge", ("right",)), ("lunge", ("right",)),
])
def test_valgus_fppa_equals_request(clip, exercise: str, sides: tuple) -> None:
    truth, _ = clip(exercise)
    for side in sides:
        clean = angle_at_top(truth, 1, "knee_fppa_deg", side)
        faulty = angle_at_top(truth, 2, "knee_fppa_deg", side)
        assert faulty - clean == pytest.approx(10.0, abs=0.5), side
    assert truth["reps"][1]["faults"] == [{"code": "knee_valgus", "size": 10.0, "unit": "deg"}]
    assert truth["reps"][0]["faults"] == []


def test_valgus_moves_knee_not_hip_or_ankle(clip) -> None:
    truth, _ = clip("squat")
    top1, top2 = hold_frames(truth, 1)[0], hold_frames(truth, 2)[0]
    for joint in ("RIGHT_HIP", "RIGHT_ANKLE", "LEFT_ANKLE"):
        assert np.allclose(top1["landmarks_3d_m"][joint], top2["landmarks_3d_m"][joint],
                           atol=2e-3)
    knee1, knee2 = (np.array(f["landmarks_3d_m"]["RIGHT_KNEE"]) for f in (top1, top2))
    assert knee2[2] < knee1[2] - 0.02  # the right knee (+Z side) moved towards the midline


@pytest.mark.parametrize(("exercise", "rep", "angle", "size"), [
    ("hip_thrust", 3, "lumbar_extension_deg", 15.0),
    ("glute_bridge", 2, "lumbar_extension_deg", 12.0),
    ("single_leg_glute_bridge", 3, "pelvis_rotation_deg", 12.0),
    ("clamshell", 2, "pelvis_rotation_deg", 20.0),
    ("fire_hydrant", 2, "pelvis_rotation_deg", 12.0),
    ("fire_hydrant", 3, "trunk_shift_deg", 10.0),
])
def test_fault_size_shows_in_true_angles(clip, exercise, rep, angle, size) -> None:
    truth, _ = clip(exercise)
    change = angle_at_top(truth, rep, angle) - angle_at_top(truth, 1, angle)
    assert abs(change) == pytest.approx(size, abs=0.5)


def test_lumbar_fault_arches_and_pushes_hips_above_the_line(clip) -> None:
    """Arching = the trunk extends on the pelvis, lifting the hips above the shoulder-knee
    line, while the hip itself extends no further (the analyzer's definition too)."""
    truth, _ = clip("hip_thrust")
    assert angle_at_top(truth, 3, "lumbar_extension_deg") > angle_at_top(
        truth, 1, "lumbar_extension_deg")
    hip1 = hold_frames(truth, 1)[0]["landmarks_3d_m"]["RIGHT_HIP"][1]
    hip3 = hold_frames(truth, 3)[0]["landmarks_3d_m"]["RIGHT_HIP"][1]
    assert hip3 > hip1 + 0.015
    # no extra hip extension (true hip flexion at the top is not smaller than clean)
    assert angle_at_top(truth, 3, "hip_flexion_deg", "right") >= angle_at_top(
        truth, 1, "hip_flexion_deg", "right") - 1.0


@pytest.mark.parametrize(("exercise", "rep", "size"), [
    ("hip_thrust", 4, 10.0), ("clamshell", 3, 8.0), ("lunge", 3, 10.0)])
def test_incomplete_rom_is_short_by_request(clip, exercise, rep, size) -> None:
    truth, _ = clip(exercise)
    full = truth["reps"][0]["range_angle_peak_deg"]
    short = truth["reps"][rep - 1]["range_angle_peak_deg"]
    assert abs(full - short) == pytest.approx(size, abs=0.5)
    if exercise == "hip_thrust":
        flex = [angle_at_top(truth, r, "hip_flexion_deg", "right") for r in (1, rep)]
        assert flex[1] - flex[0] == pytest.approx(size, abs=0.5)


@pytest.mark.parametrize("exercise", sorted(CLIPS))
def test_every_exercise_renders(clip, exercise: str) -> None:
    import av

    from glutecv.landmarks import Landmark
    from glutecv.synth.body import load_rest_body, skin
    from glutecv.synth.exercises import exercise_class
    from glutecv.synth.skeleton import Skeleton

    truth, path = clip(exercise)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == truth["video"]["frame_count"] == len(truth["frames"])
    names = truth["landmark_names"]
    assert all(n in Landmark.__members__ for n in names)
    for key in ("LEFT_HEEL", "RIGHT_FOOT_INDEX", "LEFT_SHOULDER", "RIGHT_KNEE"):
        assert key in names
    xy = np.array([[f["landmarks_2d_px"][n] for n in names] for f in truth["frames"]])
    assert np.isfinite(xy).all()
    # Nothing sinks into the floor (fingertips and toe tips may touch it by a few cm).
    cls = exercise_class(exercise)
    ex = cls(Skeleton.of(load_rest_body()))
    rest = ex.sk.rest
    solid = np.array([not rest.bone_names[b].startswith(("finger", "toe"))
                      for b in rest.dominant_bone])
    faults = {c: 12.0 for c in cls.faults if c != "incomplete_rom"}
    for p in (0.0, 0.5, 1.0):
        rot, trans, _ = ex.fk(ex.pose(p, faults))
        assert skin(rest, rot, trans)[solid, 1].min() > -0.012, p


def test_ground_truth_projects_into_the_image(clip) -> None:
    truth, _ = clip("squat")
    w, h = truth["video"]["width"], truth["video"]["height"]
    xy = np.array([list(f["landmarks_2d_px"].values()) for f in truth["frames"]])
    assert (xy[..., 0] > 0).all() and (xy[..., 0] < w).all()
    assert (xy[..., 1] > 0).all() and (xy[..., 1] < h).all()
    # Facing the camera, the person's left side is on the image's right.
    first = truth["frames"][0]["landmarks_2d_px"]
    assert first["LEFT_HIP"][0] > first["RIGHT_HIP"][0]


def test_cli_renders_and_reports_bad_input(tmp_path, capsys) -> None:
    from glutecv.cli import main

    out = tmp_path / "squat.mp4"
    code = main(["-q", "synth", "squat", "-o", str(out), "--reps", "1", "--size", "64x48",
                 "--fps", "6", "--tempo", "0.4,0.4", "--fault", "knee_valgus:9"])
    assert code == 0 and out.is_file() and out.with_suffix(".json").is_file()
    assert main(["-q", "synth", "clamshell", "-o", str(tmp_path / "x.mp4"),
                 "--fault", "knee_valgus:9"]) == 2
    assert main(["-q", "synth", "situp", "-o", str(tmp_path / "y.mp4")]) == 2
    err = capsys.readouterr().err
    assert "glutecv: error: clamshell cannot show knee_valgus" in err
    assert "unknown exercise 'situp'" in err
    assert not (tmp_path / "x.mp4").exists()


def test_bystander_walks_across_the_frame(tmp_path) -> None:
    truth, _ = tiny_clip(tmp_path, "squat", reps=1, people=2, view="front")
    assert truth["scene"]["people"] == 2
    xs = [f["bystander_2d_px"]["LEFT_HIP"][0] for f in truth["frames"]]
    assert xs[-1] - xs[0] > 0.5 * truth["video"]["width"]  # left to right across the image
    ex = [f["landmarks_2d_px"]["LEFT_HIP"][0] for f in truth["frames"]]
    assert max(ex) - min(ex) < 0.2 * truth["video"]["width"]  # the exerciser stays put


@pytest.mark.parametrize("view", ["side", "front", "back", "oblique", "above"])
def test_every_view_frames_the_body(view: str) -> None:
    from glutecv.synth.body import load_rest_body, skin
    from glutecv.synth.camera import frame_camera, view_direction
    from glutecv.synth.exercises import exercise_class
    from glutecv.synth.skeleton import Skeleton

    sk = Skeleton.of(load_rest_body())
    for name in ("clamshell", "fire_hydrant", "hip_thrust"):
        ex = exercise_class(name)(sk)
        points = np.concatenate([skin(sk.rest, *ex.fk(ex.pose(p, {}))[:2])[::9]
                                 for p in (0.0, 1.0)])
        direction = view_direction(view, np.asarray(ex.front_axis), ex.side_direction(),
                                   ex.front_elevation, ex.oblique_front)
        cam = frame_camera(points, direction, 320, 240)
        xy, depth = cam.project(points)
        assert (depth > 0).all()
        assert xy[:, 0].min() > 0 and xy[:, 0].max() < 320, name
        assert xy[:, 1].min() > 0 and xy[:, 1].max() < 240, name
        span = max(np.ptp(xy[:, 0]) / 320, np.ptp(xy[:, 1]) / 240)
        assert 0.45 < span < 0.98, name


@pytest.mark.slow
def test_loading_the_body_model_prints_nothing() -> None:
    """warp's native "CUDA driver not found" line is kept off stderr (CPU rendering only)."""
    import subprocess
    import sys

    code = ("import sys\nfrom glutecv.synth.body import _load_model\n_load_model()\n"
            "print('stderr still works', file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "stderr still works" and proc.stdout == ""
