"""The synthetic places of the growth benchmark: reproducible, counted, inside their commune, labelled."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from bench.synthetic import COLUMNS, REAL_PLACES, SYNTHETIC_NAME, draw_points_inside, make_synthetic_places
from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.paths import mart_path


@pytest.fixture
def communes() -> gpd.GeoDataFrame:
    """Four communes: a big square, an L-shaped one (its bounding box is a quarter outside it),
    a populated commune without a polygon and an empty (population 0) one: only the first two
    can receive places."""
    ell = shapely.Polygon([(2, 0), (4, 0), (4, 1), (3, 1), (3, 2), (2, 2)])
    return gpd.GeoDataFrame(
        {
            "insee_com": ["01001", "01002", "01003", "01004"],
            "population": [3_000, 1_000, 5_000, 0],
        },
        geometry=[shapely.box(0, 0, 1, 1), ell, None, shapely.box(5, 5, 6, 6)],
        crs="EPSG:4326",
    )


def test_same_seed_same_places(communes):
    a = make_synthetic_places(communes, 200, seed=7)
    b = make_synthetic_places(communes, 200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    c = make_synthetic_places(communes, 200, seed=8)
    assert not a.geometry.geom_equals(c.geometry).all()


@pytest.mark.parametrize("n", [0, 1, 382, 1_000])
def test_count_ids_and_schema(communes, n):
    places = make_synthetic_places(communes, n, seed=0)
    assert len(places) == n
    assert list(places.columns) == [*COLUMNS, "geometry"]
    assert places["fabrique_id"].tolist() == list(range(1, n + 1))
    assert places.crs == communes.crs


def test_labelled_synthetic(communes):
    places = make_synthetic_places(communes, 50, seed=0)
    assert places["synthetique"].all()
    assert places["nom"].str.fullmatch(rf"{SYNTHETIC_NAME} \d+").all()
    assert places["location_precision"].str.startswith("synthétique").all()


def test_every_place_strictly_inside_its_commune(communes):
    places = make_synthetic_places(communes, 2_000, seed=3)
    assert set(places["insee_com"]) <= {"01001", "01002"}
    polygons = communes.set_index("insee_com").geometry.reindex(places["insee_com"]).to_numpy()
    assert shapely.contains(polygons, places.geometry.to_numpy()).all()


def test_drawn_in_proportion_to_population(communes):
    places = make_synthetic_places(communes, 4_000, seed=1)
    share = (places["insee_com"] == "01001").mean()
    assert share == pytest.approx(0.75, abs=0.03)


def test_cohorts_keep_the_real_proportion(communes):
    places = make_synthetic_places(communes, 2 * REAL_PLACES, seed=0)
    counts = places["cohort"].value_counts()
    assert counts[COHORT_2020_2021] == 600
    assert counts[COHORT_2023] == 164
    assert places.loc[places["fabrique_id"] == 383, "wave"].item() == 1


def test_thin_polygon_falls_back_inside():
    """A sliver filling a tiny part of its box is still given a point inside it."""
    sliver = shapely.Polygon([(0, 0), (100, 100), (100, 100.000001)])
    xs, ys = draw_points_inside(np.array([sliver, sliver]), np.random.default_rng(0))
    assert shapely.intersects(sliver, shapely.points(xs, ys)).all()


def test_negative_count_refused(communes):
    with pytest.raises(ValueError, match="0 or more"):
        make_synthetic_places(communes, -1)


def test_no_drawable_commune_refused(communes):
    with pytest.raises(ValueError, match="positive population"):
        make_synthetic_places(communes.iloc[2:], 5)


@pytest.mark.skipif(not mart_path("communes").exists(), reason="no communes mart: run python -m etl build")
def test_real_communes_places_in_france():
    """On the real mart: every place inside its commune, so inside métropole or a DROM."""
    real = gpd.read_parquet(mart_path("communes"), columns=["insee_com", "population", "zone", "geometry"])
    places = make_synthetic_places(real, REAL_PLACES, seed=2026)
    polygons = real.set_index("insee_com").geometry.reindex(places["insee_com"]).to_numpy()
    assert shapely.contains(polygons, places.geometry.to_numpy()).all()
    x, y = places.geometry.x, places.geometry.y
    metro = x.between(-5.3, 9.6) & y.between(41.3, 51.2)
    drom = places["insee_com"].str.startswith("97")
    assert (metro | drom).all()


def test_the_growth_steps_run_the_pages_functions_on_a_built_world(fixture_build):
    """Every step runs on the fixture marts (the marts built on synthetic places keep their schema)."""
    from bench.growth import STEPS, load_inputs, run_steps

    inputs = load_inputs(fixture_build["marts"])
    places = make_synthetic_places(inputs["communes"], 40, seed=3)
    steps = run_steps(places, inputs)
    assert list(steps) == list(STEPS)
    for step in steps.values():
        step()
