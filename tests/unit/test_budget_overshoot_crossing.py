"""bench/budget_overshoot.py's crossing: the answer whose bill takes the running total to the
budget, in the order answers arrived, and the requests in flight at that moment."""

from __future__ import annotations

from bench.budget_overshoot import Result, crossing


def answer(sent: float, done: float, cost: float = 1.0) -> Result:
    return Result(sent, done, 200, cost=cost)


def refused(sent: float, done: float) -> Result:
    return Result(sent, done, 429, "budget_exceeded")


def test_the_crossing_is_in_arrival_order_and_counts_what_was_sent_before_it():
    results = [
        answer(0.0, 5.0),  # in flight at the crossing (t=3): sent before, answered after
        answer(0.0, 1.0),
        answer(0.5, 3.0),  # the crossing answer: 1 + 1 = 2 = the budget (counted in flight)
        refused(2.0, 4.0),  # in flight, costs nothing
        answer(3.5, 6.0),  # sent after the crossing: not in flight then
        refused(0.0, 2.5),  # answered before the crossing
    ]
    cross = crossing(results, budget=2.0)
    assert cross is not None
    assert cross.at == 3.0
    assert (cross.in_flight, cross.answered, cross.in_flight_cost) == (3, 2, 2.0)


def test_a_total_under_the_budget_never_crosses_it():
    assert crossing([answer(0.0, 1.0), refused(0.0, 2.0)], budget=1.5) is None
