"""The transition table itself: pure Python, every pair of statuses."""

import itertools

import pytest

from geocases.cases.lifecycle import (
    OPEN_STATUSES,
    TRANSITIONS,
    ActorKind,
    Needs,
    Status,
    TransitionError,
    transition_rule,
)

ALL_PAIRS = list(itertools.product(Status, Status))


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: str(s))
def test_every_pair_is_allowed_exactly_when_the_table_has_it(current, target):
    if (current, target) in TRANSITIONS:
        rule = TRANSITIONS[(current, target)]
        actor = sorted(rule.actors)[0]
        assert transition_rule(current, target, actor) is rule
    else:
        with pytest.raises(TransitionError, match="cannot become"):
            transition_rule(current, target, ActorKind.ADMINISTRATOR)


def test_the_main_path_is_in_the_table():
    path = [
        Status.NEW,
        Status.ASSIGNED,
        Status.ACKNOWLEDGED,
        Status.FEEDBACK_GIVEN,
        Status.RESOLVED,
        Status.CLOSED,
    ]
    for current, target in itertools.pairwise(path):
        assert (current, target) in TRANSITIONS


def test_every_open_status_can_be_parked_with_a_follow_up_date_and_come_back():
    for status in OPEN_STATUSES:
        assert TRANSITIONS[(status, Status.PARKED)].needs == {Needs.FOLLOW_UP_DATE}
        assert (Status.PARKED, status) in TRANSITIONS


def test_reopening_needs_a_reason_and_leads_to_assignment():
    assert TRANSITIONS[(Status.RESOLVED, Status.REOPENED)].needs == {Needs.REASON}
    assert TRANSITIONS[(Status.CLOSED, Status.REOPENED)].needs == {Needs.REASON}
    assert {to for (frm, to) in TRANSITIONS if frm == Status.REOPENED} == {
        Status.ASSIGNED,
        Status.PARKED,
        Status.CLOSED,
    }


def test_first_contact_resolution_closes_a_new_case_with_a_resolution():
    assert TRANSITIONS[(Status.NEW, Status.CLOSED)].needs == {Needs.RESOLUTION}


def test_citizens_may_only_reopen():
    citizen_pairs = {pair for pair, rule in TRANSITIONS.items() if ActorKind.CITIZEN in rule.actors}
    assert citizen_pairs == {(Status.RESOLVED, Status.REOPENED), (Status.CLOSED, Status.REOPENED)}


def test_contractors_cannot_forward_park_or_close():
    for (current, target), rule in TRANSITIONS.items():
        if target in (Status.ASSIGNED, Status.PARKED, Status.CLOSED):
            assert ActorKind.CONTRACTOR not in rule.actors, (current, target)


def test_a_planner_changes_nothing():
    assert all(ActorKind.PLANNER not in rule.actors for rule in TRANSITIONS.values())
    with pytest.raises(TransitionError, match="may not"):
        transition_rule(Status.ASSIGNED, Status.ACKNOWLEDGED, ActorKind.PLANNER)


def test_closed_cases_stay_closed_except_by_reopening():
    assert {to for (frm, to) in TRANSITIONS if frm == Status.CLOSED} == {Status.REOPENED}


def test_a_refusal_names_only_the_statuses_the_actor_may_choose():
    with pytest.raises(TransitionError) as refused:
        transition_rule(Status.ASSIGNED, Status.RESOLVED, ActorKind.CONTRACTOR)
    assert refused.value.message.endswith(f"it can become: {Status.ACKNOWLEDGED.label}.")
    # A reopened case waits for the desk: nothing the contractor could choose.
    with pytest.raises(TransitionError) as refused:
        transition_rule(Status.REOPENED, Status.ACKNOWLEDGED, ActorKind.CONTRACTOR)
    message = refused.value.message
    assert "your role cannot change it now" in message
    for desk_only in (Status.ASSIGNED, Status.PARKED, Status.CLOSED):
        assert str(desk_only.label) not in message
