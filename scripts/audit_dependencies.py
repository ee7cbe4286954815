"""Audit the installed Python packages for known vulnerabilities; exit 1 on any.

pip-audit looks each installed release up in PyPI's per-release JSON
(``/pypi/NAME/VERSION/json``), whose ``vulnerabilities`` come from the PyPA
advisory database via OSV.  Some build networks (this project's among them)
reach only PyPI's per-project JSON (``/pypi/NAME/json``); pip-audit then skips
every package as "not found" and exits 0 having audited nothing.  This script
runs pip-audit first and, for each package it skipped, reads the per-project
JSON: its ``vulnerabilities`` are those of the project's latest release, so a
package installed at that release is audited from it, and any other package is
listed as not audited (installed and latest version).  It fails when a known
vulnerability is found, and also when nothing at all could be audited, so an
unreachable index never passes as a clean audit.

    python scripts/audit_dependencies.py [--ignore-vuln ID ...]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PYPI_JSON = "https://pypi.org/pypi"
TIMEOUT_SECONDS = 30


@dataclass
class AuditResult:
    """What the audit found, by package ``name==version``."""

    vulnerable: dict[str, list[str]] = field(default_factory=dict)
    audited_by_pip_audit: list[str] = field(default_factory=list)
    audited_from_latest_release: list[str] = field(default_factory=list)
    not_audited: dict[str, str] = field(default_factory=dict)

    @property
    def audited(self) -> int:
        return len(self.audited_by_pip_audit) + len(self.audited_from_latest_release)


def normalised(name: str) -> str:
    """PEP 503 name normalisation, as PyPI's URLs expect."""
    return re.sub(r"[-_.]+", "-", name).lower()


def fetch_project_json(base_url: str, name: str) -> dict | None:
    """PyPI's per-project JSON, or None when the index does not answer for it."""
    try:
        with urllib.request.urlopen(f"{base_url}/{normalised(name)}/json",
                                    timeout=TIMEOUT_SECONDS) as answer:
            return json.load(answer)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None


def advisory_ids(vulnerabilities: Iterable[dict], ignored: set[str]) -> list[str]:
    """Advisory ids with their fixed versions, leaving out withdrawn and ignored ones."""
    found = []
    for vulnerability in vulnerabilities:
        names = {vulnerability.get("id"), *(vulnerability.get("aliases") or ())}
        if vulnerability.get("withdrawn") or names & ignored:
            continue
        fixed = ", ".join(vulnerability.get("fixed_in") or vulnerability.get("fix_versions")
                          or ()) or "no fixed release"
        found.append(f"{vulnerability.get('id')} (fixed in {fixed})")
    return found


def installed_versions() -> dict[str, str]:
    """Installed distributions of this interpreter (pip-audit's report omits skipped ones')."""
    return {normalised(d.metadata["Name"]): d.version
            for d in importlib.metadata.distributions() if d.metadata["Name"]}


def audit(pip_audit_report: dict, installed: dict[str, str], ignored: set[str],
          fetch: Callable[[str], dict | None]) -> AuditResult:
    """Combine pip-audit's report with per-project data for the packages it skipped."""
    result = AuditResult()
    skipped = []
    for dependency in pip_audit_report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(dependency)
            continue
        package = f"{dependency['name']}=={dependency['version']}"
        result.audited_by_pip_audit.append(package)
        if found := advisory_ids(dependency.get("vulns", []), ignored):
            result.vulnerable[package] = found
    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = list(pool.map(lambda d: fetch(d["name"]), skipped))
    for dependency, project in zip(skipped, projects, strict=True):
        version = dependency.get("version") or installed.get(normalised(dependency["name"]))
        package = f"{dependency['name']}=={version}"
        if project is None:
            result.not_audited[package] = dependency["skip_reason"]
        elif version is None or project["info"]["version"] != version:
            result.not_audited[package] = (
                f"installed {version}, latest {project['info']['version']}: PyPI's "
                "per-release data is unreachable, its per-project data covers the latest only")
        else:
            result.audited_from_latest_release.append(package)
            if found := advisory_ids(project.get("vulnerabilities", []), ignored):
                result.vulnerable[package] = found
    return result


def run_pip_audit(ignored: Iterable[str]) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "pip-audit.json"
        command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner",
                   "off", "--format", "json", "--output", str(report)]
        for advisory in ignored:
            command += ["--ignore-vuln", advisory]
        completed = subprocess.run(command, capture_output=True, text=True)
        if not report.exists():
            raise SystemExit(f"pip-audit failed (exit {completed.returncode}):\n{completed.stderr}")
        return json.loads(report.read_text())


def print_result(result: AuditResult) -> None:
    total = result.audited + len(result.not_audited)
    print(f"dependency audit: {result.audited} of {total} installed packages audited "
          f"({len(result.audited_by_pip_audit)} by pip-audit per release, "
          f"{len(result.audited_from_latest_release)} from PyPI's latest-release data)")
    for package, reason in sorted(result.not_audited.items()):
        print(f"  not audited: {package}: {reason}")
    for package, advisories in sorted(result.vulnerable.items()):
        print(f"  VULNERABLE: {package}: {'; '.join(advisories)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ignore-vuln", action="append", default=[], metavar="ID",
                        help="an advisory id (or alias) judged not to apply; repeatable")
    arguments = parser.parse_args()
    ignored = set(arguments.ignore_vuln)
    result = audit(run_pip_audit(ignored), installed_versions(), ignored,
                   lambda name: fetch_project_json(PYPI_JSON, name))
    print_result(result)
    if result.vulnerable:
        print(f"dependency audit failed: {len(result.vulnerable)} package(s) with known "
              "vulnerabilities")
        return 1
    if not result.audited:
        print("dependency audit failed: no package could be audited (is PyPI reachable?)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
