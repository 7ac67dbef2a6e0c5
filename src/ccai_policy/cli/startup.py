"""Loading what a command process keeps until it ends without the garbage collector's passes.

The command line's imports create about 50,000 objects the collector tracks (functions,
classes, Pydantic's schemas and validators) and free almost none of them. CPython 3.11's
collector runs a pass every 700 allocations and, as the heap grows, passes over all of it:
in a cold `ccai-policy check` of one example, 0.05-0.065 s of CPU time (over a tenth of the
run) went to proving that nothing could be freed; with the imports loaded for good, 0.01 s.
The same objects would also be walked by every full pass of the run after, and in a forked
worker that walk writes to the pages it reads, copying memory shared with the parent.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def loading_for_good() -> Iterator[None]:
    """Run the block with the collector paused, then move everything alive into the permanent
    generation (gc.freeze), which no pass examines. The collector runs as before afterwards;
    objects created later are collected as usual.

    Only for what is loaded once per process and kept to its end (the command line's imports):
    garbage alive at the freeze would never be freed.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
