"""`make lint`'s dependency audit: pip-audit over the packages installed in this virtualenv.

A known vulnerability fails the run, always. What does not fail it is the vulnerability
service being out of reach (a closed network, a PyPI mirror without the JSON API): then the
audit checked nothing, and this says so loudly instead of pip-audit's bare "No known
vulnerabilities found" over a list of skipped packages. Any other error of pip-audit fails.

    python .ci/pip_audit.py [extra pip-audit arguments]
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = os.environ.get("PIP_AUDIT") or Path(sys.executable).with_name("pip-audit")
# What a network failure looks like in pip-audit's error output (requests / urllib3 / OS).
NETWORK_ERROR = re.compile(
    r"ConnectionError|ConnectTimeout|ReadTimeout|Max retries exceeded|NameResolutionError|"
    r"Name or service not known|Temporary failure in name resolution|Network is unreachable|"
    r"Connection refused|timed out",
    re.IGNORECASE,
)
# A package pip-audit could not look up (the service did not know it, or did not answer).
NOT_AUDITED = "could not be audited"


def main() -> int:
    command = [str(PIP_AUDIT), "--skip-editable", "--progress-spinner", "off", "--format", "json"]
    result = subprocess.run(  # noqa: S603  # nosec B603 - fixed argv, no shell
        [*command, *sys.argv[1:]], capture_output=True, text=True, timeout=600
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = None
    if report is None:
        if NETWORK_ERROR.search(result.stderr):
            print("pip-audit: the vulnerability service is out of reach; NOTHING WAS AUDITED.")
            print(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "")
            return 0
        sys.stderr.write(result.stderr)
        print(f"pip-audit failed (exit {result.returncode}) without a report", file=sys.stderr)
        return result.returncode or 1

    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixed})")
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} vulnerable package(s)", file=sys.stderr)
        return 1
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    skipped = sum(NOT_AUDITED in dep.get("skip_reason", "") for dep in dependencies)
    if skipped and not audited:
        print(
            f"pip-audit: the vulnerability service answered for none of the {skipped} packages "
            "(no network, or a mirror without PyPI's JSON API); NOTHING WAS AUDITED."
        )
        return 0
    print(f"pip-audit: {len(audited)} packages audited, no known vulnerabilities", end="")
    print(f" ({skipped} not found on the service)" if skipped else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
