"""The measurements behind ``benchmarks/speed.py`` (one function per section)."""

from __future__ import annotations

import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (helpers, workers), in seconds.

    Unlike wall time it hardly depends on what else the machine is running, so the CPU cost per
    frame of each mode tells what an idle machine would do: n cores -> n / cost frames a second.
    """
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bare_inference(clip: Path, model: str) -> dict:
    """The floor: decode and infer in one thread, one after the other, nothing else."""
    from glutecv.io.video import VideoSource
    from glutecv.pose.estimator import PoseEstimator

    with PoseEstimator(model) as est, VideoSource(clip, pixel_format="rgb24",
                                                  prefetch=0) as src:
        frames = iter(src)
        dec = inf = 0.0
        n = 0
        start = time.perf_counter()
        cpu0 = cpu_seconds()
        while True:
            t0 = time.perf_counter()
            frame = next(frames, None)
            t1 = time.perf_counter()
            if frame is None:
                break
            est.estimate(frame)
            t2 = time.perf_counter()
            dec += t1 - t0
            inf += t2 - t1
            n += 1
        wall = time.perf_counter() - start
        cpu = cpu_seconds() - cpu0
    return {"fps": n / wall, "decode_ms": 1e3 * dec / n, "infer_ms": 1e3 * inf / n, "frames": n,
            "cpu_ms_per_frame": 1e3 * cpu / n}


def decode_only(clip: Path) -> dict:
    from glutecv.io.video import VideoSource

    with VideoSource(clip, pixel_format="bgr24", prefetch=0) as src:
        t0 = time.perf_counter()
        n = sum(1 for _ in src)
        wall = time.perf_counter() - t0
    return {"ms": 1e3 * wall / n, "fps": n / wall, "frames": n}


def draw_and_encode(clip: Path, frames: int = 90) -> dict:
    """Overlay drawing alone and H.264 encoding alone, per frame, on the clip's frames."""
    from glutecv import kinematics as km
    from glutecv.annotate import build_overlay
    from glutecv.io.video import VideoSource
    from glutecv.io.video_writer import VideoWriter
    from glutecv.render import VIDEO_PRESET
    from glutecv.results import FrameState

    with VideoSource(clip, pixel_format="bgr24", max_frames=frames) as src:
        images = [f.image for f in src]
        w, h = src.width, src.height
    t = km.timeline(len(images) / 30.0, fps=30)
    seq = km.make_sequence(km.BodyPose(), t, "standing", "front")
    overlay = build_overlay(w, h)
    state = FrameState(1.0, True, "rising", {"L knee": 95.0, "R knee": 170.0},
                       {"left": 3, "right": 2}, "push your knees out")
    copies = [im.copy() for im in images]
    t0 = time.perf_counter()
    for i, im in enumerate(copies):
        overlay.annotate(im, seq[min(i, len(seq) - 1)], state, 30.0)
    draw_ms = 1e3 * (time.perf_counter() - t0) / len(copies)
    out = Path(REPO / "benchmarks" / "results" / ".encode-test.mp4")
    t0 = time.perf_counter()
    with VideoWriter(out, w, h, 30.0, preset=VIDEO_PRESET) as writer:
        for im in copies:
            writer.write(im)
    encode_ms = 1e3 * (time.perf_counter() - t0) / len(copies)
    out.unlink(missing_ok=True)
    return {"draw_ms": draw_ms, "encode_ms": encode_ms, "encode_preset": VIDEO_PRESET}


def batch_throughput(clip: Path, exercise: str, model: str, copies: int, work: Path) -> dict:
    """Frames per second over a batch of copies of ``clip`` with 1 and 2 worker processes."""
    from glutecv.batch import find_inputs, plan_jobs, run_batch

    src = work / "batch-in"
    src.mkdir(exist_ok=True)
    for i in range(copies):
        link = src / f"copy{i}{clip.suffix}"
        if not link.exists():
            link.symlink_to(clip.resolve())
    bare = bare_inference(clip, model)
    result: dict = {"videos": copies, "bare_fps": bare["fps"],
                    "bare_cpu_ms_per_frame": bare["cpu_ms_per_frame"]}
    for video in (True, False):
        tag = "" if video else "_no_video"
        for workers in (1, 2):
            jobs = plan_jobs(find_inputs([src]), work / f"batch-out-{workers}{tag}")
            t0, cpu0 = time.perf_counter(), cpu_seconds()
            outcomes = run_batch(jobs, exercise=exercise, model=model, video=video,
                                 force=True, workers=workers)
            wall, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
            assert all(o.status == "done" for o in outcomes), outcomes
            frames = sum(o.frames for o in outcomes)
            result[f"fps_jobs{workers}{tag}"] = frames / wall
            result[f"cpu_ms_per_frame_jobs{workers}{tag}"] = 1e3 * cpu / frames
        result[f"ratio_jobs2_to_bare{tag}"] = result[f"fps_jobs2{tag}"] / bare["fps"]
    return result


def live_latency(clip: Path, exercise: str, model: str) -> dict:
    """Capture -> drawn overlay latency of live mode over the clip played in real time."""
    from glutecv.io.camera import open_live_source
    from glutecv.live import LiveSession
    from glutecv.pose.estimator import PoseEstimator

    with PoseEstimator(model) as est, open_live_source(str(clip), realtime=True) as source:
        session = LiveSession(source, est, exercise, fps_hint=source.fps)
        summary = session.run()
        captured, dropped = source.captured, source.dropped
    lat = np.array(summary.latencies_ms)
    half = len(lat) // 2
    return {"p50_ms": float(np.percentile(lat, 50)), "p95_ms": float(np.percentile(lat, 95)),
            "max_ms": float(lat.max()), "analysed": summary.frames_analysed,
            "source_frames": captured, "dropped": dropped,
            "p50_first_half_ms": float(np.percentile(lat[:half], 50)),
            "p50_second_half_ms": float(np.percentile(lat[half:], 50))}


def looped_copy(clip: Path, work: Path, loops: int, width: int = 480) -> Path:
    """The clip scaled to ``width`` px wide and repeated ``loops`` times (a long video)."""
    import av

    out = work / f"loop{loops}.mp4"
    if out.exists():
        return out
    with av.open(str(clip)) as c:
        s = c.streams.video[0]
        height = int(round(s.height * width / s.width / 2)) * 2
        frames = [f.to_ndarray(format="rgb24", width=width, height=height) for f in c.decode(s)]
    with av.open(str(out), "w") as o:
        st = o.add_stream("libx264", rate=Fraction(30))
        st.width, st.height, st.pix_fmt = width, height, "yuv420p"
        st.options = {"preset": "ultrafast"}
        for _ in range(loops):
            for img in frames:
                for p in st.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                    o.mux(p)
        for p in st.encode():
            o.mux(p)
    return out


def peak_rss_of_analyze(video: Path, exercise: str, model: str, work: Path) -> dict:
    """Peak RSS (VmHWM) of a fresh process running ``analyze`` on ``video`` with all outputs."""
    code = (
        "import sys, glutecv\n"
        f"r = glutecv.analyze({str(video)!r}, exercise={exercise!r}, model={model!r}, "
        f"out_dir={str(work / 'mem')!r})\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(r.video['frames'], r.video['width'], r.video['height'], int(hwm) / 1024)\n"
    )
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=True)
    frames, w, h, mb = proc.stdout.split()[-4:]
    return {"frames": int(frames), "size": f"{w}x{h}", "peak_rss_mb": float(mb),
            "seconds": time.perf_counter() - t0}


def analysis_fps(clip: Path, exercise: str, work: Path, repeat: int = 10) -> dict:
    """Everything after the landmarks (smoothing, analysis, result) on a recorded .npz."""
    import glutecv
    from glutecv.pipeline import analyze_sequence
    from glutecv.pose.types import PoseSequence
    from glutecv.pose_pass import extract_pose

    npz = next(work.glob("e2e-*/landmarks.npz"), None)
    seq = PoseSequence.load_npz(npz) if npz else extract_pose(clip, "lite")
    n = len(seq)
    dt = float(np.median(np.diff(seq.t_s)))
    span = seq.t_s[-1] - seq.t_s[0] + dt
    long = PoseSequence(
        np.concatenate([seq.t_s + k * span for k in range(repeat)]),
        np.concatenate([seq.image] * repeat), np.concatenate([seq.world] * repeat),
        np.concatenate([seq.visibility] * repeat), np.concatenate([seq.presence] * repeat),
        seq.width, seq.height, dict(seq.meta))
    analyze_sequence(seq, exercise)  # warm up imports
    t0 = time.perf_counter()
    analyze_sequence(long, exercise)
    wall = time.perf_counter() - t0
    long.save_npz(work / "long.npz")
    t0 = time.perf_counter()
    glutecv.analyze(work / "long.npz", exercise=exercise, out_dir=work / "npz-out", video=False)
    wall_io = time.perf_counter() - t0
    return {"frames": n * repeat, "fps": n * repeat / wall,
            "fps_with_loading_and_writing": n * repeat / wall_io}
