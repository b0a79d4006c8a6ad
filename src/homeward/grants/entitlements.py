"""What a grant may be: its amount worked out from the programme's entitlements for the case.

No writes here: the services and the pages both ask this module what the rules
give, so the page offers only what the service would accept.

How an amount is computed (the entitlement the grant is checked against):

- **pre-departure cash, arrival grant**: for a member, the lines of that member
  (e.g. "per person, adult"); for the household (no member), every line of the
  benefit, the household lines (a large-family bonus, a family cap) included. Either
  way never more than what is left of the benefit after the live grants already
  proposed, approved or paid, so member grants and a household grant never add up
  to more than the family is entitled to.
- **per diem**: counted per person and per day: ``days × per_day``, ``days`` from 1
  to the programme's ``max_days``, for a member entitled to it.
- **reintegration in cash**: one approved plan component delivered in cash; its
  budget is the most the grant may be, and only where the programme lets
  reintegration be paid in cash (with ``mixed``, up to ``cash_share_max`` of the plans).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from homeward.cases import eligibility
from homeward.core.errors import ServiceError
from homeward.grants.models import Grant
from homeward.grants.policy import LIVE
from homeward.programmes import rules
from homeward.programmes.schema import Benefits
from homeward.programmes.schema import RuleVersion as RuleVersionSchema
from homeward.reintegration.models import Component, Plan

K = Grant.Kind
CENT = Decimal("0.01")
BENEFIT = {
    K.PRE_DEPARTURE_CASH: "pre_departure_cash",
    K.PER_DIEM: "per_diem",
    K.ARRIVAL: "arrival_grant",
    K.REINTEGRATION: "reintegration",
}


def kind_label(kind: str) -> str:
    return str(K(kind).label)


@dataclass
class Basis:
    """The latest assessment of the case and what its rules give."""

    assessment: Any
    result: rules.Entitlements
    benefits: Benefits

    @property
    def programme(self) -> Any:
        return self.assessment.programme

    @property
    def eligible(self) -> bool:
        return self.result.outcome == rules.ELIGIBLE

    def lines(self, kind: str) -> list[rules.Line]:
        return [line for line in self.result.lines if line.benefit == BENEFIT[kind]]

    def gives(self, kind: str) -> bool:
        return getattr(self.benefits, BENEFIT[kind]) is not None

    @property
    def reintegration_payment(self) -> str:
        reint = self.benefits.reintegration
        return reint.payment if reint is not None else "in_kind"


def basis_of(case: Any) -> Basis | None:
    """What the latest assessment gives, or None before any assessment."""
    assessment = eligibility.latest_assessment(case)
    if assessment is None:
        return None
    benefits = RuleVersionSchema.model_validate(assessment.rules).benefits
    return Basis(assessment, eligibility.entitlements_of(assessment), benefits)


def offered_kinds(basis: Basis | None) -> list[str]:
    """The kinds the programme gives: reintegration cash never where it pays in kind only."""
    if basis is None or not basis.eligible:
        return []
    kinds = [kind for kind in (K.PRE_DEPARTURE_CASH, K.PER_DIEM, K.ARRIVAL) if basis.gives(kind)]
    if basis.gives(K.REINTEGRATION) and basis.reintegration_payment != "in_kind":
        kinds.append(K.REINTEGRATION)
    return kinds


def require_basis(case: Any, kind: str) -> Basis:
    """The basis for a grant of ``kind``, or the reason there is none, in words."""
    basis = basis_of(case)
    if basis is None:
        raise ServiceError(
            _("Eligibility has not been assessed: a grant is computed from the programme's entitlements.")
        )
    if not basis.eligible:
        raise ServiceError(_("The case is not assessed eligible: no grant can be proposed."))
    if not basis.gives(kind):
        message = _("The programme %(programme)s gives no %(kind)s.") % {
            "programme": basis.programme.code,
            "kind": kind_label(kind),
        }
        raise ServiceError(message, {"kind": [message]})
    if kind == K.REINTEGRATION and basis.reintegration_payment == "in_kind":
        message = _("This programme pays reintegration in kind only: no cash.")
        raise ServiceError(message, {"kind": [message]})
    lines = basis.lines(kind)
    if not lines:
        message = _("Nobody in this case is entitled to %(kind)s.") % {"kind": kind_label(kind)}
        raise ServiceError(message, {"kind": [message]})
    # Like ``Entitlements.payable``, for this benefit: a placeholder amount is never paid.
    if not all(line.confirmed for line in lines):
        raise ServiceError(
            _("The programme's %(kind)s amount is a placeholder: nobody has confirmed the amount yet.")
            % {"kind": kind_label(kind)}
        )
    return basis


@dataclass(frozen=True)
class Computed:
    entitled: Decimal
    currency: str
    basis: str
    days: int | None = None
    member: Any = None


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def _live(case: Any, kind: str, exclude: int | None = None) -> Any:
    grants = Grant.objects.filter(case=case, kind=kind, status__in=LIVE)
    return grants.exclude(pk=exclude) if exclude else grants


def granted(case: Any, kind: str) -> Decimal:
    return _live(case, kind).aggregate(total=Sum("amount", default=Decimal(0)))["total"]


def _describe(lines: Iterable[rules.Line]) -> str:
    return "; ".join(
        f"{line.member or _('household')}: {line.rule} {_money(line.amount)} {line.currency}" for line in lines
    )


def _per_person(basis: Basis, case: Any, kind: str, member: Any) -> Computed:
    lines = basis.lines(kind)
    currency = lines[0].currency
    total = sum((line.amount for line in lines), Decimal(0))
    taken = granted(case, kind)
    left = total - taken
    if member is not None:
        name = member.person.full_name
        mine = [line for line in lines if line.member == name]
        if not mine:
            message = _("%(name)s is not entitled to %(kind)s.") % {"name": name, "kind": kind_label(kind)}
            raise ServiceError(message, {"member": [message]})
        entitled = min(sum((line.amount for line in mine), Decimal(0)), left)
        basis_text = _describe(mine)
    else:
        entitled = left
        basis_text = _describe(lines)
    if taken:
        basis_text += "; " + _("already granted: %(amount)s %(currency)s") % {
            "amount": _money(taken),
            "currency": currency,
        }
    return Computed(_money(max(entitled, Decimal(0))), currency, basis_text, None, member)


def _per_diem(basis: Basis, member: Any, days: int | None) -> Computed:
    rule = basis.benefits.per_diem
    assert rule is not None  # noqa: S101 - require_basis checked the programme gives it
    if member is None:
        message = _("Per-diem benefits are counted per person: choose who they are for.")
        raise ServiceError(message, {"member": [message]})
    name = member.person.full_name
    if not any(line.member == name for line in basis.lines(K.PER_DIEM)):
        message = _("%(name)s is not entitled to per-diem benefits.") % {"name": name}
        raise ServiceError(message, {"member": [message]})
    if days is None or not 1 <= days <= rule.max_days:
        message = _("Count the days: from 1 to %(max)s.") % {"max": rule.max_days}
        raise ServiceError(message, {"days": [message]})
    per_day = _money(rule.per_day.value)
    text = _("%(days)s days at %(rate)s %(currency)s a day (at most %(max)s days)") % {
        "days": days,
        "rate": per_day,
        "currency": rule.currency,
        "max": rule.max_days,
    }
    return Computed(_money(per_day * days), rule.currency, text, days, member)


def plans_total(case: Any) -> Decimal:
    """The budgets of every component not cancelled in the case's approved plans."""
    return (
        Component.objects.filter(plan__case=case, plan__status=Plan.Status.APPROVED)
        .exclude(status=Component.Status.CANCELLED)
        .aggregate(total=Sum("budget", default=Decimal(0)))["total"]
    )


def cash_limit(basis: Basis, case: Any) -> Decimal | None:
    """The most a case may receive as reintegration cash: all of its cash components'
    budgets, or with ``mixed`` at most ``cash_share_max`` of its plans; None when in kind only."""
    payment = basis.reintegration_payment
    if payment == "in_kind":
        return None
    cash = (
        Component.objects.filter(plan__case=case, plan__status=Plan.Status.APPROVED, delivery=Component.Delivery.CASH)
        .exclude(status=Component.Status.CANCELLED)
        .aggregate(total=Sum("budget", default=Decimal(0)))["total"]
    )
    if payment == "mixed":
        share = basis.benefits.reintegration.cash_share_max or Decimal(0)  # type: ignore[union-attr]
        return min(cash, _money(plans_total(case) * share))
    return cash


def _reintegration(basis: Basis, case: Any, component: Any) -> Computed:
    def refuse(message: str) -> ServiceError:
        return ServiceError(message, {"component": [message]})

    if component is None:
        raise refuse(_("Choose the plan component paid in cash."))
    plan = component.plan
    if plan.case_id != case.pk:
        raise refuse(_("Choose a component of this case's plan."))
    if component.delivery != Component.Delivery.CASH:
        raise refuse(_("This component is delivered in kind, through a provider: it is not paid in cash."))
    if plan.status != Plan.Status.APPROVED:
        raise refuse(_("The plan is not approved yet: its components cannot be paid."))
    if component.status in (Component.Status.CANCELLED, Component.Status.DELIVERED):
        raise refuse(
            _("This component is %(status)s: it is not paid again.") % {"status": component.get_status_display()}
        )
    text = _("%(component)s, budget %(amount)s %(currency)s") % {
        "component": component.get_kind_display(),
        "amount": _money(component.budget),
        "currency": plan.currency,
    }
    return Computed(_money(component.budget), plan.currency, text, None, plan.member)


def compute(
    basis: Basis, case: Any, kind: str, *, member: Any = None, days: int | None = None, component: Any = None
) -> Computed:
    """The entitlement a new grant of ``kind`` is held to (see the module's docstring)."""
    if kind == K.PER_DIEM:
        return _per_diem(basis, member, days)
    if kind == K.REINTEGRATION:
        return _reintegration(basis, case, component)
    return _per_person(basis, case, kind, member)


def check_cash_share(basis: Basis, case: Any, amount: Decimal) -> None:
    """Rule (``payment: mixed``): the case's reintegration cash stays within ``cash_share_max`` of its plans."""
    if basis.reintegration_payment != "mixed":
        return
    share = basis.benefits.reintegration.cash_share_max or Decimal(0)  # type: ignore[union-attr]
    allowed = _money(plans_total(case) * share)
    already = granted(case, K.REINTEGRATION)
    if already + amount > allowed:
        message = _(
            "The programme pays at most %(share)s%% of the plan in cash (%(allowed)s): %(already)s is already granted in cash."
        ) % {"share": int(share * 100), "allowed": allowed, "already": _money(already)}
        raise ServiceError(message, {"amount": [message]})


@dataclass(frozen=True)
class KindSummary:
    kind: str
    label: str
    entitled: Decimal
    granted: Decimal
    currency: str
    note: str = ""

    @property
    def left(self) -> Decimal:
        return max(self.entitled - self.granted, Decimal(0))


def summary(case: Any, basis: Basis | None, grants: list[Grant]) -> list[KindSummary]:
    """Per kind the programme gives: what the case is entitled to, what its live grants take, what is left."""
    rows = []
    for kind in offered_kinds(basis):
        assert basis is not None  # noqa: S101 - offered_kinds is empty without one
        live = [g for g in grants if g.kind == kind and g.status in LIVE]
        taken = sum((g.amount for g in live), Decimal(0))
        if kind == K.REINTEGRATION:
            limit = cash_limit(basis, case) or Decimal(0)
            currency = basis.benefits.reintegration.currency  # type: ignore[union-attr]
            rows.append(KindSummary(kind, kind_label(kind), _money(limit), _money(taken), currency,
                                    _("cash components of the approved plans")))  # fmt: skip
            continue
        lines = basis.lines(kind)
        if not lines:
            continue
        entitled = sum((line.amount for line in lines), Decimal(0))
        confirmed = all(line.confirmed for line in lines)
        note = "" if confirmed else _("not confirmed: nothing can be proposed yet")
        rows.append(KindSummary(kind, kind_label(kind), _money(entitled), _money(taken), lines[0].currency, note))
    return rows
