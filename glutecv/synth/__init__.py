"""Synthetic exercise studio: rendered videos of a rigged human body with exact ground truth.

Needs the optional extra ``glutecv[synth]`` (torch, anny, numba); nothing heavy is imported
until a clip is rendered. Entry points: :func:`glutecv.synth.studio.render_clip` and the
``glutecv synth`` command.
"""
