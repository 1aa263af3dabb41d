"""Pydantic models of our scoring metadata (<code>.scoring.json): every rule carries its source."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Operator = Literal["=", "!=", ">", "<", ">=", "<="]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BandSpec(_Strict):
    min: float
    max: float
    label: str = Field(min_length=1)


class BandsSpec(_Strict):
    source: str = Field(min_length=10)
    bands: list[BandSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> BandsSpec:
        for lower, upper in zip(self.bands, self.bands[1:], strict=False):
            if not (lower.min <= lower.max < upper.min <= upper.max):
                raise ValueError(f"bands overlap or are out of order at {upper.label!r}")
        return self


class TotalSpec(_Strict):
    multiplier: float = 1
    source: str = Field(min_length=10)


class ReverseSpec(_Strict):
    items: list[str] = Field(min_length=1)
    source: str = Field(min_length=10)


class ProrateSpec(_Strict):
    max_missing: int = Field(ge=1)
    source: str = Field(min_length=10)


class SubscaleSpec(_Strict):
    name: str
    label: str
    items: list[str] = Field(min_length=1)
    multiplier: float = 1
    source: str = Field(min_length=10)
    bands: BandsSpec | None = None


class CasenessSpec(_Strict):
    operator: Literal[">=", "<="]
    value: float
    source: str = Field(min_length=10)


class CriticalSpec(_Strict):
    item: str
    operator: Operator
    value: int
    description: str = Field(min_length=5)
    source: str = Field(min_length=10)


class ComputedEnableWhenSpec(_Strict):
    question: Literal["$total"]
    operator: Operator
    answer: int
    source: str = Field(min_length=10)


class ReliableChangeSpec(_Strict):
    """Reliable change of the total: a published index, Jacobson-Truax from a published SD and reliability, or none.

    A change of exactly the value counts as reliable (NHS Talking Therapies: a fall of 6 or more on the PHQ-9).
    """

    value: float | None
    method: Literal["published", "jacobson_truax", "none"]
    source: str = ""
    note: str = ""
    sd: float | None = None
    reliability: float | None = None
    reliability_kind: Literal["test_retest", "cronbach_alpha"] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ReliableChangeSpec:
        if self.method == "published" and (self.value is None or not self.source):
            raise ValueError("a published reliable change needs a value and a source")
        if self.method == "jacobson_truax" and (
            self.sd is None or self.reliability is None or self.reliability_kind is None or not self.source
        ):
            raise ValueError("Jacobson-Truax needs the published SD, reliability (and which kind) and their source")
        if self.method == "jacobson_truax" and self.value is not None:
            raise ValueError("a Jacobson-Truax value is computed from SD and reliability, not written down")
        if self.method != "jacobson_truax" and (self.sd is not None or self.reliability is not None):
            raise ValueError("SD and reliability belong to the Jacobson-Truax method")
        if self.method == "none" and (self.value is not None or not self.note):
            raise ValueError("'none' has no value and needs a note saying why")
        return self


class ScoringSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9]+$")
    name: str
    short_name: str
    licence: str = Field(min_length=10)
    citation: str = Field(min_length=10)
    validated: bool = True
    loinc_total: str | None
    loinc_total_source: str = ""
    recall_period: str
    preamble: str
    wording_source: str = ""  # where the item wording and answer labels were checked, and any adaptation
    higher_is_better: bool
    no_total: bool = False
    unscored_items: list[str] = []
    computed_enable_when: dict[str, ComputedEnableWhenSpec] = {}
    total: TotalSpec | None = None
    reverse: ReverseSpec | None = None
    prorate: ProrateSpec | None = None
    bands: BandsSpec | None = None
    subscales: list[SubscaleSpec] = []
    caseness: CasenessSpec | None = None
    critical: list[CriticalSpec] = []
    reliable_change: ReliableChangeSpec
    rule: Literal["pcl5", "who5", "auditc", "cssrs", "phq15", "wsas"] | None = None
    rule_params: dict[str, Any] = {}
    rule_source: str = ""

    @model_validator(mode="after")
    def _rule_has_source(self) -> ScoringSpec:
        if self.rule and len(self.rule_source) < 10:
            raise ValueError("an instrument-specific rule needs its source")
        if self.loinc_total and not self.loinc_total_source:
            raise ValueError("a LOINC code needs its source")
        return self
