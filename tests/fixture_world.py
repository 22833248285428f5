"""A tiny hand-made world in the real formats of every source, for ETL and app tests.

What is special about it:
- the Fabriques file joins two Fabriques in one commune with ``"; "`` and one of the names holds
  ``&amp; `` (the Brest/Toucy trap); a name holds a line break and an e-mail address; a feature
  carries the 2018 code ``01340`` merged into ``01015`` in 2026; Saint-Martin has an empty
  geometry collection;
- commune ``01340`` (2018) is dissolved into ``01015``; the polygon of ``01002`` is a bow-tie
  (invalid);
- QPV ``QN00101M`` has Fabrique 1's point exactly on its border; ``QN00102I`` is invalid;
  ``QN00103I`` has collapsed to zero area; one QPV lies in Guadeloupe;
- CSVs come with a BOM, ``;`` separators, a trailing empty column, leading spaces, and a COG
  code that lost its leading zero (``1001``);
- the tiers-lieux census has CONTACT and MAIL columns and a row without an INSEE code;
- the scope traps: région Bretagne (53, départements 29 and 22) has five EPCI of which three hold no
  Fabrique, one of them (CC Dinan-Avranches) straddling Normandie (28, Manche 50, no Fabrique);
  Côtes-d'Armor (22) has no Fabrique and a QPV (QN02201M) far from every place; région 53 is
  also a département code elsewhere (Mayenne), the Ain/Bretagne codes never mix;
- the search: Concarneau (29039, a real name with its real code, in CC Quimper Test) is found by
  name, prefix or code; it has no Fabrique nor QPV.

The plain data of the world (communes, EPCI, Fabriques) are module constants, so tests can compute
expected figures from them without going through the ETL or the app.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from etl.catalogue import SourceFile

E = "etalab-decoupage-administratif-6.0.0"
A = "anct-superposeur-anct"
V = "anct-superposeur-v2"

# Squares in degrees: (x0, y0, size)
SQUARES = {
    "01001": (5.00, 46.00, 0.10),
    "01002": (5.10, 46.00, 0.10),
    "01015": (5.00, 46.10, 0.10),
    "01340": (5.10, 46.10, 0.10),
    "97101": (-61.60, 16.20, 0.10),
    "29001": (-4.50, 48.40, 0.10),
    "29002": (-4.10, 48.00, 0.10),
    "29003": (-3.85, 48.55, 0.10),
    "29004": (-4.30, 48.45, 0.10),
    "29039": (-3.95, 48.05, 0.10),
    "22001": (-3.45, 48.70, 0.10),
    "22002": (-2.10, 48.45, 0.10),
    "50001": (-1.40, 48.65, 0.10),
}
# Communes added for the scope traps: code → (name, population, arrondissement, département, région).
SCOPE_COMMUNES = {
    "29001": ("Brest-Test", 3000, "291", "29", "53"),
    "29002": ("Quimper-Test", 1500, "292", "29", "53"),
    "29003": ("Morlaix-Test", 800, "291", "29", "53"),
    "29004": ("Landerneau-Test", 600, "291", "29", "53"),
    "29039": ("Concarneau", 2000, "292", "29", "53"),
    "22001": ("Lannion-Test", 2500, "221", "22", "53"),
    "22002": ("Dinan-Test", 400, "221", "22", "53"),
    "50001": ("Avranches-Test", 900, "501", "50", "28"),
}
# EPCI → member communes (all of them, whatever their région).
EPCI_MEMBERS = {
    "200000001": ("CC Test", "CC", ("01001", "01002", "01015")),
    "249710001": ("CA Cap Excellence", "CA", ("97101",)),
    "200000291": ("CC Pays de Brest Test", "CC", ("29001",)),
    "200000292": ("CC Quimper Test", "CC", ("29002", "29039")),
    "200000293": ("CC Morlaix Test", "CC", ("29003", "29004")),
    "200000221": ("CA Lannion Test", "CA", ("22001",)),
    "200000222": ("CC Dinan-Avranches Test", "CC", ("22002", "50001")),
}
# Fabriques of the open list: id → (commune of the feature, name); ids 1–300 are 2020-2021.
FABRIQUES = {
    1: ("01001", "Atelier A & B"),
    301: ("01001", "Lieu C"),
    81: ("01340", "Tiers-lieu Delta Contact"),
    2: ("97101", "Fab Lab Abymes"),
    364: ("97801", "ANIS"),
    3: ("29001", "Fabrique de Brest"),
    302: ("29002", "Fabrique de Quimper"),
}
# Density level label of each commune (INSEE grid, 7 levels).
DENSITY = {
    "01001": "Petites villes",
    "01002": "Bourgs ruraux",
    "01015": "Rural à habitat dispersé",
    "97101": "Centres urbains intermédiaires",
    "29001": "Centres urbains intermédiaires",
    "29002": "Petites villes",
    "29003": "Bourgs ruraux",
    "29004": "Rural à habitat dispersé",
    "29039": "Centres urbains intermédiaires",
    "22001": "Petites villes",
    "22002": "Rural à habitat très dispersé",
    "50001": "Bourgs ruraux",
}
CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def square(x0: float, y0: float, size: float) -> list:
    return [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]]


def centre(code: str) -> list[float]:
    x0, y0, size = SQUARES[code]
    return [round(x0 + size / 2, 6), round(y0 + size / 2, 6)]


def feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def collection(features: list[dict], crs: bool = True) -> str:
    body = {"type": "FeatureCollection", "features": features}
    if crs:
        body = {"type": "FeatureCollection", "name": "x", "crs": CRS84, "features": features}
    return json.dumps(body, ensure_ascii=False)


def commune_rows() -> list[dict]:
    base = {
        "typeLiaison": 0,
        "zone": "metro",
        "arrondissement": "011",
        "departement": "01",
        "region": "84",
        "type": "commune-actuelle",
        "rangChefLieu": 0,
    }
    return [
        {**base, "code": "01001", "nom": "Alpha", "population": 1000},
        {**base, "code": "01002", "nom": "Bêta", "population": 500},
        {**base, "code": "01015", "nom": "Gamma-Nouvelle", "population": 700, "anciensCodes": ["01340"]},
        {
            "code": "01340",
            "nom": "Delta",
            "type": "commune-deleguee",
            "chefLieu": "01015",
            "zone": "metro",
            "departement": "01",
            "region": "84",
        },
        {
            **base,
            "code": "97101",
            "nom": "Les Abymes",
            "zone": "drom",
            "arrondissement": "9711",
            "departement": "971",
            "region": "01",
            "population": 2000,
        },
        *(
            {
                **base,
                "code": code,
                "nom": nom,
                "population": pop,
                "arrondissement": arr,
                "departement": dep,
                "region": reg,
            }
            for code, (nom, pop, arr, dep, reg) in SCOPE_COMMUNES.items()
        ),
        {
            "code": "97801",
            "nom": "Saint-Martin",
            "zone": "com",
            "departement": "978",
            "region": "978",
            "type": "commune-actuelle",
            "population": 32000,
        },
    ]


def files() -> dict[str, tuple[str, bytes]]:
    """Return ``{relative path: (source_id, content)}`` for the whole fixture world."""
    out: dict[str, tuple[str, bytes]] = {}

    def put(path: str, source_id: str, text: str | bytes) -> None:
        out[path] = (source_id, text if isinstance(text, bytes) else text.encode("utf-8"))

    put(f"{E}/communes.json", "cog_communes", json.dumps(commune_rows(), ensure_ascii=False))
    put(
        f"{E}/epci.json",
        "cog_epci",
        json.dumps(
            [
                {"code": code, "nom": nom, "type": kind, "membres": [{"code": c} for c in members]}
                for code, (nom, kind, members) in EPCI_MEMBERS.items()
            ]
        ),
    )
    put(
        f"{E}/departements.json",
        "cog_departements",
        json.dumps(
            [
                {"code": "01", "region": "84", "nom": "Ain", "zone": "metro"},
                {"code": "971", "region": "01", "nom": "Guadeloupe", "zone": "drom"},
                {"code": "29", "region": "53", "nom": "Finistère", "zone": "metro"},
                {"code": "22", "region": "53", "nom": "Côtes-d'Armor", "zone": "metro"},
                {"code": "50", "region": "28", "nom": "Manche", "zone": "metro"},
                {"code": "978", "region": "978", "nom": "Saint-Martin", "zone": "com"},
            ]
        ),
    )
    put(
        f"{E}/regions.json",
        "cog_regions",
        json.dumps(
            [
                {"code": "84", "nom": "Auvergne-Rhône-Alpes", "zone": "metro"},
                {"code": "01", "nom": "Guadeloupe", "zone": "drom"},
                {"code": "53", "nom": "Bretagne", "zone": "metro"},
                {"code": "28", "nom": "Normandie", "zone": "metro"},
                {"code": "978", "nom": "Saint-Martin", "zone": "com"},
            ]
        ),
    )
    put(
        f"{E}/arrondissements.json",
        "cog_arrondissements",
        json.dumps(
            [
                {"code": "011", "departement": "01", "region": "84", "nom": "Belley"},
                {"code": "9711", "departement": "971", "region": "01", "nom": "Basse-Terre"},
                {"code": "291", "departement": "29", "region": "53", "nom": "Brest"},
                {"code": "292", "departement": "29", "region": "53", "nom": "Quimper"},
                {"code": "221", "departement": "22", "region": "53", "nom": "Lannion"},
                {"code": "501", "departement": "50", "region": "28", "nom": "Avranches"},
            ]
        ),
    )
    put(f"{E}/ept.json", "cog_ept", "[]")

    bowtie = [[[5.10, 46.00], [5.20, 46.10], [5.20, 46.00], [5.10, 46.10], [5.10, 46.00]]]
    polys = []
    for code, (x0, y0, size) in SQUARES.items():
        coords = bowtie if code == "01002" else square(x0, y0, size)
        polys.append(feature({"code": code, "nom": code}, {"type": "Polygon", "coordinates": coords}))
    put(
        "gregoiredavid-france-geojson/departements/01-ain/communes-01-ain.geojson",
        "communes_polygones_2018",
        collection([p for p in polys if p["properties"]["code"].startswith("01")], False),
    )
    for dep, folder in (("29", "29-finistere"), ("22", "22-cotes-d-armor"), ("50", "50-manche")):
        put(
            f"gregoiredavid-france-geojson/departements/{folder}/communes-{folder}.geojson",
            "communes_polygones_2018",
            collection([p for p in polys if p["properties"]["code"].startswith(dep)], False),
        )
    put(
        "gregoiredavid-france-geojson/departements/971-guadeloupe/communes-971-guadeloupe.geojson",
        "communes_polygones_2018",
        collection([p for p in polys if p["properties"]["code"].startswith("97")], False),
    )

    fab = [
        feature(
            {
                "id_geo": "01001",
                "lib_geo": "Alpha",
                "id_territoire": "fabt-1; fabt-301",
                "liste_geo": "Alpha (01001)",
                "lib_territoire": "Atelier A &amp; B; Lieu C",
            },
            {"type": "Point", "coordinates": [5.05, 46.05]},
        ),
        feature(
            {
                "id_geo": "01340",
                "lib_geo": "Delta",
                "id_territoire": "fabt-81",
                "liste_geo": "Delta (01340)",
                "lib_territoire": "Tiers-lieu Delta\nContact : jean.dupont@example.org",
            },
            {"type": "Point", "coordinates": centre("01340")},
        ),
        feature(
            {
                "id_geo": "97101",
                "lib_geo": "Les Abymes",
                "id_territoire": "fabt-2",
                "liste_geo": "Les Abymes (97101)",
                "lib_territoire": "Fab Lab Abymes",
            },
            {"type": "Point", "coordinates": centre("97101")},
        ),
        feature(
            {
                "id_geo": "97801",
                "lib_geo": "NA",
                "id_territoire": "fabt-364",
                "liste_geo": "NA (97801)",
                "lib_territoire": "ANIS",
            },
            {"type": "GeometryCollection", "geometries": []},
        ),
    ]
    fab += [
        feature(
            {
                "id_geo": code,
                "lib_geo": SCOPE_COMMUNES[code][0],
                "id_territoire": f"fabt-{fid}",
                "liste_geo": f"{SCOPE_COMMUNES[code][0]} ({code})",
                "lib_territoire": FABRIQUES[fid][1],
            },
            {"type": "Point", "coordinates": centre(code)},
        )
        for fid, code in ((3, "29001"), (302, "29002"))
    ]
    put(f"{A}/fabt_geom.geojson", "fabriques", collection(fab))
    put(f"{A}/history/fabt_geom_2023-11-15.geojson", "fabriques_2023_11", collection(fab))

    def mp(coords: list) -> dict:
        return {"type": "MultiPolygon", "coordinates": [coords]}

    qprops = {
        "insee_reg": "84",
        "lib_reg": "ARA",
        "insee_dep": "01",
        "lib_dep": "Ain",
        "siren_epci": "200000001",
    }
    qpv = [
        # Fabrique 1 is at (5.05, 46.05): this QPV's west edge is x = 5.05.
        feature(
            {
                "fid": 1.0,
                "code_qp": "QN00101M",
                "lib_qp": "Quartier Nord",
                **qprops,
                "insee_com": "01001, 01002",
                "lib_com": "Alpha, Bêta",
            },
            mp([[[5.05, 46.02], [5.12, 46.02], [5.12, 46.06], [5.05, 46.06], [5.05, 46.02]]]),
        ),
        feature(
            {
                "fid": 2.0,
                "code_qp": "QN00102I",
                "lib_qp": "Quartier Papillon",
                **qprops,
                "insee_com": "01015",
                "lib_com": "Gamma",
            },
            mp([[[5.00, 46.15], [5.02, 46.17], [5.02, 46.15], [5.00, 46.17], [5.00, 46.15]]]),
        ),
        feature(
            {
                "fid": 3.0,
                "code_qp": "QN00103I",
                "lib_qp": "Quartier Plat",
                **qprops,
                "insee_com": "01002",
                "lib_com": "Bêta",
            },
            mp([[[5.15, 46.05], [5.16, 46.05], [5.17, 46.05], [5.15, 46.05]]]),
        ),
        feature(
            {
                "fid": 4.0,
                "code_qp": "QN97101M",
                "lib_qp": "Centre Abymes",
                "insee_reg": "01",
                "lib_reg": "Guadeloupe",
                "insee_dep": "971",
                "lib_dep": "Guadeloupe",
                "siren_epci": "249710001",
                "insee_com": "97101",
                "lib_com": "Les Abymes",
            },
            mp([[[-61.50, 16.21], [-61.51, 16.21], [-61.51, 16.22], [-61.50, 16.22], [-61.50, 16.21]]]),
        ),
    ]
    for code_qp, name, com, dep, epci, (x0, y0) in (
        ("QN02901M", "Centre Brest", "29001", "29", "200000291", (-4.46, 48.44)),
        ("QN02201M", "Quartier Lannion", "22001", "22", "200000221", (-3.42, 48.73)),
    ):
        qpv.append(
            feature(
                {
                    "fid": float(len(qpv) + 1),
                    "code_qp": code_qp,
                    "lib_qp": name,
                    "insee_reg": "53",
                    "lib_reg": "Bretagne",
                    "insee_dep": dep,
                    "lib_dep": dep,
                    "siren_epci": epci,
                    "insee_com": com,
                    "lib_com": SCOPE_COMMUNES[com][0],
                },
                mp(square(x0, y0, 0.02)),
            )
        )
    put("mafrance/qpv2024_simplified.geojson", "qpv_2024", collection(qpv))
    put(
        "mafrance/analyse_qpv.csv",
        "qpv_indicateurs",
        "COG,lib_com,codeQPV,lib_qp,popMuniQPV,indiceJeunesse,partPopImmi,taux_logements_sociaux,"
        "taux_d_emploi,taux_pauvrete_60%\n"
        "1001,Alpha,QN00101M,Quartier Nord,1200,1.1,10.0,80.5,45.0,40.1\n"
        "1002,Bêta,QN00101M,Quartier Nord,1200,1.1,10.0,80.5,45.0,40.1\n"
        "1015,Gamma,QN00102I,Quartier Papillon,800,0.9,12.0,70.0,50.0,35.0\n"
        "97101,Les Abymes,QN97101M,Centre Abymes,3000,1.5,5.0,60.0,40.0,50.0\n"
        "29001,Brest-Test,QN02901M,Centre Brest,900,1.0,8.0,70.0,48.0,30.0\n"
        "22001,Lannion-Test,QN02201M,Quartier Lannion,1100,1.2,6.0,65.0,44.0,33.0\n",
    )

    bom = "\ufeff"
    grids = {
        "densite": ("niveau_densite", DENSITY),
        "ruralite": (
            "niveau_ruralite",
            {
                "01001": " Les petites polarités mixtes",
                "01002": " Les ruralités productives agricoles",
                "01015": " Les ruralités résidentielles aisées",
                "97101": " Hors champ : DOM ou commune urbaine",
                **{c: " Les ruralités résidentielles aisées" for c in SCOPE_COMMUNES},
            },
        ),
        "centralite": (
            "niveau_centralite",
            {
                "01001": "Centre local d'équipements et de services",
                "01002": "Communes non centre",
                "01015": "Communes non centre",
                "97101": " - undefined",
                **{c: "Communes non centre" for c in SCOPE_COMMUNES},
            },
        ),
        "montagne": ("niveau_montagne", {"01015": "02 - Massif du Jura"}),
    }
    for name, (col, values) in grids.items():
        lines = [f"insee_com,lib_com,{col}"] + [f"{k},X,{v}" for k, v in values.items()]
        sid = {"densite": "grille_densite", "ruralite": "typologie_ruralite"}.get(name, name)
        put(f"{V}/grilles/{name}.csv", sid, bom + "\n".join(lines) + "\n")
    put(
        "benefriches/liste-communes-FRR-juillet2025.csv",
        "frr",
        bom + "Code_insee;Departement;Commune;Classement FRR et FRR+ au 10 juillet 2025;\r\n"
        "01001;01;Alpha;Non classée;\r\n01002;01;Bêta;FRR socle;\r\n01015;01;Gamma;FRR+;\r\n"
        "97101;971;Les Abymes;Non classée;\r\n"
        + "".join(
            f"{c};{c[:2]};{n};{'FRR socle' if c in ('22002', '50001') else 'Non classée'};\r\n"
            for c, (n, *_rest) in SCOPE_COMMUNES.items()
        ),
    )

    def admin(code_col: str, lib_col: str, rows: list[tuple[str, str, list]]) -> str:
        return collection(
            [feature({code_col: c, lib_col: n}, {"type": "Polygon", "coordinates": g}) for c, n, g in rows]
        )

    ain = square(5.0, 46.0, 0.2)
    gua = square(-61.6, 16.2, 0.1)
    fin = square(-4.5, 48.0, 0.75)
    cda = square(-3.45, 48.45, 1.45)
    man = square(-1.4, 48.65, 0.1)
    bzh = [[[-4.5, 48.0], [-2.0, 48.0], [-2.0, 48.8], [-4.5, 48.8], [-4.5, 48.0]]]
    put(
        f"{V}/admin/polygone-4326_dep.geojson",
        "polygones_departements",
        admin(
            "insee_dep",
            "lib_dep",
            [
                ("01", "Ain", ain),
                ("971", "Guadeloupe", gua),
                ("29", "Finistère", fin),
                ("22", "Côtes-d'Armor", cda),
                ("50", "Manche", man),
            ],
        ),
    )
    put(
        f"{V}/admin/polygone-4326_reg.geojson",
        "polygones_regions",
        admin(
            "insee_reg",
            "lib_reg",
            [
                ("84", "Auvergne-Rhône-Alpes", ain),
                ("01", "Guadeloupe", gua),
                ("53", "Bretagne", bzh),
                ("28", "Normandie", man),
            ],
        ),
    )
    put(
        f"{V}/admin/polygone-4326_arr.geojson",
        "polygones_arrondissements",
        admin(
            "insee_arr",
            "lib_arr",
            [
                ("011", "Belley", ain),
                ("9711", "Basse-Terre", gua),
                ("291", "Brest", fin),
                ("292", "Quimper", fin),
                ("221", "Lannion", cda),
                ("501", "Avranches", man),
            ],
        ),
    )
    put(
        f"{V}/admin/centroide-4326_arr.geojson",
        "centroides_arrondissements",
        collection([feature({"insee_arr": "011", "lib_arr": "Belley"}, {"type": "Point", "coordinates": [5.1, 46.1]})]),
    )

    prog_point = {"type": "Point", "coordinates": centre("01002")}
    for prog, extra in (
        ("pvd", {"date_signature": "2021-05-28"}),
        ("acv", {"date_signature": None}),
        ("acv2", {}),
        ("va", {}),
        ("manuprox", {"id_geo": "01002"}),
        ("fs", {"id_geo": "01002"}),
    ):
        put(
            f"{A}/{prog}_geom.geojson",
            f"prog_{prog}",
            collection(
                [
                    feature(
                        {
                            "id_territoire": f"{prog}-1",
                            "lib_territoire": "Bêta",
                            "liste_geo": "Bêta (01002)",
                            **extra,
                        },
                        prog_point,
                    )
                ]
            ),
        )

    put(
        "anct-mission-coworking/CGET_TiersLieux_2019.csv",
        "tiers_lieux_2019",
        "ID,NOM_TL,ADRESSE,CP,COMINIT,INSEECOM,NOMCOM,WEB,TWITTER,FACEBOOK,TYPO,LAT,LONG,GEOCOD,PRECISION,"
        "CONTACT,MAIL,METRO\n"
        "1,Cowork Alpha,1 rue A,01000,Alpha,01001,Alpha,www.a.fr,,,Tiers lieux à dominante coworking,"
        "46.01,5.01,x,0.9,Jeanne Martin,jeanne.martin@example.org,0\n"
        "2,Fablab Sans Code,2 rue B,01000,,0,,,,,Tiers lieux à dominante fablab,46.12,5.12,x,0.9,"
        "Paul Durand,paul@example.org,0\n",
    )
    return out


def write_world(raw_dir: Path, overrides: dict[str, bytes] | None = None) -> list[SourceFile]:
    """Write the fixture files under ``raw_dir`` and return a catalogue of them.

    Parameters
    ----------
    overrides : dict, optional
        Replacement contents by relative path, written *after* the checksums are taken
        (to simulate a corrupted file) unless the path is prefixed with ``"="`` (then the
        checksum follows the new content: a file that is well-formed but wrong).
    """
    overrides = overrides or {}
    catalogue = []
    for rel, (source_id, content) in files().items():
        if "=" + rel in overrides:
            content = overrides["=" + rel]
        path = raw_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        catalogue.append(
            SourceFile(
                source_id,
                rel,
                len(content),
                hashlib.sha256(content).hexdigest(),
                f"http://127.0.0.1:9/{rel}",
                "fixture",
                "Licence Ouverte",
                "test",
                "hand-made fixture",
            )
        )
        if rel in overrides:
            path.write_bytes(overrides[rel])
    return catalogue
