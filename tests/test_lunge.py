"""Lunge-family analyzer on scripted clips (glutecv.kinematics, no rendering)."""

from __future__ import annotations

import numpy as np
import pytest
from motions_more import lunge, true_peak_fppa

from glutecv import kinematics as km
from glutecv.exercises import get_analyzer
from glutecv.landmarks import Landmark as L


def codes(rep) -> set[str]:
    return {f.code for f in rep.faults}


@pytest.mark.parametrize("front", ["left", "right"])
@pytest.mark.parametrize("view", ["front", "side", "oblique"])
def test_split_squat_counts_each_side_through_noise_dropouts_and_partials(front, view):
    # rep 3 bends 0.2 x 90 = 18 deg (not a rep); rep 5 is a 0.55 partial (flagged short)
    seq = lunge(5, front, view, amplitudes=[1, 1, 0.2, 1, 0.55], hold_s=0.3)
    seq = km.add_noise(seq, px=2.0, world_m=0.005, seed=21)
    seq = km.add_dropouts(seq, [(1.3, 1.5)])
    seq = km.jitter_timestamps(seq, 0.003)
    res = get_analyzer("lunge").analyze(seq)
    assert len(res.reps) == 4
    assert [r.side for r in res.reps] == [front] * 4
    assert ["incomplete_rom" in codes(r) for r in res.reps] == [False, False, False, True]
    m = res.reps[0].metrics
    for key in ("range_of_motion_deg", "peak_knee_flexion_deg", "peak_hip_flexion_deg",
                "front_knee_flexion_deg", "hold_s", "up_s", "down_s", "knee_angle_deg"):
        assert np.isfinite(m[key]), key
    assert m["front_knee_flexion_deg"] == pytest.approx(95, abs=7)


def test_alternating_lunges_credit_each_rep_to_its_front_leg():
    order = ["left", "right", "right", "left", "right"]
    seq = km.add_noise(lunge(5, order, "oblique"), px=1.5, world_m=0.003, seed=3)
    res = get_analyzer("lunge").analyze(seq)
    assert [r.side for r in res.reps] == order
    # the user can name the working leg: only its knee drives the count
    named = get_analyzer("lunge", side="left").analyze(seq)
    assert len(named.reps) == 5 and {r.side for r in named.reps} == {"left"}


@pytest.mark.parametrize("front", ["left", "right"])
def test_front_knee_valgus_above_threshold_only(front):
    threshold = get_analyzer("lunge").config.max_fppa_deg
    sizes = [0.0, 20.0, 60.0, 90.0]
    clean = lunge(4, front, "front", valgus=sizes)
    truth = true_peak_fppa(clean, front)
    res = get_analyzer("lunge").analyze(km.add_noise(clean, px=1.0, world_m=0.002, seed=8))
    assert len(res.reps) == 4
    for r in res.reps:
        window = (clean.t_s >= r.start_s) & (clean.t_s <= r.end_s)
        true_peak = float(np.nanpercentile(truth[window], 90))
        if abs(true_peak - threshold) < 3:
            continue
        assert ("knee_valgus" in codes(r)) == (true_peak > threshold), (true_peak, r.faults)
    flags = ["knee_valgus" in codes(r) for r in res.reps]
    assert flags[0] is False and flags[-1] is True


def test_clip_opening_at_the_bottom_counts_that_rep():
    seq = lunge(3, "right", "side")
    start = int(np.searchsorted(seq.t_s, 1.9))   # the bottom of rep 1
    stop = int(np.searchsorted(seq.t_s, 7.9))    # the bottom of rep 3
    assert len(get_analyzer("lunge").analyze(seq.slice(start, stop)).reps) == 2


def test_a_hard_cut_between_shots_is_not_a_rep():
    a = lunge(2, "left", "side")
    b = lunge(2, "left", "front", start_s=0.5)
    t_b = b.t_s + a.t_s[-1] + 1 / 30
    # shot 2 is filmed from elsewhere: every landmark jumps at the cut
    image_b = b.image.copy()
    image_b[..., 0] = image_b[..., 0] * 0.6 + 300
    joined = type(a)(np.concatenate([a.t_s, t_b]), np.concatenate([a.image, image_b]),
                     np.concatenate([a.world, b.world]),
                     np.concatenate([a.visibility, b.visibility]),
                     np.concatenate([a.presence, b.presence]), a.width, a.height)
    assert len(get_analyzer("lunge").analyze(joined).reps) == 4


def _step_up_clip(n: int = 3, lead: str = "right") -> km.PoseSequence:
    """Step-ups onto a 40 cm box: lead foot up, stand on the box, step down, both feet down."""
    t = km.timeline(2.0 + 4.0 * n, 30.0)
    trail = "left" if lead == "right" else "right"
    hip = {s: np.zeros_like(t) for s in (lead, trail)}
    knee = {s: np.full_like(t, 5.0) for s in (lead, trail)}
    root = np.zeros((len(t), 3))
    root[:, 1] = 0.93
    for k in range(n):
        t0 = 1.0 + 4.0 * k
        place = km.waveform(t, [km.RepSpec(t0, 0.5, 2.3, 0.5)])       # lead foot on the box
        rise = km.waveform(t, [km.RepSpec(t0 + 0.6, 0.8, 0.6, 0.8)])  # body up and down
        hip[lead] = hip[lead] + 60.0 * place * (1 - rise)
        knee[lead] = knee[lead] + 85.0 * place * (1 - rise)
        root[:, 1] += 0.40 * rise
    legs = {f"{s}_leg": km.LegAngles(hip_flexion=hip[s], knee_flexion=knee[s])
            for s in (lead, trail)}
    return km.make_sequence(km.BodyPose(**legs), t, "standing", "side", root=root)


def test_step_ups_count_one_rep_per_step_and_credit_the_lead_leg():
    seq = km.add_noise(_step_up_clip(3, "right"), px=1.5, world_m=0.003, seed=2)
    res = get_analyzer("lunge").analyze(seq)
    assert len(res.reps) == 3
    assert {r.side for r in res.reps} == {"right"}
    assert all(r.metrics["step_height_pct_leg"] > 30 for r in res.reps)
    assert not any("incomplete_rom" in codes(r) for r in res.reps)


def _step_ups_from_the_box(n: int, lead: str, hold_s: float) -> km.PoseSequence:
    """Step-ups whose lead foot never leaves the 40 cm box: a ``hold_s`` set-up with the foot
    on the box, then ``n`` times: stand up on the box and lower the trail foot back down.
    No frame has both feet on the floor, so the hip rise above the floor cannot be measured."""
    t = km.timeline(1.0 + hold_s + 2.6 * n + 1.5, 30.0)
    trail = "left" if lead == "right" else "right"
    rise = np.zeros_like(t)
    for k in range(n):
        rise = rise + km.waveform(t, [km.RepSpec(1.0 + hold_s + 2.6 * k, 0.8, 0.6, 0.8)])
    root = np.zeros((len(t), 3))
    root[:, 1] = 0.93 + 0.40 * rise
    legs = {f"{lead}_leg": km.LegAngles(hip_flexion=60.0 * (1 - rise),
                                         knee_flexion=5.0 + 85.0 * (1 - rise)),
            f"{trail}_leg": km.LegAngles(hip_flexion=np.zeros_like(t),
                                          knee_flexion=np.full_like(t, 5.0))}
    return km.make_sequence(km.BodyPose(**legs), t, "standing", "side", root=root)


@pytest.mark.parametrize("lead", ["left", "right"])
def test_step_ups_without_a_floor_frame_count_each_step_and_not_the_set_up_hold(lead):
    # a 5 s set-up with the foot held on the box, then 3 step-ups: 3 reps, not 4 (the hold is
    # the bottom of the first step-up, not a rep of its own), each credited to the lead leg
    seq = km.add_noise(_step_ups_from_the_box(3, lead, 5.0), px=1.5, world_m=0.003, seed=2)
    res = get_analyzer("lunge").analyze(seq)
    assert len(res.reps) == 3
    assert [r.side for r in res.reps] == [lead] * 3
    assert [r.peak_s < 6.5 for r in res.reps] == [True, False, False]  # one rep per stand-up


@pytest.mark.parametrize("view", ["front", "side"])
@pytest.mark.parametrize("jump_s", [0.1, 0.3])
def test_a_short_landmark_jump_between_reps_is_not_a_rep(view, jump_s):
    # the pose model snaps the rear ankle most of the way up to its knee for jump_s while the
    # person stands between reps 1 and 2: the knee reads ~60 deg more for that time (Hampel
    # outlier rejection and the 0.4 s minimum rep duration keep it out; jumps held for 0.5 s
    # or more still make a rep, see the README's known limits)
    seq = lunge(3, "left", view)
    m = (seq.t_s >= 3.05) & (seq.t_s < 3.05 + jump_s)
    image, world = seq.image.copy(), seq.world.copy()
    shank_px = np.nanmedian(np.linalg.norm(image[:, L.RIGHT_KNEE, :2]
                                           - image[:, L.RIGHT_ANKLE, :2], axis=-1))
    shank_m = np.nanmedian(np.linalg.norm(world[:, L.RIGHT_KNEE] - world[:, L.RIGHT_ANKLE],
                                          axis=-1))
    image[m, L.RIGHT_ANKLE, 1] -= 0.8 * shank_px
    world[m, L.RIGHT_ANKLE, 1] -= 0.8 * shank_m
    jumped = km.add_noise(seq.with_arrays(image=image, world=world), px=1.5, world_m=0.003,
                          seed=1)
    assert len(get_analyzer("lunge").analyze(jumped).reps) == 3


def _split_squats_after_stepping_in(front: str, view: str, step_in: bool) -> km.PoseSequence:
    """3 split squats (front knee to 95 deg) after a shallow 58 deg knee bend at 1.3-2.7 s.
    ``step_in``: during that bend the feet move from together into the split stance (walking a
    bar out of a rack); otherwise the split stance is held from the start (a partial rep)."""
    t = km.timeline(14.0, 30.0)
    rear = "right" if front == "left" else "left"
    x = np.clip((t - 1.0) / 2.0, 0, 1) if step_in else np.ones_like(t)
    stance = x * x * (3 - 2 * x)
    bend = km.waveform(t, [km.RepSpec(1.3, 0.7, 0.0, 0.7)])
    w = km.waveform(t, km.schedule(3, 4.0, 1.0, 0.3, 1.0, 0.7))
    hip = {front: 25.0 * stance + 35.0 * bend + 60.0 * w, rear: -25.0 * stance + 20.0 * w}
    knee = {front: 8.0 + 50.0 * bend + 87.0 * w, rear: 8.0 + 82.0 * w}
    legs = {f"{s}_leg": km.LegAngles(hip_flexion=hip[s], knee_flexion=knee[s],
                                     ankle_dorsiflexion=np.maximum(knee[s] - hip[s], 0))
            for s in (front, rear)}
    anchor = (L.LEFT_HEEL,) if front == "left" else (L.RIGHT_HEEL,)
    return km.make_sequence(km.BodyPose(**legs), t, "standing", view, anchor=anchor)


@pytest.mark.parametrize("view", ["side", "front", "back"])
@pytest.mark.parametrize("front", ["left", "right"])
def test_stepping_into_the_split_stance_is_set_up_but_a_partial_first_rep_counts(front, view):
    res = get_analyzer("lunge").analyze(km.add_noise(
        _split_squats_after_stepping_in(front, view, step_in=True), px=1.5, world_m=0.003,
        seed=4))
    assert len(res.reps) == 3 and all(r.peak_s > 4.0 for r in res.reps)
    assert not any(r.faults for r in res.reps)
    # the same shallow bend without moving the feet is a partial rep: counted and flagged
    res = get_analyzer("lunge").analyze(km.add_noise(
        _split_squats_after_stepping_in(front, view, step_in=False), px=1.5, world_m=0.003,
        seed=4))
    assert len(res.reps) == 4 and res.reps[0].peak_s < 3.0
    assert [("incomplete_rom" in codes(r)) for r in res.reps] == [True, False, False, False]


def test_live_stream_counts_like_batch_and_credits_sides():
    order = ["left", "right", "left"]
    seq = km.add_noise(lunge(3, order, "front", valgus=[0, 90, 0]), px=1.5, seed=6)
    analyzer = get_analyzer("lunge")
    batch = analyzer.analyze(seq)
    live = analyzer.stream(30.0)
    states = [live.update(seq[i]) for i in range(len(seq))]
    done = live.finish()
    assert [r.side for r in done.reps] == [r.side for r in batch.reps] == order
    assert [codes(r) for r in done.reps] == [codes(r) for r in batch.reps]
    assert states[-1].rep_counts == {"left": 2, "right": 1}
