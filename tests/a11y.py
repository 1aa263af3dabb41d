"""Accessibility checks in browser tests: axe-core (from npm) run inside the page under test.

axe is injected with ``page.evaluate`` of its own source, so the strict CSP
(``script-src 'self'``) does not block it: the code runs as a Playwright evaluation,
not as a page script element.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}
IMPACT_ORDER = ("critical", "serious", "moderate", "minor")


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(f"{AXE_PATH} is missing: run `make install` (npm ci) first")
    return AXE_PATH.read_text(encoding="utf-8")


def run_axe(page: Page, *, violations_only: bool = False) -> dict[str, Any]:
    """Inject axe-core into ``page`` (once per document) and return its results for the WCAG A/AA rules.

    With ``violations_only`` axe aggregates only the violations (its ``resultTypes`` option) and only they come
    back from the page: the passes of a long page are thousands of nodes, serialised for nothing by a sweep
    that reads only the violations.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    if not page.evaluate("() => typeof window.axe?.run === 'function'"):
        raise AssertionError("axe-core did not load into the page")
    if violations_only:
        return page.evaluate(
            "tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
            ".then(results => ({violations: results.violations}))",
            WCAG_TAGS,
        )
    return page.evaluate(
        "tags => window.axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )


def assert_no_serious_axe_violations(page: Page, *, context_label: str) -> str:
    """Run axe on ``page``; print and return a one-line summary; fail on any serious or critical violation."""
    results = run_axe(page)
    violations = results["violations"]
    counts = Counter(v.get("impact") or "unknown" for v in violations)
    parts = [f"{impact} {counts[impact]}" for impact in IMPACT_ORDER]
    rules = ", ".join(f"{v['id']}({v.get('impact')})" for v in violations)
    review = sorted({v["id"] for v in results.get("incomplete", [])})
    summary = f"axe [{context_label}]: {len(violations)} violations ({', '.join(parts)})" + (
        f": {rules}" if rules else ""
    )
    if review:
        summary += f"; to review by hand: {', '.join(review)}"
    print(summary)
    bad = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    if bad:
        lines = [summary]
        for v in bad:
            targets = [
                "; ".join(" ".join(t) if isinstance(t, list) else t for t in n["target"]) for n in v["nodes"][:3]
            ]
            lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({len(v['nodes'])} nodes): {targets}")
            if v["nodes"]:
                detail = (v["nodes"][0].get("failureSummary") or "").strip().splitlines()
                lines.append(f"    {detail[-1].strip() if detail else ''}")
        raise AssertionError("\n".join(lines))
    return summary
