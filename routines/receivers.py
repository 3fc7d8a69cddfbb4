"""Routines' answers to what lower apps announce (connected in RoutinesConfig.ready())."""

from routines.services import routines_adapt


def routines_follow_conditions(sender, *, user, **kwargs) -> None:
    """The person's screening answers add up to other conditions: swap what no longer suits them
    in their routines (their own and assigned copies), and undo swaps whose reason has gone."""
    routines_adapt(owner=user)
