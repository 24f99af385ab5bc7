#!/usr/bin/env python3
"""Fails a Schemathesis pass that ran too few cases of an operation (its NDJSON report as proof).

    floor.py REPORT.ndjson [REPORT.ndjson …] --pass NAME --floor N [--expect openapi.json]

A pass "ran" a case when the API answered it: cases are counted per operation over the examples,
coverage and fuzzing phases from the report's ScenarioFinished events (interactions with a
response). Every operation the pass selected must reach N, except the ones EXCEPTIONS names with
the reason it cannot (and a floor of its own, never above N). With --expect, every operation of
that OpenAPI document must have run in this pass or be excused in NOT_IN_PASS: none is skipped
silently. A pass may span several reports (the key pass runs in two invocations).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict

# Operations whose input space is smaller than the floor: Hypothesis stops once it has drawn every
# distinct case, so more examples cannot be had. Each keeps a floor of its own.
EXCEPTIONS: dict[str, tuple[int, str]] = {
    "GET /healthz": (5, "no parameters: the coverage phase's variants and one generated request are all there is"),
    "GET /readyz": (5, "no parameters: the coverage phase's variants and one generated request are all there is"),
    "POST /api/v1/auth/refresh": (5, "no parameters (the refresh token is a cookie the schema does not describe)"),
    # Fuzzing draws these ids from the resources the run created (links and the resource pool);
    # each is deleted once (204), then Hypothesis has no new id to draw and stops.
    "DELETE /api/v1/agents/{id}": (10, "ids come from the run's own agents, each deletable once"),
    "DELETE /api/v1/knowledge-bases/{id}": (10, "ids come from the run's own knowledge bases, each deletable once"),
    "DELETE /api/v1/knowledge-bases/{id}/documents/{docId}": (
        10,
        "ids come from the run's own documents, each deletable once",
    ),
    "DELETE /api/v1/members/{id}": (5, "ids come from the run's own members, each removable once"),
    "DELETE /api/v1/invitations/{id}": (10, "ids come from the run's own invitations, each revocable once"),
}

# Operations that answer only 401/403 in a pass: the pass cannot authenticate for them, on purpose.
# Any other operation answering nothing but 401/403 fails the pass (it ran, but reached nothing).
UNREACHED: dict[str, dict[str, str]] = {
    "*": {
        "POST /internal/pipelines/run": "operator route: the run never learns LUNEO_OPERATOR_TOKEN, so the "
        "401 is what is checked (operator.int.test.ts runs it with the token)",
        "POST /api/v1/auth/refresh": "needs the refresh-token cookie (path /api/v1/auth), which rotates "
        "on every use; api/src auth tests replay and rotate it",
    },
    "key": {
        "GET /api/v1/auth/me": "an API key has no user: 403 by design (the session pass reaches it)",
        "GET /api/v1/auth/organizations": "an API key has no user: 403 by design (the session pass reaches it)",
    },
}

# Operations a pass leaves out on purpose, and why (they run in another pass).
NOT_IN_PASS: dict[str, dict[str, str]] = {
    "session": {
        "POST /api/v1/auth/logout": "ends the session under test: every later request would answer 401 "
        "(runs in the key pass, and api/src/auth tests sign out for real)",
        "POST /api/v1/auth/switch-organization": "replaces the session under test with a new one "
        "(runs in the key pass; access-lifecycle.int.test.ts switches with cookies)",
        "PATCH /api/v1/members/{id}": "changing a member's role ends their sessions, and the links hand it "
        "the caller's own membership (runs in the key pass)",
        "DELETE /api/v1/members/{id}": "removing a member ends their sessions, the caller's own included "
        "(runs in the key pass)",
    },
}

PHASES = {"examples", "coverage", "fuzzing"}


def scenarios(paths: list[str]):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                # Cheap filter first: the report holds every request and response (tens of MB).
                if line.startswith('{"ScenarioFinished"'):
                    event = json.loads(line)["ScenarioFinished"]
                    if event.get("phase") in PHASES:
                        yield event["recorder"]


def count_cases(paths: list[str]) -> tuple[list[str], dict[str, int], set[str]]:
    """The operations the pass selected (every label with a scenario), their answered cases, and
    the ones reached: answered at least once past authentication, by their own method (the
    coverage phase's other methods answer 405, and OPTIONS its CORS preflight)."""
    counts: dict[str, int] = defaultdict(int)
    reached: set[str] = set()
    for recorder in scenarios(paths):
        label = recorder["label"]
        for interaction in recorder.get("interactions", {}).values():
            response = interaction.get("response")
            if response is None:
                continue
            counts[label] += 1
            own_method = interaction.get("request", {}).get("method") == label.split(" ", 1)[0]
            if own_method and response.get("status_code") not in (401, 403, 405):
                reached.add(label)
        counts[label] += 0
    return sorted(counts), counts, reached


def operations_of(spec_path: str) -> list[str]:
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return sorted(f"{m.upper()} {p}" for p, item in spec["paths"].items() for m in item if m in methods)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("reports", nargs="+")
    parser.add_argument("--pass", dest="pass_name", required=True)
    parser.add_argument("--floor", type=int, required=True)
    parser.add_argument("--expect", help="the OpenAPI document whose every operation this pass must cover")
    args = parser.parse_args()

    selected, counts, reached = count_cases(args.reports)
    unreached_ok = {**UNREACHED["*"], **UNREACHED.get(args.pass_name, {})}
    failures: list[str] = []
    if not selected:
        failures.append("the report has no operation at all")
    for label in selected:
        own, reason = EXCEPTIONS.get(label, (args.floor, ""))
        floor = min(own, args.floor)
        ran = counts.get(label, 0)
        note = f" ({reason})" if reason else ""
        if ran < floor:
            failures.append(f"{label}: {ran} cases run, floor {floor}{note}")
        if label not in reached:
            if label in unreached_ok:
                print(f"[floor] {args.pass_name}: {label} answered only 401/403: {unreached_ok[label]}", file=sys.stderr)
            else:
                failures.append(f"{label}: every case answered 401/403, and no reason given")
    if args.expect:
        expected = operations_of(args.expect)
        excused = NOT_IN_PASS.get(args.pass_name, {})
        for label in expected:
            if label not in selected and label not in excused:
                failures.append(f"{label}: not run in the {args.pass_name} pass, and no reason given")
        for label, why in sorted(excused.items()):
            print(f"[floor] {args.pass_name}: {label} left out: {why}", file=sys.stderr)

    least = sorted(selected, key=lambda label: counts.get(label, 0))[:3]
    summary = ", ".join(f"{label} {counts.get(label, 0)}" for label in least)
    print(
        f"[floor] {args.pass_name}: {len(selected)} operations, {sum(counts.values())} cases answered, "
        f"floor {args.floor} (fewest: {summary})",
        file=sys.stderr,
    )
    for failure in failures:
        print(f"[floor] {args.pass_name}: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
