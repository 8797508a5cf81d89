"""Who may see which figures. Everything else in metrics is read by whoever reads the plan."""

from __future__ import annotations

from luoshi.accounts.policies import AnyUser, reads_everything


def can_see_scores(user: AnyUser) -> bool:
    """考核排名 ranks departments against each other: the office, leaders and evaluators only."""
    return reads_everything(user)
