"""The journal pages: who sees what, the dream form, editing, deleting, filtering and paging."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from fastapi import FastAPI
from sqlalchemy import select

from dreamnexus.journal.models import Dream


def _dream(app: FastAPI, public_id: str) -> Dream:
    with app.state.db.session() as session:
        dream = session.scalar(select(Dream).where(Dream.public_id == public_id))
        assert dream is not None
        session.expunge(dream)
        return dream


def test_signed_out_visitors_are_sent_to_sign_in(visitor: Callable) -> None:
    for path in ("/journal", "/dreams/new"):
        response = visitor().get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/signin?next=" + path.replace("/", "%2F")


def test_new_dream_form_defaults_to_private_today_and_no_consents(dreamer) -> None:
    html = dreamer.get("/dreams/new").text
    assert f'value="{date.today().isoformat()}"' in html
    assert re.search(r'id="visibility-private"[^>]*checked', html)
    assert not re.search(r'id="visibility-(spaces|public)"[^>]*checked', html)
    for consent in ("weaving", "festival", "research", "exchange"):
        assert f'name="consent_{consent}"' in html
        assert not re.search(rf'id="consent-{consent}"[^>]*checked', html)
    for field in ("text", "title", "dreamt_on", "tags", "lucid", "mood", "language"):
        assert f'<label for="{field}"' in html, field
    assert 'maxlength="20000"' in html


def test_writing_a_dream_saves_every_field_and_shows_it_to_its_owner(app, dreamer) -> None:
    dream_id = dreamer.write_dream(
        "Waves rose over the school.",
        title="High tide",
        dreamt_on="2024-03-02",
        tags="Sea, #school",
        lucid="1",
        mood="-1",
        language="en",
        visibility="spaces",
        consent_weaving="1",
        consent_research="1",
    )
    stored = _dream(app, dream_id)
    assert (stored.title, stored.dreamt_on, stored.lucid, stored.mood) == (
        "High tide",
        date(2024, 3, 2),
        True,
        -1,
    )
    assert stored.tag_names == ["school", "sea"]
    assert stored.visibility == "spaces" and stored.language_is_set
    assert stored.consents() == {"weaving": True, "festival": False, "research": True, "exchange": False}

    html = dreamer.get(f"/dreams/{dream_id}").text
    assert "High tide" in html and "Waves rose over the school." in html
    assert f'href="/dreams/{dream_id}/edit"' in html and f'href="/dreams/{dream_id}/delete"' in html
    assert "Weaving: <strong>yes</strong>" in html and "Festival: no" in html
    assert "Analysis pending" in html
    assert stored.pseudonym in html


def test_a_posted_form_without_the_csrf_token_is_refused(app, dreamer) -> None:
    response = dreamer.post("/dreams/new", {"text": "sneaky"}, csrf=False)
    assert response.status_code == 403
    response = dreamer.post("/dreams/new", {"text": "sneaky", "csrf_token": "forged"}, csrf=False)
    assert response.status_code == 403
    with app.state.db.session() as session:
        assert session.scalar(select(Dream.id)) is None


def test_bad_input_re_renders_the_form_with_errors_and_422(dreamer) -> None:
    cases = [
        {"text": "   ", "title": "kept title"},
        {"text": "fine", "mood": "7"},
        {"text": "fine", "dreamt_on": (date.today() + timedelta(days=5)).isoformat()},
        {"text": "fine", "visibility": "everyone-ever"},
        {"text": "fine", "tags": "ok, <bad>"},
    ]
    for fields in cases:
        response = dreamer.post("/dreams/new", fields)
        assert response.status_code == 422, fields
        assert 'class="errors"' in response.text
        assert 'action="/dreams/new"' in response.text
    assert 'value="kept title"' in dreamer.post("/dreams/new", cases[0]).text
    assert dreamer.get("/journal").text.count('class="card"') == 0


def test_another_persons_private_dream_is_not_found(dreamer, visitor) -> None:
    dream_id = dreamer.write_dream("my secret dream", title="Secret")
    other = visitor().signup("other@example.org")
    for person in (other, visitor()):
        response = person.get(f"/dreams/{dream_id}")
        assert response.status_code == 404
        assert "my secret dream" not in response.text
    assert other.get(f"/dreams/{dream_id}/edit").status_code == 404
    assert other.post(f"/dreams/{dream_id}/delete").status_code == 404
    assert dreamer.get(f"/dreams/{dream_id}").status_code == 200


def test_the_public_view_shows_the_pseudonym_never_the_owner(app, dreamer, visitor) -> None:
    dream_id = dreamer.write_dream(
        "A lighthouse sang.", title="Lighthouse", tags="light", visibility="public", consent_festival="1"
    )
    pseudonym = _dream(app, dream_id).pseudonym
    for person in (visitor(), visitor().signup("reader@example.org")):
        html = person.get(f"/dreams/{dream_id}").text
        assert "A lighthouse sang." in html and "Lighthouse" in html and pseudonym in html
        assert "dreamer@example.org" not in html and "Dora Dreamer" not in html
        assert "/edit" not in html and "Consents" not in html and "Festival" not in html
        assert "Contribute to a space" not in html


def test_editing_prefills_the_form_and_changing_the_text_reanalyses(app, dreamer) -> None:
    dream_id = dreamer.write_dream(
        "First version.", title="Draft", tags="one", mood="2", consent_exchange="1"
    )
    html = dreamer.get(f"/dreams/{dream_id}/edit").text
    assert "First version.</textarea>" in html and 'value="Draft"' in html and 'value="one"' in html
    assert re.search(r'<option value="2" selected', html)
    assert re.search(r'id="consent-exchange"[^>]*checked', html)

    with app.state.db.session() as session:
        dream = session.scalar(select(Dream).where(Dream.public_id == dream_id))
        dream.analysis_status = "done"
    response = dreamer.post(
        f"/dreams/{dream_id}/edit",
        {
            "text": "Second version.",
            "title": "Final",
            "dreamt_on": "2023-01-01",
            "tags": "two",
            "mood": "",
            "visibility": "public",
        },
    )
    assert response.status_code == 303 and response.headers["location"].startswith(f"/dreams/{dream_id}")
    stored = _dream(app, dream_id)
    assert (stored.text, stored.title, stored.text_revision, stored.analysis_status) == (
        "Second version.",
        "Final",
        2,
        "pending",
    )
    assert stored.tag_names == ["two"] and stored.mood is None and stored.visibility == "public"
    assert stored.consents()["exchange"] is False

    bad = dreamer.post(f"/dreams/{dream_id}/edit", {"text": "", "title": "Nope"})
    assert bad.status_code == 422 and 'value="Nope"' in bad.text
    assert _dream(app, dream_id).title == "Final"


def test_deleting_asks_first_then_removes_the_dream(dreamer) -> None:
    dream_id = dreamer.write_dream("Soon gone.", title="Ephemeral")
    confirm = dreamer.get(f"/dreams/{dream_id}/delete")
    assert confirm.status_code == 200
    assert f'action="/dreams/{dream_id}/delete"' in confirm.text and "Ephemeral" in confirm.text
    assert dreamer.get(f"/dreams/{dream_id}").status_code == 200  # the confirmation page deletes nothing
    response = dreamer.post(f"/dreams/{dream_id}/delete")
    assert response.status_code == 303 and response.headers["location"].startswith("/journal")
    assert dreamer.get(f"/dreams/{dream_id}").status_code == 404


def test_the_journal_pages_through_dreams_newest_first(dreamer) -> None:
    start = date(2020, 1, 1)
    for n in range(25):
        dreamer.write_dream(
            f"Dream number {n}.", title=f"Night {n:02d}", dreamt_on=(start + timedelta(days=n)).isoformat()
        )
    first = dreamer.get("/journal").text
    assert "25 dreams" in first and "Page 1 of 2" in first
    assert first.count('class="card"') == 20
    assert first.index("Night 24") < first.index("Night 23")
    assert 'href="/journal?page=2"' in first and 'rel="prev"' not in first
    second = dreamer.get("/journal?page=2").text
    assert "Page 2 of 2" in second and second.count('class="card"') == 5
    assert "Night 04" in second and "Night 05" not in second
    assert 'href="/journal?page=1"' in second and 'rel="next"' not in second


def test_search_tag_and_date_filters_narrow_the_journal(dreamer) -> None:
    dreamer.write_dream(
        "A purple elephant danced in the kitchen.", title="Elephant", tags="animals", dreamt_on="2024-05-01"
    )
    dreamer.write_dream("Lost my teeth at school.", title="Teeth", tags="school", dreamt_on="2024-06-01")
    dreamer.write_dream(
        "The elephant came back to school.", title="Return", tags="school, animals", dreamt_on="2024-07-01"
    )

    def titles(query: str) -> set[str]:
        response = dreamer.get("/journal?" + query)
        assert response.status_code == 200
        return set(re.findall(r'<h2><a href="/dreams/[^"]+">([^<]+)</a></h2>', response.text))

    assert titles("") == {"Elephant", "Teeth", "Return"}
    assert titles("q=elephant") == {"Elephant", "Return"}
    assert titles("q=eleph") == {"Elephant", "Return"}  # prefix match on the last word
    assert titles("q=kitchen+elephant") == {"Elephant"}
    assert titles("tag=school") == {"Teeth", "Return"}
    assert titles("from=2024-05-15&to=2024-06-15") == {"Teeth"}
    assert titles("q=elephant&tag=school") == {"Return"}
    assert "No dream matches." in dreamer.get("/journal?q=zebra").text
    paged = dreamer.get("/journal?q=elephant").text
    assert 'value="elephant"' in paged and "Show all" in paged


def test_bad_filters_re_render_the_journal_with_422(dreamer) -> None:
    for query in ("from=not-a-date", "page=0", "page=abc"):
        response = dreamer.get("/journal?" + query)
        assert response.status_code == 422, query
        assert 'class="errors"' in response.text
