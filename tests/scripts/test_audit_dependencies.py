"""The dependency audit's fallback: PyPI's per-project data for what pip-audit skipped.

A loopback server stands in for PyPI's JSON API, so the real HTTP path of the
script is exercised without the network.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
_spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit_dependencies = importlib.util.module_from_spec(_spec)
sys.modules["audit_dependencies"] = audit_dependencies  # dataclasses look their module up
_spec.loader.exec_module(audit_dependencies)

ADVISORY = {"id": "PYSEC-2099-1", "aliases": ["CVE-2099-0001"], "fixed_in": ["2.0.1"],
            "withdrawn": None, "summary": "a test advisory"}
PROJECTS = {
    "vulnerable-latest": {"info": {"version": "2.0.0"}, "vulnerabilities": [ADVISORY]},
    "clean-latest": {"info": {"version": "1.4.0"}, "vulnerabilities": []},
    "behind-latest": {"info": {"version": "3.0.0"}, "vulnerabilities": []},
    "withdrawn-only": {"info": {"version": "1.0.0"},
                       "vulnerabilities": [{**ADVISORY, "withdrawn": "2099-02-01T00:00:00Z"}]},
}


@pytest.fixture(scope="module")
def fake_pypi():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            name = self.path.strip("/").removesuffix("/json")
            body = json.dumps(PROJECTS[name]).encode() if name in PROJECTS else b"{}"
            self.send_response(200 if name in PROJECTS else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def skipped(name: str) -> dict:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI: {name}"}


def run_audit(base_url: str, report: dict, installed: dict[str, str], ignored=()):
    return audit_dependencies.audit(
        report, installed, set(ignored),
        lambda name: audit_dependencies.fetch_project_json(base_url, name))


def test_skipped_packages_at_their_latest_release_are_audited_from_project_data(fake_pypi):
    report = {"dependencies": [skipped("Vulnerable_Latest"), skipped("clean-latest"),
                               skipped("behind-latest"), skipped("not-on-index")]}
    installed = {"vulnerable-latest": "2.0.0", "clean-latest": "1.4.0",
                 "behind-latest": "2.9.0", "not-on-index": "0.1"}
    result = run_audit(fake_pypi, report, installed)
    assert result.vulnerable == {
        "Vulnerable_Latest==2.0.0": ["PYSEC-2099-1 (fixed in 2.0.1)"]}
    assert sorted(result.audited_from_latest_release) == [
        "Vulnerable_Latest==2.0.0", "clean-latest==1.4.0"]
    assert set(result.not_audited) == {"behind-latest==2.9.0", "not-on-index==0.1"}
    assert "latest 3.0.0" in result.not_audited["behind-latest==2.9.0"]


def test_pip_audit_findings_are_kept_and_ignored_or_withdrawn_advisories_dropped(fake_pypi):
    report = {"dependencies": [
        {"name": "old-lib", "version": "1.0", "vulns": [
            {"id": "GHSA-xxxx", "aliases": ["CVE-2099-0002"], "fix_versions": ["1.1"]}]},
        {"name": "fine-lib", "version": "2.0", "vulns": []},
        skipped("vulnerable-latest"), skipped("withdrawn-only")]}
    installed = {"vulnerable-latest": "2.0.0", "withdrawn-only": "1.0.0"}
    result = run_audit(fake_pypi, report, installed, ignored=["CVE-2099-0001"])
    assert result.vulnerable == {"old-lib==1.0": ["GHSA-xxxx (fixed in 1.1)"]}
    assert result.audited == 4
    assert not result.not_audited
