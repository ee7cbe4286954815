"""An unwritable or full data directory: a clear one-line refusal, a 507, nothing corrupted.

Root ignores permission bits, so as root the read-only directory is a read-only bind
mount and the full disk a tiny tmpfs; both are skipped with the reason when mounting
is not allowed (a container without CAP_SYS_ADMIN).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from casegraph.store.oxigraph import OxigraphStore
from tests.faults.conftest import (
    CASEGRAPH,
    case_graph,
    case_graph_iri,
    case_graph_turtle,
    start_serve,
)

pytestmark = [pytest.mark.faults, pytest.mark.remote]


def _mount(*arguments: str) -> None:
    result = subprocess.run(["mount", *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here (mount {' '.join(arguments)}): {result.stderr.strip()}")


@contextlib.contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """Make ``directory`` unwritable for this user, whoever it is."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        try:
            yield
        finally:
            directory.chmod(0o755)
        return
    _mount("--bind", str(directory), str(directory))
    try:
        _mount("-o", "remount,ro,bind", str(directory))
        yield
    finally:
        subprocess.run(["umount", str(directory)], check=True)


@contextlib.contextmanager
def tiny_filesystem(directory: Path, size: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("a small full filesystem needs a tmpfs mount, which needs root")
    directory.mkdir()
    _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory))
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=True)


def fill(directory: Path) -> Path:
    """Write a file until the filesystem is full."""
    filler = directory / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 65536)
    except OSError as error:
        assert error.errno == 28, error
    try:
        while True:  # the last few blocks
            os.write(descriptor, b"\0" * 512)
    except OSError:
        pass
    os.close(descriptor)
    return filler


@pytest.mark.parametrize("mode", [[], ["--production"]], ids=["threaded", "production"])
def test_serve_on_a_read_only_data_dir_exits_with_one_clear_line(tmp_path, mode):
    parent = tmp_path / "parent"
    existing = parent / "store"
    store = OxigraphStore(existing, query_workers=1)
    kept = case_graph("fault-read-only", 1)
    store.replace_graphs({URIRef(case_graph_iri("fault-read-only")): kept})
    store.close()
    with read_only(parent):
        for data_dir in (existing, parent / "new" / "store"):
            result = subprocess.run(
                [*CASEGRAPH, "serve", "--port", "0", "--data-dir", str(data_dir), *mode],
                capture_output=True, text=True, timeout=120,
            )
            assert result.returncode != 0
            lines = (result.stdout + result.stderr).strip().splitlines()
            assert len(lines) == 1, lines
            assert "Traceback" not in lines[0]
            assert str(data_dir) in lines[0] and "cannot be written" in lines[0], lines[0]
    reopened = OxigraphStore(existing, query_workers=1)
    try:
        assert reopened.named_graphs() == [URIRef(case_graph_iri("fault-read-only"))]
        assert reopened.graph(URIRef(case_graph_iri("fault-read-only"))).isomorphic(kept)
    finally:
        reopened.close()


def test_a_write_to_a_full_disk_is_507_and_changes_nothing(tmp_path, serve_processes):
    with tiny_filesystem(tmp_path / "disk", "24m") as disk:
        served = start_serve(disk / "store", log_dir=tmp_path)
        serve_processes.append(served)
        bundled = case_graph_iri("jinan-water-group")
        before = served.graph(bundled)
        target = case_graph_iri("fault-full-disk")
        assert served.put_graph(target, case_graph_turtle("fault-full-disk", 1)) == 201
        filler = fill(disk)
        with pytest.raises(urllib.error.HTTPError) as refused:
            served.put_graph(target, case_graph_turtle("fault-full-disk", 2))
        assert refused.value.code == 507
        message = json.loads(refused.value.read())["error"]["message"]
        assert "no space left" in message and str(disk / "store") in message, message
        assert served.graph(target).isomorphic(case_graph("fault-full-disk", 1))
        assert served.get("/sparql?query=ASK%7B%7D").status == 200  # reads go on
        filler.unlink()
        assert served.put_graph(target, case_graph_turtle("fault-full-disk", 3)) == 204
        served.kill_9()
        served = start_serve(disk / "store", log_dir=tmp_path)
        serve_processes.append(served)
        assert served.graph(target).isomorphic(case_graph("fault-full-disk", 3))
        assert served.graph(bundled).isomorphic(before)
        served.stop()
