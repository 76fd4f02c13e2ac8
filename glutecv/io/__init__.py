"""Sources (iterators of frames) and sinks (context managers that write atomically)."""
