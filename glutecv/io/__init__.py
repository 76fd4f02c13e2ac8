"""Sources (iterators of frames) and sinks (context managers that write atomically).

- :mod:`glutecv.io.frames`: :class:`Frame` and the bounded background prefetcher;
- :mod:`glutecv.io.video`: :class:`VideoSource` / :func:`probe` for files (PyAV);
- :mod:`glutecv.io.camera`: live sources (camera, stream URL, file played in real time),
  built on the newest-frame contract of :mod:`glutecv.io.live_source`;
- :mod:`glutecv.io.video_writer`: H.264 MP4 writer;
- :mod:`glutecv.io.atomic`: atomic file writing.

Nothing is imported here: PyAV and OpenCV load only when a source or sink is used.
"""
