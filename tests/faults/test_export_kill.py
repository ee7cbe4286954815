"""``casegraph export`` killed mid-way leaves the previous export file intact.

The export streams into a hidden temporary sibling and renames it over the target
only when complete; a SIGKILL in between leaves that temporary file behind (nothing
runs to remove it) but never a truncated target.
"""

from __future__ import annotations

import signal
import subprocess
import time

import pyoxigraph as ox
import pytest

from tests.faults.conftest import CASEGRAPH

pytestmark = pytest.mark.faults

QUADS = 60_000


def test_killed_export_keeps_the_previous_file(tmp_path):
    data_dir = tmp_path / "store"
    store = ox.Store(str(data_dir))
    store.bulk_load(
        "".join(f'<https://w3id.org/casegraph/id/org/o{i}> <https://w3id.org/casegraph/ns#note> '
                f'"第{i}条 {"注" * 30}"@zh-Hans <https://w3id.org/casegraph/id/graph/case/g{i % 40}> .\n'
                for i in range(QUADS)).encode("utf-8"),
        format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    target = tmp_path / "export.trig"
    export = [*CASEGRAPH, "export", "--data-dir", str(data_dir), "-o", str(target)]
    subprocess.run(export, check=True, capture_output=True, timeout=300)
    previous = target.read_bytes()
    assert len(list(ox.parse(previous, ox.RdfFormat.TRIG))) == QUADS

    killed = 0
    for _ in range(3):
        process = subprocess.Popen(export, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            partial = [p for p in tmp_path.glob(".export.trig.*.part") if p.stat().st_size > 0]
            if partial:
                process.send_signal(signal.SIGKILL)
                killed += 1
                break
            time.sleep(0.01)
        process.wait(60)
        assert target.read_bytes() == previous  # whole, never a truncated new one
        for leftover in tmp_path.glob(".export.trig.*.part"):
            leftover.unlink()
    assert killed >= 1, "every export finished before it could be killed"
    subprocess.run(export, check=True, capture_output=True, timeout=300)
    assert len(list(ox.parse(target.read_bytes(), ox.RdfFormat.TRIG))) == QUADS
