"""The load benchmark's pure helpers: percentiles, /proc parsing, seeded action plans (nothing timed)."""

from __future__ import annotations

import pytest

from bench.load_stats import (
    LOAD_PAGES,
    LOAD_WIDGETS,
    THINK_S,
    WIDGET_LABELS,
    Step,
    compute_descendants,
    compute_load_figures,
    compute_percentile,
    display_value,
    figures_prefix,
    parse_cpu_ticks,
    parse_ppid,
    parse_vmrss_kb,
    plan_session,
    url_shows_filters,
)
from core.analysis.filters import DENSITY_SCHEMES, QPV_RELATIONS, RURAL_CHOICES, Filters
from core.domain.classifications import COHORTS

REGIONS = ("11", "53", "84", "94")

# A trimmed /proc/<pid>/status: VmHWM and VmPeak come first and must not be taken for VmRSS.
STATUS = """Name:\tstreamlit
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
PPid:\t4000
VmPeak:\t 3012345 kB
VmSize:\t 2831656 kB
VmHWM:\t  512000 kB
VmRSS:\t  427660 kB
RssAnon:\t  337000 kB
Threads:\t12
"""


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([3.0], 95, 3.0),
        ([4.0, 1.0, 3.0, 2.0], 50, 2.5),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 95, 4.8),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 0, 1.0),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 100, 5.0),
        ([10.0, 0.0], 25, 2.5),
    ],
)
def test_percentile_interpolates_like_numpy(values, q, expected):
    assert compute_percentile(values, q) == pytest.approx(expected)


def test_percentile_leaves_its_input_alone():
    values = [3.0, 1.0, 2.0]
    compute_percentile(values, 50)
    assert values == [3.0, 1.0, 2.0]


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_an_empty_sample_or_a_bad_rank(values, q):
    with pytest.raises(ValueError):
        compute_percentile(values, q)


@pytest.mark.parametrize(
    ("search", "filters", "shown"),
    [
        ("", Filters(), True),
        ("?vue=Corse&territoire=departements%3A29", Filters(), True),  # page parameters, not filters
        ("?cohorte=2023%2C2020-2021", Filters(), True),  # picked in another order
        ("?cohorte=2023", Filters(cohorts=("2023",)), True),
        ("?cohorte=2023", Filters(), False),
        ("?reg=53&grille=3", Filters(regions=("53",), density_scheme="3"), True),
        ("?reg=53", Filters(regions=("53",), density_scheme="3"), False),
        ("?qpv=dans&rural=frr", Filters(qpv_relation="dans", rural="frr"), True),
        ("?qpv=dans", Filters(qpv_relation="300"), False),
    ],
)
def test_url_shows_filters(search, filters, shown):
    assert url_shows_filters(search, filters) is shown


def test_vmrss_is_read_from_its_own_line():
    assert parse_vmrss_kb(STATUS) == 427_660


def test_a_zombie_without_vmrss_holds_nothing():
    assert parse_vmrss_kb("Name:\tchromium\nState:\tZ (zombie)\nPPid:\t1\n") == 0


def test_an_unreadable_vmrss_line_is_an_error():
    with pytest.raises(ValueError, match="VmRSS"):
        parse_vmrss_kb("VmRSS:\tlots kB\n")


@pytest.mark.parametrize(
    ("stat", "ppid"),
    [
        ("4242 (python) S 4000 4242 4000 0 -1 4194560", 4000),
        ("77 (Web Content) R 12 77 12 0", 12),
        ("78 (odd) name)) S 1 78 1 0", 1),
    ],
)
def test_parent_pid_is_read_after_the_command_name(stat, ppid):
    assert parse_ppid(stat) == ppid


def test_cpu_ticks_add_user_and_system_time_after_an_odd_command_name():
    stat = "78 (odd) name)) S 1 78 1 0 -1 4194560 10 0 0 0 150 25 3 4 20 0 1 0"
    assert parse_cpu_ticks(stat) == 175  # children's times (3 and 4) are not this process's


def test_an_unreadable_stat_line_is_an_error():
    with pytest.raises(ValueError, match="stat"):
        parse_cpu_ticks("78 (odd) S 1 78")


def test_descendants_follow_the_whole_tree_and_nothing_else():
    parents = {1: 0, 10: 1, 11: 10, 12: 11, 13: 10, 20: 1, 21: 20}
    assert compute_descendants(10, parents) == {10, 11, 12, 13}
    assert compute_descendants(99, parents) == {99}  # a process that has just gone


def test_a_plan_is_the_same_for_the_same_seed_and_differs_for_another():
    assert plan_session(7, 50, REGIONS) == plan_session(7, 50, REGIONS)
    assert plan_session(7, 50, REGIONS) != plan_session(8, 50, REGIONS)
    assert plan_session(7, 50, list(reversed(REGIONS))) == plan_session(7, 50, REGIONS)


def test_every_step_opens_another_page_and_changes_one_filter_to_a_valid_value():
    plan = plan_session(3, 300, REGIONS)
    assert len(plan) == 300
    state = {"cohorts": COHORTS, "regions": (), "density_scheme": "7", "qpv_relation": "toutes", "rural": "tous"}
    previous_page = ""
    for step in plan:
        assert isinstance(step, Step)
        assert step.page in LOAD_PAGES and step.page != previous_page
        assert step.widget in LOAD_WIDGETS
        assert step.value != state[step.widget]
        if step.widget == "cohorts":
            assert step.value in (COHORTS, (COHORTS[0],), (COHORTS[1],))
        elif step.widget == "regions":
            assert step.value == () or (len(step.value) == 1 and step.value[0] in REGIONS)
        else:
            choices = {"density_scheme": DENSITY_SCHEMES, "qpv_relation": QPV_RELATIONS, "rural": RURAL_CHOICES}
            assert step.value in choices[step.widget]
        state[step.widget] = step.value
        previous_page = step.page
    assert {s.widget for s in plan} == set(LOAD_WIDGETS)
    assert {s.page for s in plan} == set(LOAD_PAGES)


def test_a_plan_needs_regions_to_choose_from():
    with pytest.raises(ValueError, match="region"):
        plan_session(1, 5, ())


def test_figures_are_named_by_level():
    figures = compute_load_figures(20, [1.0, 2.0, 3.0, 4.0, 5.0], 2, 1_048_576)
    assert figures == {
        "load_n20_errors": 2.0,
        "load_n20_actions": 5.0,
        "load_n20_server_rss_mb": 1024.0,
        "load_n20_p50_s": 3.0,
        "load_n20_p95_s": pytest.approx(4.8),
    }


def test_a_level_without_a_timed_change_counts_as_failed():
    figures = compute_load_figures(5, [], 0, 0)
    assert figures["load_n5_errors"] == 1.0
    assert figures["load_n5_actions"] == 0.0
    assert "load_n5_p95_s" not in figures


def test_browser_figures_have_their_own_names():
    figures = compute_load_figures(5, [1.0], 0, 1024, prefix="load_browser")
    assert set(figures) == {f"load_browser_n5_{k}" for k in ("errors", "actions", "server_rss_mb", "p50_s", "p95_s")}


def test_every_planned_value_is_an_option_the_sidebar_shows():
    from core.analysis.filters import QPV_RELATIONS, RURAL_CHOICES, SCHEME_LABELS

    names = {"53": "Bretagne", "84": "Auvergne-Rhône-Alpes"}
    options = {
        "density_scheme": set(SCHEME_LABELS.values()),
        "qpv_relation": set(QPV_RELATIONS.values()),
        "rural": set(RURAL_CHOICES.values()),
    }
    for step in plan_session(11, 300, sorted(names)):
        shown = display_value(step.widget, step.value, names)
        if step.widget == "regions":
            assert shown == [names[c] for c in step.value]
        elif step.widget == "cohorts":
            assert shown == list(step.value) and set(shown) <= set(COHORTS)
        else:
            assert shown in options[step.widget], step
    assert set(WIDGET_LABELS) == set(LOAD_WIDGETS)


def test_a_stress_pace_never_writes_the_standard_figures():
    standard = compute_load_figures(20, [0.5, 1.0], 0, 1024, prefix=figures_prefix("load", THINK_S))
    stress = compute_load_figures(20, [3.0, 4.0], 0, 1024, prefix=figures_prefix("load", (0.5, 2.0)))
    assert "load_n20_p95_s" in standard
    assert not set(stress) & set(standard)
    assert "load_think0.5_2_n20_p95_s" in stress
    assert figures_prefix("load_browser", (1.0, 1.0)) == "load_browser_think1_1"


def test_the_load_pages_are_pages_of_the_navigation():
    from pathlib import Path

    from dashboard import PAGES

    assert set(LOAD_PAGES) <= {Path(path).stem for path, _, _ in PAGES}
