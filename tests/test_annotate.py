"""Overlay annotators: each one changes the pixels it should, and only those."""

from __future__ import annotations

import math

import numpy as np
import pytest
from annotate_helpers import frame, good_rep, small_result, standing_pose, state, valgus_rep

from glutecv.annotate import Style, build_overlay
from glutecv.annotate.angles import AnglesAnnotator, format_angle, joint_of_label
from glutecv.annotate.counter import CounterAnnotator, count_text
from glutecv.annotate.cue import CueAnnotator, verdict_text
from glutecv.annotate.fps import FpsAnnotator
from glutecv.annotate.skeleton import SkeletonAnnotator
from glutecv.annotate.status import StatusAnnotator
from glutecv.annotate.timeline import TimelineAnnotator
from glutecv.landmarks import Landmark
from glutecv.pose.types import PoseFrame

STYLE = Style()


def _near(pixel: np.ndarray, colour: tuple[int, int, int], tol: int = 40) -> bool:
    return bool(np.all(np.abs(pixel.astype(int) - np.array(colour)) <= tol))


def _mid(pose: PoseFrame, a: Landmark, b: Landmark) -> tuple[int, int]:
    x, y = (pose.image[a, :2] + pose.image[b, :2]) / 2
    return int(round(x)), int(round(y))


def _changed(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    return np.any(before != after, axis=2)


def test_skeleton_colours_bones_by_side() -> None:
    pose = standing_pose()
    img = SkeletonAnnotator(720, STYLE).annotate(frame(), pose)
    x, y = _mid(pose, Landmark.LEFT_HIP, Landmark.LEFT_KNEE)
    assert _near(img[y, x], STYLE.left)
    x, y = _mid(pose, Landmark.RIGHT_KNEE, Landmark.RIGHT_ANKLE)
    assert _near(img[y, x], STYLE.right)
    x, y = _mid(pose, Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    assert _near(img[y, x], STYLE.centre)
    x, y = pose.image[Landmark.LEFT_KNEE, :2].astype(int)
    assert _near(img[y, x], STYLE.left)  # joint dot


def test_skeleton_skips_joints_under_visibility_gate() -> None:
    pose = standing_pose()
    vis = pose.visibility.copy()
    vis[Landmark.LEFT_KNEE] = 0.1
    low = PoseFrame(pose.t_s, pose.image, pose.world, vis, pose.presence)
    img = SkeletonAnnotator(720, STYLE).annotate(frame(), low)
    for a, b in ((Landmark.LEFT_HIP, Landmark.LEFT_KNEE), (Landmark.LEFT_KNEE,
                                                          Landmark.LEFT_ANKLE)):
        x, y = _mid(pose, a, b)
        assert tuple(img[y, x]) == (90, 90, 90)
    x, y = pose.image[Landmark.LEFT_KNEE, :2].astype(int)
    assert tuple(img[y, x]) == (90, 90, 90)
    x, y = _mid(pose, Landmark.RIGHT_HIP, Landmark.RIGHT_KNEE)
    assert _near(img[y, x], STYLE.right)


@pytest.mark.parametrize("pose", [None, PoseFrame.missing(0.0)])
def test_skeleton_without_a_person_draws_nothing(pose: PoseFrame | None) -> None:
    img = SkeletonAnnotator(720, STYLE).annotate(frame(), pose)
    assert np.all(img == 90)


def test_labels_name_their_joint() -> None:
    assert joint_of_label("L hip") == Landmark.LEFT_HIP
    assert joint_of_label("right knee") == Landmark.RIGHT_KNEE
    assert joint_of_label("knee valgus R") == Landmark.RIGHT_KNEE
    assert joint_of_label("pelvis tilt") is None
    assert joint_of_label("hip") is None  # no side: goes in the panel
    assert format_angle("L hip", math.nan) == "L hip --"
    assert format_angle("L hip", 171.6) == "L hip 172°"
    assert format_angle("R lift", -0.3) == "R lift 0°"
    assert format_angle("hip lift %", 54.4) == "hip lift 54%"   # a percentage, not an angle
    assert format_angle("hip lift %", math.nan) == "hip lift --"


def test_angle_label_sits_beside_its_joint_and_others_go_in_the_panel() -> None:
    pose = standing_pose()
    ann = AnglesAnnotator(1280, 720, STYLE)
    before = frame()
    img = ann.annotate(before.copy(), pose, {"L hip": 150.0})
    changed = _changed(before, img)
    ys, xs = np.nonzero(changed)
    hx, hy = pose.image[Landmark.LEFT_HIP, :2]
    assert changed.any()
    assert np.hypot(xs.mean() - hx, ys.mean() - hy) < 120  # near the left hip
    img2 = ann.annotate(before.copy(), pose, {"pelvis tilt": 3.0})
    ys, xs = np.nonzero(_changed(before, img2))
    assert xs.min() > 1280 * 0.75 and ys.max() < 720 * 0.25  # top-right panel


def test_counter_text_per_side_and_total() -> None:
    assert count_text({"both": 5}) == "REPS 5"
    assert count_text({}) == "REPS 0"
    assert count_text({"left": 3}, ("left", "right")) == "L 3  R 0"
    assert count_text({"left": 3, "right": 2}) == "L 3  R 2"


def test_counter_panel_scales_with_frame_height() -> None:
    def panel_width(h: int) -> int:
        before = frame(h * 16 // 9, h)
        img = CounterAnnotator(h, STYLE, "hip thrust").annotate(before.copy(), {"both": 12},
                                                               "top")
        xs = np.nonzero(_changed(before, img).any(axis=0))[0]
        return int(xs.max() - xs.min())

    ratio = panel_width(1440) / panel_width(720)
    assert 1.7 < ratio < 2.3


def test_cue_banner_and_verdict_flash() -> None:
    ann = CueAnnotator(1280, 720, STYLE)
    blank = frame()
    with_cue = ann.annotate(blank.copy(), "push your knees out", None, 5.0)
    bottom = with_cue[600:710, 400:880].reshape(-1, 3)
    red = np.all(np.abs(bottom.astype(int) - np.array(STYLE.bad)) < 40, axis=1)
    assert red.mean() > 0.2  # a red banner
    assert np.all(ann.annotate(blank.copy(), None, None, 5.0) == 90)
    rep = good_rep(1, 1.0)  # ends at 3.0 s
    flash = ann.annotate(blank.copy(), None, rep, 3.5)
    assert _changed(blank, flash).any()
    assert np.all(ann.annotate(blank.copy(), None, rep, 3.0 + 5.0) == 90)  # flash is over
    assert np.all(ann.annotate(blank.copy(), None, rep, math.nan) == 90)


def test_verdict_names_the_main_fault_against_its_threshold() -> None:
    assert verdict_text(good_rep(3)) == "REP 3  GOOD"
    assert verdict_text(valgus_rep(1)) == "REP 1  knee valgus 14° > 10°"


def test_fps_and_status_draw_only_when_given() -> None:
    blank = frame()
    assert np.all(FpsAnnotator(720, STYLE).annotate(blank.copy(), None) == 90)
    assert np.all(FpsAnnotator(720, STYLE).annotate(blank.copy(), math.nan) == 90)
    ys, xs = np.nonzero(_changed(blank, FpsAnnotator(720, STYLE).annotate(blank.copy(), 30.0)))
    assert xs.min() > 1000 and ys.max() < 100
    assert np.all(StatusAnnotator(720, STYLE).annotate(blank.copy(), None) == 90)
    msg = StatusAnnotator(720, STYLE).annotate(blank.copy(), "no person in view")
    ys, xs = np.nonzero(_changed(blank, msg))
    assert abs(xs.mean() - 640) < 40 and 200 < ys.mean() < 400
    amber = np.all(np.abs(msg.reshape(-1, 3).astype(int) - np.array(STYLE.warn)) < 50, axis=1)
    assert amber.sum() > 200


def test_timeline_marks_reps_faults_and_playhead() -> None:
    result = small_result(duration=10.0)  # reps: 1-3 s good, 4-6 s valgus, 7-9 s good
    tl = TimelineAnnotator(1280, 720, result, STYLE)
    img = tl.annotate(frame(), 8.5)
    track_y = tl.y0 + tl.band_h - (tl.band_h - tl.mark_h - tl.track_h) // 2 - tl.track_h // 2 - 1

    def x_at(t: float) -> int:
        return tl.x0 + int(t / 10.0 * (tl.x1 - tl.x0))

    assert _near(img[track_y, x_at(2.0)], STYLE.good)
    assert _near(img[track_y, x_at(5.5)], STYLE.bad)
    assert _near(img[track_y, x_at(3.5)], (70, 70, 70))  # between reps
    mark = img[tl.y0:tl.y0 + tl.band_h - tl.track_h, x_at(5.0)]  # fault mark at the peak
    assert any(_near(p, STYLE.bad) for p in mark)
    assert not any(_near(p, STYLE.bad) for p in img[tl.y0:tl.y0 + 4, x_at(2.0)])
    assert _near(img[track_y, x_at(8.5)], (255, 255, 255), 60)  # playhead
    assert tl.y0 + tl.band_h <= 720


def test_overlay_draws_everything_and_returns_the_same_image() -> None:
    result = small_result()
    overlay = build_overlay(1280, 720, result)
    img = frame()
    st = state(t_s=6.3, cue="push your knees out", last_rep=valgus_rep(2, 4.0))
    out = overlay.annotate(img, standing_pose(), st, fps=29.7)
    assert out is img
    changed = _changed(frame(), out)
    assert changed[:140, :160].any()   # counter
    assert changed[:60, -120:].any()   # fps
    assert changed[-40:, :].any()      # timeline
    assert overlay.counter.title == "hip thrust"


def test_overlay_survives_nan_angles_missing_pose_and_odd_sizes() -> None:
    overlay = build_overlay(640, 480)
    st = state(pose_ok=False, angles={"L hip": math.nan, "R knee": math.nan, "tilt": 3.0},
               message="no person in view", t_s=math.nan, last_rep=good_rep())
    for img, pose in ((frame(640, 480), None), (frame(640, 480), PoseFrame.missing(0.0)),
                      (frame(333, 201), standing_pose(0.2)), (frame(64, 36), None)):
        out = overlay.annotate(img, pose, st, fps=math.nan)
        assert out.shape == img.shape and out.dtype == np.uint8
    nan_pose = PoseFrame.missing(0.0)
    out = build_overlay(1280, 720, small_result()).annotate(
        frame(), nan_pose, state(angles={"L hip": math.nan}), None)
    assert out.shape == (720, 1280, 3)


def test_overlay_does_not_draw_skeleton_when_pose_not_ok() -> None:
    overlay = build_overlay(1280, 720)
    pose = standing_pose()
    img = overlay.annotate(frame(), pose, state(pose_ok=False, angles={}), None)
    x, y = _mid(pose, Landmark.LEFT_HIP, Landmark.LEFT_KNEE)
    assert tuple(img[y, x]) == (90, 90, 90)


def test_portrait_frames_scale_by_their_width() -> None:
    overlay = build_overlay(720, 1280)
    assert overlay.counter.big == pytest.approx(build_overlay(1280, 720).counter.big)
    img = overlay.annotate(frame(720, 1280), standing_pose(0.5),
                           state(cue="keep your hips stacked, don't roll back"), 30.0)
    assert img.shape == (1280, 720, 3)


def test_labels_at_one_joint_do_not_overlap() -> None:
    assert joint_of_label("L FPPA") == Landmark.LEFT_KNEE
    assert joint_of_label("R hike") == Landmark.RIGHT_HIP
    ann = AnglesAnnotator(1280, 720, STYLE)
    placed: list[tuple[int, int, int, int]] = []
    for text in ("L knee 92°", "L FPPA 12°", "L open 40°"):
        box = ann._place(700, 530, text, 1280, placed)
        assert box is not None
        assert all(box[3] <= b[1] or box[1] >= b[3] for b in placed)
        placed.append(box)
    near_edge = ann._place(1270, 300, "R knee 90°", 1280, [])
    assert near_edge is not None and near_edge[2] <= 1270  # flipped to the joint's left


def test_unknown_angles_are_left_out() -> None:
    ann = AnglesAnnotator(1280, 720, STYLE)
    blank = frame()
    assert np.all(ann.annotate(blank.copy(), standing_pose(), {"L hip": math.nan}) == 90)
    assert np.all(ann.annotate(blank.copy(), None, {"pelvis tilt": math.nan}) == 90)


def test_labels_go_on_the_outside_of_the_body() -> None:
    pose = standing_pose()  # facing the camera: the person's right side is on the image left
    ann = AnglesAnnotator(1280, 720, STYLE)
    before = frame()
    img = ann.annotate(before.copy(), pose, {"R knee": 90.0})
    xs = np.nonzero(_changed(before, img))[1]
    assert xs.max() < pose.image[Landmark.RIGHT_KNEE, 0]  # left of the right knee
    img = ann.annotate(before.copy(), pose, {"L knee": 90.0})
    xs = np.nonzero(_changed(before, img))[1]
    assert xs.min() > pose.image[Landmark.LEFT_KNEE, 0]
