"""A Polda's orders: every Polres's Sprin, ploting, cards and maps in one ZIP, made by a job
with progress, for the Polda (read as its Karoops would: start, wait, download, open)."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse

from siaga.audit.models import AuditEntry
from siaga.plans.models import PlanJob
from tests.web.test_access_matrix import polda_client, two_polres  # noqa: F401  (the fixture)


def test_the_polda_prints_every_polres_orders_in_one_pack(two_polres, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    settings.SIAGA_JOBS_INLINE = True  # the job runs in the request; a worker runs it on a server
    karoops = polda_client("polda_jatim")
    page = karoops.get(reverse("polda_dashboard")).content.decode()
    assert reverse("polda_orders_start") in page
    started = karoops.post(reverse("polda_orders_start"))
    assert started.status_code == 302
    job = PlanJob.objects.get(kind="polda")
    assert started["Location"] == reverse("job_status", args=[job.pk])
    assert job.status == PlanJob.Status.DONE, job.message  # the tests run jobs inline
    assert job.message == "Surat perintah 2 operasi dari 2 Polres siap diunduh"
    shown = karoops.get(started["Location"]).content.decode()
    assert reverse("polda_orders_file", args=[job.pk]) in shown
    answer = karoops.get(reverse("polda_orders_file", args=[job.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    pack = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    folders = {name.split("/")[0] for name in pack.namelist()}
    mine, other = two_polres["mine"], two_polres["other"]
    assert folders == {
        f"Polres Pasuruan Kota - {mine[0].name} v{mine[1].version}",
        f"Polres Pasuruan - {other[0].name} v{other[1].version}",
    }
    for folder in folders:
        files = {name.split("/")[1] for name in pack.namelist() if name.startswith(folder + "/")}
        assert files == {"sprin.pdf", "ploting.xlsx", "kartu.pdf", "peta.pdf", "paket-briefing.pdf"}
        assert pack.read(f"{folder}/sprin.pdf").startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download_polda_orders", object_id=str(job.pk)).count() == 1
    # another Polda's Karoops cannot take this one's pack; a Polres's commander cannot start one
    assert polda_client("polda_bali").get(reverse("polda_orders_file", args=[job.pk])).status_code == 404
    assert polda_client("paskot_commander").post(reverse("polda_orders_start")).status_code == 403
    assert reverse("polda_orders_start") not in polda_client("paskot_commander").get("/polda/").content.decode()


def test_a_second_press_while_the_pack_is_being_made_starts_nothing(two_polres, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    karoops = polda_client("polda_jatim")  # jobs queued, not run: no worker in tests
    first = karoops.post(reverse("polda_orders_start"))
    second = karoops.post(reverse("polda_orders_start"))
    job = PlanJob.objects.get(kind="polda")
    assert first["Location"] == second["Location"] == reverse("job_status", args=[job.pk])
    assert AuditEntry.objects.filter(action="start_polda_orders").count() == 1
    job.status = PlanJob.Status.DONE
    job.save(update_fields=["status"])
    karoops.post(reverse("polda_orders_start"))
    assert PlanJob.objects.filter(kind="polda").count() == 2  # once done, a new pack may be made


def test_the_pack_holds_the_election_the_dashboard_shows(two_polres, settings, tmp_path):  # noqa: F811
    """The dashboard shows one election at a time; its pack is of that election alone: the
    operations of another vote day (here the other Polres's, moved a year on) are left out,
    and its own pack is asked for from its own tab."""
    import datetime as dt

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SIAGA_CARD_KEY_FILE = str(tmp_path / "card-key")
    settings.SIAGA_JOBS_INLINE = True
    mine, other = two_polres["mine"][0], two_polres["other"][0]
    other.election_date = mine.election_date + dt.timedelta(days=365)
    other.save(update_fields=["election_date"])
    karoops = polda_client("polda_jatim")
    page = karoops.get(reverse("polda_dashboard"), {"election": mine.election_date.isoformat()}).content.decode()
    assert f'name="election" value="{mine.election_date.isoformat()}"' in page
    karoops.post(reverse("polda_orders_start"), {"election": mine.election_date.isoformat()})
    job = PlanJob.objects.get(kind="polda")
    assert job.message == "Surat perintah 1 operasi dari 1 Polres siap diunduh", job.message
    answer = karoops.get(reverse("polda_orders_file", args=[job.pk]))
    pack = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    assert {name.split("/")[0] for name in pack.namelist()} == {
        f"Polres Pasuruan Kota - {mine.name} v{two_polres['mine'][1].version}"
    }
    later = karoops.get(reverse("polda_dashboard"), {"election": other.election_date.isoformat()}).content.decode()
    assert reverse("job_status", args=[job.pk]) not in later  # that tab's last pack is not this one
    karoops.post(reverse("polda_orders_start"), {"election": other.election_date.isoformat()})
    second = PlanJob.objects.filter(kind="polda").latest("pk")
    assert second.pk != job.pk and second.params["election"] == other.election_date.isoformat()
    assert second.message == "Surat perintah 1 operasi dari 1 Polres siap diunduh"


def test_a_pack_with_nothing_printed_offers_no_download_and_says_so(two_polres, settings, tmp_path):  # noqa: F811
    """Every published plan of the election fails the check on today's data: the job says that
    nothing could be printed, offers no empty ZIP, and says what the Polres must do."""
    settings.MEDIA_ROOT = tmp_path / "media"
    karoops = polda_client("polda_jatim")
    karoops.post(reverse("polda_orders_start"))
    job = PlanJob.objects.get(kind="polda")
    rows = [{"polres": "Polres Uji", "operation": "Pam Uji", "version": 1, "plan": 1}] * job.params["plans"]
    job.params = {**job.params, "file": "orders/x.zip", "left_out": rows}
    job.status = PlanJob.Status.DONE
    job.save(update_fields=["params", "status"])
    page = karoops.get(reverse("job_status", args=[job.pk])).content.decode()
    assert 'id="polda-pack-empty"' in page and reverse("polda_orders_file", args=[job.pk]) not in page
    assert "perlu menerbitkan rencana yang sah" in page
