"""A post is named in its reader's language on the console ("TPS post 3 Desa Semare" in
English, "Pos TPS 3 Desa Semare" in Indonesian); the orders and the files for Polri's systems
keep the Sprin's Indonesian names; one home names them (`plans.names`, `ploting.names_of_posts`)."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client
from django.utils import translation

from siaga.core.data import demo
from siaga.core.documents import ploting
from siaga.core.planning.plan import plan as make_plan
from siaga.plans.names import operation_post_labels, post_labels
from tests.web.conftest import client_for, publish


def in_english(name: str) -> Client:
    client = client_for(name)
    client.cookies["django_language"] = "en"
    return client


def test_the_core_names_each_kind_of_post_in_either_language() -> None:
    scenario = demo.pasuruan_kota()
    posts = make_plan(scenario).posts
    indonesian = ploting.post_names(scenario, posts)
    english = ploting.post_names(scenario, posts, "en")
    assert indonesian == ploting.post_names(scenario, posts, "id")  # the orders' names, as before
    by_kind = {p.kind: p.id for p in reversed(posts)}
    tps, village = by_kind["TPS"], by_kind["VILLAGE"]
    assert re.fullmatch(r"Pos TPS [\d,\- ]+ (Desa|Kelurahan) .+", indonesian[tps])
    assert english[tps] == indonesian[tps].replace("Pos TPS", "TPS post", 1)
    assert indonesian[village].startswith(("Jaga balai desa ", "Jaga kantor kelurahan "))
    assert english[village].startswith(("Village hall guard ", "Kelurahan office guard "))
    if "RESERVE" in by_kind:
        assert re.fullmatch(r"(Brimob reserve|Reserve) at .+ \(team \d+\)", english[by_kind["RESERVE"]])
    assert len(set(english.values())) == len(english)  # told apart as the Indonesian ones are


def test_the_console_names_posts_in_the_readers_language(operation: Any, plan: Any) -> None:
    publish(plan)
    codes = list(plan.posts.filter(kind__in=["TPS", "VILLAGE"]).values_list("code", flat=True))
    indonesian, english = post_labels(plan, codes, "id"), post_labels(plan, codes, "en")
    assert any(n.startswith("TPS post ") for n in english.values())
    assert not any(n.startswith(("Pos TPS", "Jaga ")) for n in english.values())
    assert operation_post_labels(operation.pk, codes, "en") == english
    with translation.override("en"):  # by default, the page's language
        assert post_labels(plan, codes) == english
    with translation.override("id"):
        assert post_labels(plan, codes) == indonesian

    page = in_english("planner").get(f"/plans/{plan.pk}/posts/").content.decode()
    assert "TPS post " in page and "Pos TPS " not in page
    page = client_for("planner").get(f"/plans/{plan.pk}/posts/").content.decode()
    assert "Pos TPS " in page and "TPS post " not in page


def test_the_personnel_list_names_a_persons_post_as_the_plan_page_does(operation: Any, plan: Any) -> None:
    publish(plan)
    person, post = plan.assignments.filter(post__kind="TPS").values_list("person_code", "post__code").first()
    for client, lang in ((client_for("planner"), "id"), (in_english("planner"), "en")):
        page = client.get(f"/ops/{operation.pk}/personnel/", {"q": person}).content.decode()
        shown = re.search(r'<td class="post">(.*?)</td>', page).group(1)
        assert shown == post_labels(plan, [post], lang)[post]


def test_files_for_polri_keep_the_sprins_names(operation: Any, plan: Any) -> None:
    """The files for Polri's systems name posts as the Sprin does, whoever downloads them."""
    from siaga.field.models import Incident

    publish(plan)
    person, post = plan.assignments.filter(post__kind="TPS").values_list("person_code", "post__code").first()
    Incident.objects.create(operation=operation, kind="bentrok", severity=2, post_id=post, description="Saling dorong")
    sprin = post_labels(plan, [post], "id")[post]
    client = in_english("planner")
    incidents = json.loads(client.get(f"/ops/{operation.pk}/interchange/kejadian.json").content)
    people = json.loads(client.get(f"/ops/{operation.pk}/interchange/personel.json").content)
    assert sprin in json.dumps(incidents, ensure_ascii=False)
    assert sprin in json.dumps([r for r in people["rows"] if person in json.dumps(r)], ensure_ascii=False)
    assert "TPS post" not in json.dumps([incidents, people], ensure_ascii=False)


def test_a_persons_roster_reads_in_his_language(operation: Any, plan: Any) -> None:
    """The phone's roster: the vote's post and the roster's duties in the reader's language."""
    import datetime as dt

    from siaga.core.data import duties
    from siaga.field.services.duties import phone_names

    publish(plan)
    roster = plan.extra["roster"]
    holder = next(a["person"] for a in roster["assignments"])
    before = dt.datetime(2022, 3, 20, 12, 0)
    with translation.override("id"):
        indonesian = [d.name for d in phone_names(plan, holder, before).duties]
    with translation.override("en"):
        english = [d.name for d in phone_names(plan, holder, before).duties]
    assert len(english) == len(indonesian) >= 1
    assert english != indonesian
    for i, e in zip(indonesian, english, strict=True):  # a post of the vote, or a duty of the roster
        assert e == (i.replace("Pos TPS", "TPS post", 1) if i.startswith("Pos TPS") else duties.duty_name(i, "en"))
    assert not any(n.startswith(("Jaga ", "Pengawalan", "Pengamanan", "Pos TPS")) for n in english)
