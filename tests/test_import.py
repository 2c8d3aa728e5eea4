"""Import of existing DLAs: the CLI, the preview-and-confirm flow, lineage into transitions."""

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import func, select

from dla.agendas import imports, questions, services, transitions
from dla.agendas.models import Agenda, Transition, Version, Wording
from dla.extensions import db
from dla.regions.models import Region
from tests.examples import example
from tests.factories import log_in, make_region, make_user


def run_import(runner, name, *extra):
    return runner.invoke(
        args=[
            "dla",
            "import",
            str(example(name)),
            "--region",
            "Gooi en Vechtstreek",
            "--agenda",
            "Uitvoerders",
            *extra,
        ]
    )


def test_cli_imports_a_first_version_and_proposes_links_for_the_next(app, runner):
    first = run_import(runner, "gvs-dla-versie-1.txt", "--json", "--create")
    assert first.exit_code == 0, first.output
    saved = json.loads(first.stdout)
    assert saved["saved"] and saved["version"]["status"] == "vastgesteld"
    assert [q["label"] for q in saved["questions"]] == ["A", "B", "C", "D", "E"]
    assert saved["version"]["document_date"] == "2020-02-24"
    assert saved["version"]["session_date"] == "2020-01-21"
    assert saved["warnings"] == []

    dry = run_import(runner, "gvs-dla-memo-2020-01-31.txt", "--dry-run", "--json")
    assert dry.exit_code == 0, dry.output
    result = json.loads(dry.stdout)
    assert result["saved"] is False
    by_key = {f"{q['group'].split()[-1]}-{q['label']}": q for q in result["questions"]}
    proposed = {
        key: (q["proposed"]["kind"], q["proposed"]["label"]) if q["proposed"] else None
        for key, q in by_key.items()
    }
    assert proposed == {
        "ambitie-1": None,  # B + C merged: weak evidence, left to a person
        "ambitie-2": ("continues", "A"),
        "ambitie-3": ("continues", "D"),
        "ambitie-4": ("continues", "E"),
        "vervolgstappen-1": None,
        "vervolgstappen-2": None,
    }
    first_question = by_key["ambitie-1"]
    assert first_question["barrier"] == "er nu verschillende werkwijzen en verwachtingen"
    assert {s["label"] for s in first_question["suggestions"]} >= {"B", "C"}
    assert all(s["weak"] for s in first_question["suggestions"])
    for q in result["questions"]:
        scores = [s["score"] for s in q["suggestions"]]
        assert scores == sorted(scores, reverse=True)
        if q["proposed"]:
            assert q["suggestions"][0]["wording_id"] == q["proposed"]["wording_id"]
            assert q["proposed"]["matched"] and not q["suggestions"][0]["weak"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Version.id))) == 1  # the dry run saved nothing

    memo = run_import(runner, "gvs-dla-memo-2020-01-31.txt")
    assert memo.exit_code == 0, memo.output
    assert "Saved as version 2 (concept)" in memo.stderr
    assert "continues: Uitvoerders v1 A" in memo.stdout
    with app.app_context():
        version = db.session.scalar(select(Version).where(Version.number == 2))
        assert version.distribution == "beperkt" and version.reference == "20.0000558"
        assert [g.title for g in version.groups] == [
            "Leervragen ten aanzien van ambitie",
            "Leervragen ten aanzien van vervolgstappen",
        ]
        # Saving made exactly the proposed links; B and C wait for a person's decision.
        made = {
            t.from_wording.label: (t.kind, [w.label for w in t.targets] or None)
            for t in version.transitions
        }
        assert made == {
            "A": ("geherformuleerd", None),
            "D": ("geherformuleerd", None),
            "E": ("geherformuleerd", None),
        }
        continued = {w.label: w.thread_id for w in version.wordings if w.group.position == 0}
        previous = {w.label: w.thread_id for w in services.previous_version(version).wordings}
        assert continued["2"] == previous["A"] and continued["3"] == previous["D"]
        assert [w.label for w in services.missing_transitions(version)] == ["B", "C"]


def test_cli_refuses_an_unknown_agenda_unless_create(app, runner):
    assert run_import(runner, "gvs-dla-versie-1.txt", "--create").exit_code == 0
    # A curly apostrophe or a typo is another title: refused, with the close match named.
    typo = runner.invoke(
        args=[
            "dla",
            "import",
            str(example("gvs-dla-memo-2020-01-31.txt")),
            "--region",
            "Gooi en Vechtstreek",
            "--agenda",
            "Uitvoerder’s",
        ]
    )
    assert typo.exit_code != 0
    assert "Onbekende agenda 'Uitvoerder’s'" in typo.output and "'Uitvoerders'" in typo.output
    unknown_region = runner.invoke(
        args=["dla", "import", str(example("gvs-dla-versie-1.txt")), "--region", "Gooi"]
        + ["--agenda", "Uitvoerders", "--dry-run"]
    )
    assert unknown_region.exit_code != 0 and "Onbekende regio 'Gooi'" in unknown_region.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Agenda.id))) == 1
        assert db.session.scalar(select(func.count(Version.id))) == 1
    created = runner.invoke(
        args=[
            "dla",
            "import",
            str(example("gvs-dla-projectleider-2020-07-10.txt")),
            "--region",
            "Gooi en Vechtstreek",
            "--agenda",
            "Projectleider",
            "--create",
            "--json",
        ]
    )
    assert created.exit_code == 0, created.output
    result = json.loads(created.stdout)
    assert result["saved"] and result["agenda"] == {"title": "Projectleider", "exists": False}
    # A new agenda's questions only link to another agenda with a clear margin: none here.
    assert all(q["proposed"] is None for q in result["questions"])


def test_cli_prints_the_parser_warnings(app, runner, tmp_path):
    text = tmp_path / "agenda.txt"
    text.write_text(
        "Datum: 12-03-2024\n"
        "A. Hoe kan ik als regisseur het plan uitvoeren, terwijl ik geen doorzettingsmacht "
        "heb over de partners?\n"
        "C. Hoe kunnen we informatie delen, terwijl de privacyregels onduidelijk zijn?\n",
        encoding="utf-8",
    )
    args = ["dla", "import", str(text), "--region", "R", "--agenda", "A", "--create"]
    as_json = runner.invoke(args=[*args, "--dry-run", "--json"])
    assert as_json.exit_code == 0, as_json.output
    warnings = json.loads(as_json.stdout)["warnings"]
    assert warnings and any("vraag C" in w for w in warnings)
    as_text = runner.invoke(args=[*args, "--dry-run"])
    assert as_text.exit_code == 0
    assert all(w in as_text.stderr for w in warnings)
    assert not any(w in as_text.stdout for w in warnings)
    assert as_text.stdout.startswith("A. Hoe kan ik")


def test_cli_refuses_unreadable_files(runner, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(args=["dla", "import", str(junk), "--region", "R", "--agenda", "A"])
    assert result.exit_code != 0 and "kunnen we niet lezen" in result.output
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a zip at all")
    result = runner.invoke(args=["dla", "import", str(fake), "--region", "R", "--agenda", "A"])
    assert result.exit_code != 0 and "geen Word-bestand" in result.output


@pytest.fixture
def leader(app, client):
    with app.app_context():
        region = make_region("Gooi")
        user = make_user("pl@test.nl", region=region, role="projectleider")
        db.session.commit()
        log_in(client, user)
        return region.id


def _preview(client, region_id, text, **extra):
    return client.post(f"/regios/{region_id}/importeren", data={"tekst": text, **extra})


def _fields(html: str) -> dict:
    """The form fields of the preview page, as a browser would submit them (checked only)."""
    data: dict[str, list[str]] = {}
    for match in re.finditer(r"<input ([^>]*)>", html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', match.group(1)))
        kind = attrs.get("type", "text")
        if "name" not in attrs or kind == "file":
            continue
        if kind in ("radio", "checkbox") and "checked" not in match.group(1):
            continue
        data.setdefault(attrs["name"], []).append(attrs.get("value", ""))
    for match in re.finditer(r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data.setdefault(match.group(1), []).append(match.group(2))
    for match in re.finditer(r'<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        options = re.findall(r'<option value="([^"]*)"( selected)?', match.group(2))
        chosen = next((v for v, sel in options if sel), options[0][0] if options else "")
        data.setdefault(match.group(1), []).append(chosen)
    return data


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def test_preview_confirm_and_transitions(app, client, leader):
    text = example("gvs-dla-versie-1.txt").read_text()
    preview = _preview(
        client, leader, text, titel="Uitvoerders", niveau="operationeel", doelgroep="ICR's"
    )
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "5 vragen in 1 groep" in page and "Er is nog niets opgeslagen" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Agenda.id))) == 0
    fields = {k: [_unescape(v) for v in vs] for k, vs in _fields(page).items()}
    fields["q-1-tekst"] = [
        fields["q-1-tekst"][0].replace("voor het gezin", "voor elk gezin")
    ]  # a correction
    saved = client.post(f"/regios/{leader}/importeren/opslaan", data=fields)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        agenda = db.session.scalar(select(Agenda))
        version = services.concept_version(agenda)
        services.publish_version(version)
        db.session.commit()
        b = next(w for w in version.wordings if w.label == "B")
        assert "voor elk gezin" in b.full_text
        agenda_id = agenda.id

    memo = example("gvs-dla-memo-2020-01-31.txt").read_text()
    preview = _preview(client, leader, memo, agenda_id=str(agenda_id))
    page = preview.get_data(as_text=True)
    fields = _fields(page)
    with app.app_context():
        ids = {
            w.label: str(w.id)
            for w in services.latest_published(db.session.get(Agenda, agenda_id)).wordings
        }
    # Only the strong proposals are pre-selected (ambitie 2, 3, 4), with the words that matched.
    assert [fields[f"q-{i}-vervolg"] for i in range(6)] == [
        [""],
        [ids["A"]],
        [ids["D"]],
        [ids["E"]],
        [""],
        [""],
    ]
    assert "Voorstel:" in page and "Waarom:" in page and ">zwak<" in page
    assert not any(name.endswith("-samen") for name in fields)
    # The person confirms them, links ambitie 1 to B (a weak candidate) and records that C
    # was merged into it.
    merge_box = re.search(rf'name="q-0-samen" value="{ids["C"]}"', page)
    assert merge_box and "Samengevoegd: ook C ging op in deze vraag" in page
    fields["q-0-vervolg"] = [ids["B"]]
    fields["q-0-samen"] = [ids["C"]]
    saved = client.post(f"/regios/{leader}/importeren/opslaan", data=fields)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        version = services.concept_version(db.session.get(Agenda, agenda_id))
        kinds = sorted(t.kind for t in db.session.scalars(select(Transition)))
        assert kinds == ["geherformuleerd"] * 4 + ["samengevoegd"]
        assert services.missing_transitions(version) == []
        services.publish_version(version)
        db.session.commit()
        threads = list(
            db.session.scalars(select(Wording.thread_id).where(Wording.version_id == version.id))
        )
        assert len(threads) == len(set(threads)) == 6


def test_preview_proposes_a_split_and_saving_records_it(app, client, leader):
    with app.app_context():
        from tests.factories import make_agenda, make_version

        agenda = make_agenda(db.session.get(Region, leader), title="Regisseurs")
        first = make_version(
            agenda,
            [
                "Hoe kan ik informatie van Veilig Thuis gebruiken in het plan en het gezin "
                "daarover informeren, terwijl Veilig Thuis die informatie niet zonder "
                "toestemming mag delen?",
                "Hoe kan ik als regisseur het plan uitvoeren, terwijl ik geen "
                "doorzettingsmacht heb over de partners?",
            ],
            publish=True,
        )
        db.session.commit()
        agenda_id, whole_id, other_id = agenda.id, first.wordings[0].id, first.wordings[1].id
        whole_thread = first.wordings[0].thread_id
    text = (
        "A. Hoe kan ik informatie van Veilig Thuis gebruiken in het plan, terwijl Veilig Thuis "
        "die informatie niet zonder toestemming mag delen?\n"
        "B. Hoe kan ik het gezin informeren over wat Veilig Thuis weet, terwijl ik niet weet "
        "welke informatie ik mag delen?\n"
        "C. Hoe kan ik als regisseur het plan uitvoeren, terwijl ik geen doorzettingsmacht heb "
        "over de partners?\n"
    )
    page = _preview(client, leader, text, agenda_id=str(agenda_id)).get_data(as_text=True)
    fields = _fields(page)
    assert fields["q-0-vervolg"] == [str(whole_id)]
    assert fields["q-1-vervolg"] == [f"s{whole_id}"]  # proposed as a part of A
    assert fields["q-2-vervolg"] == [str(other_id)]
    assert "Gesplitst: deze vraag is een deel van A, die verder gaat als A" in page
    saved = client.post(f"/regios/{leader}/importeren/opslaan", data=fields)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    with app.app_context():
        version = services.concept_version(db.session.get(Agenda, agenda_id))
        split = db.session.scalar(select(Transition).where(Transition.kind == "gesplitst"))
        assert split.from_wording_id == whole_id and split.version_id == version.id
        assert [w.label for w in split.targets] == ["B"]
        assert split.targets[0].thread.split_from_id == whole_thread
        a = next(w for w in version.wordings if w.label == "A")
        assert a.thread_id == whole_thread  # the question itself goes on in A
        assert services.missing_transitions(version) == []
        services.publish_version(version)
        db.session.commit()


def test_import_errors_save_nothing(app, client, leader):
    empty = _preview(client, leader, "   ")
    assert empty.status_code == 422 and "De tekst is leeg" in empty.get_data(as_text=True)
    no_questions = _preview(client, leader, "Alleen een titel\nen wat tekst")
    assert no_questions.status_code == 422 and "geen leervragen" in no_questions.get_data(
        as_text=True
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (30 * 1024 * 1024))
    bad = client.post(
        f"/regios/{leader}/importeren",
        data={"bestand": (io.BytesIO(bomb.getvalue()), "bom.docx")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "te groot of beschadigd" in bad.get_data(as_text=True)
    huge = _preview(client, leader, "A. Hoe " + "x" * (20 * 1024 * 1024))
    assert huge.status_code == 413
    # A confirm whose second question is broken saves nothing at all.
    broken = client.post(
        f"/regios/{leader}/importeren/opslaan",
        data={
            "titel": "Nieuw",
            "niveau": "tactisch",
            "doelgroep": "Managers",
            "aantal": "2",
            "groepen": "1",
            "q-0-tekst": "Hoe a, terwijl b c d?",
            "q-1-tekst": "",
        },
    )
    assert broken.status_code == 422 and "Vul de vraag in." in broken.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Agenda.id))) == 0
        assert db.session.scalar(select(func.count(Wording.id))) == 0


def test_import_refuses_a_link_into_another_region(app, client, leader):
    with app.app_context():
        from tests.factories import make_agenda, make_version

        foreign = make_version(
            make_agenda(make_region("Ander")), ["Hoe x, terwijl y z w?"], publish=True
        )
        db.session.commit()
        foreign_id = foreign.wordings[0].id
    response = client.post(
        f"/regios/{leader}/importeren/opslaan",
        data={
            "titel": "Nieuw",
            "niveau": "tactisch",
            "doelgroep": "Managers",
            "aantal": "1",
            "groepen": "1",
            "q-0-tekst": "Hoe x, terwijl y z w?",
            "q-0-vervolg": str(foreign_id),
        },
    )
    assert response.status_code == 422
    assert "bestaat niet (meer) in deze regio" in response.get_data(as_text=True)


def test_saving_makes_exactly_the_proposed_links(app):
    """suggest_links → confirmed_from_proposal → import_version: continues, returns, merged and
    split land as the proposal says, and nothing else is linked."""
    from tests.factories import make_agenda, make_version

    stem = "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl "
    with app.app_context():
        region = make_region("Noord")
        agenda = make_agenda(region, title="Regisseurs")
        v1 = make_version(
            agenda,
            [
                stem + "ik geen doorzettingsmacht heb over de betrokken organisaties?",
                stem + "de wachttijden voor begeleid wonen lang zijn?",
                stem + "het budget voor maatwerk moeilijk toegankelijk is?",
            ],
            publish=True,
        )
        v2 = services.create_version(agenda)
        for source in services.missing_transitions(v2):
            if source.label == "C":  # skipped in version 2, back in version 3
                transitions.set_transition(v2, source, "vervallen", reason="niet_meer_urgent")
            else:
                transitions.set_transition(v2, source, "blijft_staan")
        questions.add_wording(
            v2,
            text="Hoe komen we tot een gedeeld beeld van procesregie, terwijl iedere "
            "organisatie regie anders invult?",
        )
        questions.add_wording(
            v2,
            text="Hoe zorgen we voor één persoon die het overzicht houdt over alle hulp aan "
            "het gezin, terwijl de organisaties op verschillende momenten verantwoordelijk zijn?",
        )
        services.publish_version(v2)
        texts = [
            stem + "ik geen doorzettingsmacht heb over de andere organisaties?",
            "Hoe komen we tot een gedeeld beeld van procesregie (één persoon die het overzicht "
            "houdt over alle hulp), terwijl iedere organisatie regie anders invult?",
            stem + "het budget voor maatwerk voor mij moeilijk toegankelijk is?",
            "Hoe kunnen we de jeugdbescherming eerder betrekken, terwijl de lijnen lang zijn?",
            stem + "de wachttijden voor begeleid wonen nog steeds lang zijn?",
        ]
        matches = imports.suggest_links(region, texts, agenda)
        kinds = [m.proposed.kind if m.proposed else None for m in matches]
        assert kinds == ["continues", "merged", "returns", None, "continues"]
        version = imports.import_version(
            agenda,
            groups=[""],
            questions=[
                imports.ConfirmedQuestion(
                    text=text, label=chr(65 + i), **imports.confirmed_from_proposal(match)
                )
                for i, (text, match) in enumerate(zip(texts, matches, strict=True))
            ],
        )
        db.session.flush()
        by_label = {w.label: w for w in version.wordings}
        made = sorted(
            (t.from_wording.version.number, t.from_wording.label, t.kind)
            + tuple(w.label for w in t.targets)
            for t in version.transitions
        )
        assert made == [
            (2, "A", "geherformuleerd"),
            (2, "B", "geherformuleerd"),
            (2, "C", "geherformuleerd"),
            (2, "D", "samengevoegd", "B"),
        ]
        assert by_label["C"].thread_id == v1.wordings[2].thread_id  # returned, no transition
        assert by_label["D"].thread.split_from_id is None
        assert len({w.thread_id for w in version.wordings}) == 5
        assert services.missing_transitions(version) == []
        # The proposals in the suggestions: the saved link is always listed first.
        for match in matches:
            if match.proposed and match.proposed.kind != "merged":
                assert match.suggestions[0] == match.proposed.suggestion


def test_preview_never_preselects_a_thread_another_agenda_already_continues(app, client, leader):
    """A question that another agenda's concept version holds is listed with a warning, not
    proposed; a clear match on another agenda is labelled "uit agenda X"."""
    from tests.factories import make_agenda, make_version

    held = (
        "Hoe kan ik als regisseur het plan van aanpak uitvoeren, terwijl ik geen "
        "doorzettingsmacht heb over de betrokken organisaties?"
    )
    free = (
        "Hoe kunnen we informatie uit het wijkteam benutten aan de ZSM-tafel, terwijl ZSM en "
        "het Veiligheidshuis verschillende informatiesystemen gebruiken?"
    )
    with app.app_context():
        region = db.session.get(Region, leader)
        managers = make_agenda(region, title="Managers")
        make_version(managers, [held, free], publish=True)
        services.create_version(managers)  # its concept holds both threads again
        professionals = make_agenda(region, title="Professionals")
        make_version(professionals, [free], publish=True)
        db.session.commit()
        target = make_agenda(region, title="Regisseurs")
        db.session.commit()
        target_id = target.id
    page = _preview(client, leader, f"A. {held}\nB. {free}", agenda_id=str(target_id))
    html = page.get_data(as_text=True)
    fields = _fields(html)
    assert fields["q-0-vervolg"] == [""]  # held by the Managers' concept: not pre-selected
    assert "Let op: Deze vraag loopt al door in de conceptversie van ‘Managers’." in html
    # The free question matches the Professionals' copy (Managers' is held): proposed, labelled.
    with app.app_context():
        source = db.session.scalar(
            select(Wording)
            .join(Version)
            .join(Agenda)
            .where(Agenda.title == "Professionals", Wording.full_text == free)
        )
    assert fields["q-1-vervolg"] == [str(source.id)]
    assert "uit agenda Professionals" in html
    assert "Deze vraag staat nog op ‘Professionals’" in html
