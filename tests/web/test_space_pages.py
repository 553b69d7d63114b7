"""The space pages: listing, creating, joining, inviting, contributing and withdrawing."""

from __future__ import annotations

import re

from fastapi import FastAPI
from sqlalchemy import select

from dreamnexus.journal.models import Dream
from dreamnexus.spaces.models import Contribution


def _create_space(weaver, title: str = "Night Sea", **fields: str) -> str:
    form = {
        "title": title,
        "description": "Dreams of water.",
        "access": "open",
        "guidelines": "Be kind.",
        "content_note": "",
        **fields,
    }
    response = weaver.post("/spaces/new", form)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("?")[0].removeprefix("/spaces/")


def _contributions(app: FastAPI) -> list[Contribution]:
    with app.state.db.session() as session:
        return list(session.scalars(select(Contribution).where(Contribution.withdrawn_at.is_(None))))


def test_the_spaces_list_offers_creation_only_to_weavers(weaver, dreamer, visitor) -> None:
    space_id = _create_space(weaver)
    hidden_id = _create_space(weaver, "Secret circle", access="invite")
    assert 'href="/spaces/new"' in weaver.get("/spaces").text
    for person in (dreamer, visitor()):
        html = person.get("/spaces").text
        assert f'href="/spaces/{space_id}"' in html and "Night Sea" in html
        assert hidden_id not in html and "Secret circle" not in html
        assert 'href="/spaces/new"' not in html
    assert dreamer.get("/spaces/new").status_code == 403
    assert dreamer.post("/spaces/new", {"title": "Mine"}).status_code == 403
    assert weaver.get("/spaces/new").status_code == 200


def test_a_bad_space_form_re_renders_with_422(weaver) -> None:
    response = weaver.post("/spaces/new", {"title": "   ", "description": "kept"})
    assert (
        response.status_code == 422
        and 'class="errors"' in response.text
        and ">kept</textarea>" in response.text
    )
    too_long = weaver.post("/spaces/new", {"title": "ok", "content_note": "x" * 301})
    assert too_long.status_code == 422


def test_joining_and_contributing_shows_the_dream_under_its_pseudonym(app, weaver, dreamer) -> None:
    space_id = _create_space(weaver, content_note="Dreams here may mention storms.")
    page = dreamer.get(f"/spaces/{space_id}").text
    assert "Dreams here may mention storms." in page and "Be kind." in page
    assert f'action="/spaces/{space_id}/join"' in page and "Shared dreams" not in page

    assert dreamer.post(f"/spaces/{space_id}/join").status_code == 303
    dream_id = dreamer.write_dream(
        "A storm lifted the house.", title="Storm", visibility="spaces", consent_weaving="1"
    )
    dream_page = dreamer.get(f"/dreams/{dream_id}").text
    assert 'action="/spaces/contribute"' in dream_page and f'value="{space_id}"' in dream_page

    response = dreamer.post(
        "/spaces/contribute", {"space_id": space_id, "dream_id": dream_id, "content_warning": "storms"}
    )
    assert response.status_code == 303 and response.headers["location"].startswith(f"/spaces/{space_id}")

    with app.state.db.session() as session:
        pseudonym = session.scalar(select(Dream.pseudonym).where(Dream.public_id == dream_id))
    seen_by_weaver = weaver.get(f"/spaces/{space_id}").text
    assert "A storm lifted the house." in seen_by_weaver and pseudonym in seen_by_weaver
    assert "dreamer@example.org" not in seen_by_weaver and "Dora Dreamer" not in seen_by_weaver
    warning = re.search(
        r"<details class=\"content-warning\">\s*<summary>(.*?)</summary>(.*?)</details>", seen_by_weaver, re.S
    )
    assert warning and "Content warning: storms" in warning.group(1)
    assert "A storm lifted the house." in warning.group(2)  # only inside the closed <details>

    # The dream page now lists the space with a withdraw button.
    dream_page = dreamer.get(f"/dreams/{dream_id}").text
    assert f'href="/spaces/{space_id}"' in dream_page and "/withdraw" in dream_page
    assert "It is shared in every space you belong to." in dream_page


def test_contributing_through_the_space_route_and_its_errors(app, weaver, dreamer) -> None:
    space_id = _create_space(weaver)
    dreamer.post(f"/spaces/{space_id}/join")
    private_id = dreamer.write_dream("Only mine.", title="Private one")
    response = dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": private_id})
    assert response.status_code == 422 and "This dream is private" in response.text
    shared_id = dreamer.write_dream("Glass birds sang at noon.", visibility="spaces")
    bad_excerpt = dreamer.post(
        f"/spaces/{space_id}/contribute", {"dream_id": shared_id, "excerpt": "not in it"}
    )
    assert bad_excerpt.status_code == 422 and "copied from the dream" in bad_excerpt.text
    assert ">not in it</textarea>" in bad_excerpt.text
    ok = dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": shared_id, "excerpt": "Glass birds"})
    assert ok.status_code == 303
    again = dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": shared_id})
    assert again.status_code == 409
    assert [c.excerpt for c in _contributions(app)] == ["Glass birds"]
    html = weaver.get(f"/spaces/{space_id}").text
    assert "Glass birds" in html and "sang at noon" not in html and "excerpt" in html
    assert f'href="/dreams/{shared_id}"' not in html  # an excerpt does not link to the whole dream


def test_withdrawing_returns_to_the_page_it_came_from(app, weaver, dreamer) -> None:
    space_id = _create_space(weaver)
    dreamer.post(f"/spaces/{space_id}/join")
    dream_id = dreamer.write_dream("Falling through clouds.", visibility="spaces")
    dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": dream_id})
    (contribution,) = _contributions(app)
    assert weaver.post(f"/contributions/{contribution.public_id}/withdraw").status_code == 404  # not theirs
    response = dreamer.post(
        f"/contributions/{contribution.public_id}/withdraw", {"next": f"/dreams/{dream_id}"}
    )
    assert response.status_code == 303 and response.headers["location"].startswith(
        f"/dreams/{dream_id}?notice="
    )
    assert _contributions(app) == []
    assert "Falling through clouds." not in weaver.get(f"/spaces/{space_id}").text

    dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": dream_id})
    (again,) = _contributions(app)
    evil = dreamer.post(f"/contributions/{again.public_id}/withdraw", {"next": "https://evil.example/"})
    assert evil.headers["location"].startswith("/journal")  # only same-site targets
    dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": dream_id})
    (third,) = _contributions(app)
    plain = dreamer.post(f"/contributions/{third.public_id}/withdraw")
    assert plain.headers["location"].startswith(f"/spaces/{space_id}")


def test_invite_only_spaces_are_hidden_until_an_invite_is_accepted(weaver, dreamer, visitor) -> None:
    space_id = _create_space(weaver, "Hidden grove", access="invite")
    assert dreamer.get(f"/spaces/{space_id}").status_code == 404
    assert dreamer.post(f"/spaces/{space_id}/join").status_code == 404

    created = weaver.post(f"/spaces/{space_id}/invites")
    assert created.status_code == 201
    link = re.search(r'<code class="token">(http://testserver/invites/[^<]+)</code>', created.text)
    assert link, created.text
    path = link.group(1).removeprefix("http://testserver")
    assert path not in weaver.get(f"/spaces/{space_id}").text  # shown once only

    anonymous = visitor().get(path)
    assert anonymous.status_code == 200 and "Hidden grove" not in anonymous.text
    assert f'href="/signin?next={path}"' in anonymous.text

    invited = dreamer.get(path)
    assert (
        invited.status_code == 200 and "Hidden grove" in invited.text and f'action="{path}"' in invited.text
    )
    joined = dreamer.post(path)
    assert joined.status_code == 303 and joined.headers["location"].startswith(f"/spaces/{space_id}")
    assert "Shared dreams" in dreamer.get(f"/spaces/{space_id}").text
    assert dreamer.get("/invites/not-a-real-token").status_code == 404


def test_only_the_spaces_weavers_edit_it(weaver, dreamer) -> None:
    space_id = _create_space(weaver)
    dreamer.post(f"/spaces/{space_id}/join")
    assert f'href="/spaces/{space_id}/edit"' not in dreamer.get(f"/spaces/{space_id}").text
    assert dreamer.get(f"/spaces/{space_id}/edit").status_code == 403
    assert dreamer.post(f"/spaces/{space_id}/edit", {"title": "Taken over"}).status_code == 403
    form = weaver.get(f"/spaces/{space_id}/edit").text
    assert 'value="Night Sea"' in form and "Be kind.</textarea>" in form
    response = weaver.post(
        f"/spaces/{space_id}/edit", {"title": "Night Ocean", "guidelines": "Be gentle.", "access": "invite"}
    )
    assert response.status_code == 303
    html = weaver.get(f"/spaces/{space_id}").text
    assert "Night Ocean" in html and "Be gentle." in html and "Invite only" in html
    assert weaver.post(f"/spaces/{space_id}/edit", {"title": " "}).status_code == 422


def test_leaving_a_space_withdraws_my_contributions(app, weaver, dreamer) -> None:
    space_id = _create_space(weaver)
    dreamer.post(f"/spaces/{space_id}/join")
    dream_id = dreamer.write_dream("Leaving soon.", visibility="public")
    dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": dream_id})
    assert len(_contributions(app)) == 1
    response = dreamer.post(f"/spaces/{space_id}/leave")
    assert response.status_code == 303 and _contributions(app) == []
    assert f'action="/spaces/{space_id}/join"' in dreamer.get(f"/spaces/{space_id}").text
    assert weaver.post(f"/spaces/{space_id}/leave").status_code == 409  # its creator stays


def test_space_forms_need_the_csrf_token(weaver, dreamer) -> None:
    space_id = _create_space(weaver)
    assert dreamer.post(f"/spaces/{space_id}/join", csrf=False).status_code == 403
    assert weaver.post(f"/spaces/{space_id}/invites", {"csrf_token": "x"}, csrf=False).status_code == 403
    assert "Shared dreams" not in dreamer.get(f"/spaces/{space_id}").text


def test_signed_out_visitors_see_open_spaces_but_not_contributions(weaver, dreamer, visitor) -> None:
    space_id = _create_space(weaver)
    dreamer.post(f"/spaces/{space_id}/join")
    dream_id = dreamer.write_dream("Members only words.", visibility="spaces")
    dreamer.post(f"/spaces/{space_id}/contribute", {"dream_id": dream_id})
    html = visitor().get(f"/spaces/{space_id}").text
    assert "Night Sea" in html and "Members only words." not in html and "Sign in to join" in html
    assert visitor().post(f"/spaces/{space_id}/join").status_code == 401
