"""Safety: crisis-language detection, crisis resources and the alerts they raise.

The one function most callers need is :func:`detect`::

    from alongside import safety

    result = safety.detect(text, language="es", history=recent_texts)
    result.level        # Level.NONE, Level.REVIEW or Level.URGENT
    result.categories   # e.g. (Category.MEANS,)
    result.evidence()   # patterns, context, classifier n-grams and nearest examples

This package sits below measures, selfcare, messaging and sessions (they call it) and
above accounts, care and consent; it imports none of the domain apps.
"""

from __future__ import annotations

from alongside.safety.detector import detect
from alongside.safety.result import Category, Context, Detection, Level, PatternHit

__all__ = ["Category", "Context", "Detection", "Level", "PatternHit", "detect"]
