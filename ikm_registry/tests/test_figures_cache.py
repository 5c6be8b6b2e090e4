"""Public figures are counted once per stamp, by one process at a time; the others are not kept waiting."""

import datetime
import threading

import pytest
from django.utils import timezone

from ikm_registry.models import IKMUnit
from ikm_registry.public import stats
from ikm_registry.tests.factories import IKMUnitFactory

EARLIER = "2026-12-08T01:00:00.000000+00:00"
LATER = "2026-12-08T01:05:00.000000+00:00"


def never():
    pytest.fail("counted again")


@pytest.fixture(autouse=True)
def _empty_cache(fresh_public_cache):
    pass


def test_figures_are_counted_once_per_stamp():
    counted = []
    for _ in range(3):
        assert stats.cached("figures", EARLIER, lambda: counted.append(1) or "earlier", "kalbar") == "earlier"
    assert stats.cached("figures", LATER, lambda: "later", "kalbar") == "later"
    assert stats.cached("figures", LATER, never, "kalbar") == "later"
    assert len(counted) == 1
    assert stats.cached("figures", LATER, lambda: "other part", "kalteng") == "other part"


def test_while_one_process_counts_new_figures_the_others_are_served_the_last_ones():
    stats.cached("figures", EARLIER, lambda: "earlier")
    served_meanwhile = []

    def count_later():
        # Another visitor asks for the same figures while they are being counted.
        served_meanwhile.append(stats.cached("figures", LATER, never))
        return "later"

    assert stats.cached("figures", LATER, count_later) == "later"
    assert served_meanwhile == ["earlier"]
    assert stats.cached("figures", LATER, never) == "later"


def test_with_no_figures_kept_the_others_wait_for_the_count_instead_of_repeating_it():
    started, finish = threading.Event(), threading.Event()

    def slow_count():
        started.set()
        finish.wait(5)
        return "counted once"

    counting = threading.Thread(target=lambda: stats.cached("figures", LATER, slow_count))
    counting.start()
    started.wait(5)
    threading.Timer(0.2, finish.set).start()
    assert stats.cached("figures", LATER, never) == "counted once"
    counting.join(5)


def test_a_count_that_never_ends_is_waited_for_only_so_long(monkeypatch):
    monkeypatch.setattr(stats, "COUNTING_SECONDS", 0.2)

    def count_and_die():
        # The process counting dies without releasing its lock: the next one counts after COUNTING_SECONDS.
        assert stats.cached("figures", LATER, lambda: "counted again") == "counted again"
        raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        stats.cached("figures", LATER, count_and_die)
    assert stats.cached("figures", LATER, never) == "counted again"


def test_a_failed_count_releases_its_lock():
    with pytest.raises(ZeroDivisionError):
        stats.cached("figures", LATER, lambda: 1 / 0)
    assert stats.cached("figures", LATER, lambda: "counted") == "counted"


def test_figures_of_a_later_stamp_are_served_to_a_process_that_read_an_earlier_one():
    # A worker that read the stamp a moment before the others must not count the older figures over them.
    stats.cached("figures", LATER, lambda: "later")
    assert stats.cached("figures", EARLIER, never) == "later"


@pytest.mark.django_db
def test_data_stamps_sort_as_the_times_they_stand_for():
    assert stats.data_stamp() == "0"  # no unit yet: earlier than any time
    unit, other = IKMUnitFactory.create_batch(2)
    second = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    stamps = []
    for moment, pk in ((second, unit.pk), (second + datetime.timedelta(microseconds=500_000), other.pk)):
        IKMUnit.objects.filter(pk=pk).update(updated_at=moment)
        stats.forget_stamp()
        stamps.append(stats.data_stamp())
    assert "0" < stamps[0] < stamps[1]
    assert len(stamps[0]) == len(stamps[1])
