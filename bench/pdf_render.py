"""Prints what a PDF costs: render time through the task code against WeasyPrint alone on the same
HTML, the worker's peak memory, sealing time, and click-to-done with a real worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_NAME REDIS_URL=redis://127.0.0.1:6379/N \\
        .venv/bin/python bench/pdf_render.py [--rounds 5] [--clicks 5] [--seals 10]

Two agreements: (a) a strategic agreement of 30 parties (Pohjois-Pohjanmaa) with the demo's section
texts, 20 goals with a measure and an indicator each and three forums, about 15 pages; (b) the demo's
TYM agreement (Tampereen seutu, with its staff and cost rows).

It needs PostgreSQL (DATABASE_URL): it creates a scratch database next to the configured one
(its name with ``_pdfbench`` added), migrates it, commits its data there so that a worker process
can read it, and drops it at the end. The worker figures (peak memory, click-to-done) need a real
Celery worker on REDIS_URL, which the script starts (``celery worker --pool prefork --concurrency
1``, as in production, with the seal configured so that it warms up as production's does); without
REDIS_URL that part is skipped. The seal is a self-signed certificate made in a temporary folder.

Render times are medians of ``--rounds`` renders, the variants taking turns so a slower moment of
the machine falls on all of them alike. "WeasyPrint alone" is ``weasyprint.HTML(...).write_pdf``
on the HTML of ``pdfs.document.document_html`` with the shipped fonts and the same output options
(PDF/A-3b, tagged); our overhead is the task's time over that, in wall-clock time and in the bench
process's CPU time (steadier on a busy machine; it leaves out the database server's share).
Click-to-done is measured twice: until the worker has stored the PDF (its ``finished_at``), and
until the page shows the download, polling the status twice a second as the page's htmx does.
"""

import argparse
import contextlib
import datetime
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yhdyspinta.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from agreements.demo import GOALS, TEXTS  # noqa: E402
from agreements.models import Agreement, Forum  # noqa: E402
from agreements.services import agreement_start, forum_save, goal_save, indicator_save, measure_save, section_save  # noqa: E402
from pdfs import document, services  # noqa: E402
from pdfs.data import FILENAME as ATTACHMENT_NAME  # noqa: E402
from pdfs.data import attached_json  # noqa: E402
from pdfs.models import Rendition  # noqa: E402
from regions.models import WellbeingCounty  # noqa: E402
from regions.services import areas_load  # noqa: E402
from users.models import Role, User  # noqa: E402
from users.services import demo_users_ensure, organisation_role_grant  # noqa: E402

POLL_S = 0.5  # the page's htmx polls the job's status this often
TARGETS = {"overhead": 1.10, "memory_mb": 150, "seal_s": 0.3, "click_s": 2.0}


# --- the data


def strategic() -> tuple[Agreement, User]:
    """31 parties (the county and its 30 municipalities), the demo's texts, 20 goals, three forums."""
    county = WellbeingCounty.objects.get(code="19")  # Pohjois-Pohjanmaa: the county and 30 municipalities
    coordinator = User.objects.create(username="bench-coordinator")
    organisation_role_grant(user=coordinator, organisation=county, role=Role.COORDINATOR)
    agreement = agreement_start(by=coordinator, county=county, title="Pohjois-Pohjanmaan strateginen sopimus (bench)")
    parties = list(agreement.parties.order_by("position", "pk"))
    sections = {s.key: s for s in agreement.sections.all()}
    for key, text in TEXTS.items():
        if key in sections:
            section_save(section=sections[key], text=text, base_version=0, by=coordinator)
    for n in range(20):
        title, theme, measure, schedule, (name, unit, base, base_year, target, target_year, source, freq) = GOALS[
            n % len(GOALS)
        ]
        goal = goal_save(
            agreement=agreement,
            by=coordinator,
            title=f"{title} ({n + 1})",
            theme=theme,
            responsible_parties=parties[n % 25 : n % 25 + 5],
        )
        measure_save(
            goal=goal,
            by=coordinator,
            description=measure,
            lead_party=parties[0],
            co_parties=parties[1:4],
            schedule=schedule,
        )
        indicator_save(
            goal=goal,
            by=coordinator,
            name=name,
            unit=unit,
            baseline_value=Decimal(base),
            baseline_year=base_year,
            target_value=Decimal(target),
            target_year=target_year,
            data_source=source,
            frequency=freq,
        )
    for name, level, seats in (
        ("Poliittinen yhteistyöfoorumi", Forum.Level.POLITICAL, dict.fromkeys(parties, 1)),
        ("Kuntajohtajien ja hyvinvointialuejohdon kokous", Forum.Level.EXECUTIVE, dict.fromkeys(parties, 1)),
        ("Hyvinvoinnin ja terveyden edistämisen verkosto", Forum.Level.EXPERT, dict.fromkeys(parties[:6], 1)),
    ):
        forum_save(agreement=agreement, by=coordinator, name=name, level=level, chair=parties[0], seats=seats)
    return agreement, coordinator


def tym() -> tuple[Agreement, User]:
    from tym.demo import demo_groups_ensure, demo_tampere_ensure

    demo_groups_ensure()
    agreement = demo_tampere_ensure()
    return agreement, User.objects.get(username="tampereen-seutu")


# --- the scratch database


@contextlib.contextmanager
def scratch_database():
    """A migrated database of its own beside the configured one, dropped afterwards."""
    if connection.vendor != "postgresql":
        sys.exit("bench/pdf_render.py needs PostgreSQL: set DATABASE_URL (a worker process must read the data).")
    db = settings.DATABASES["default"]
    scratch = f"{db['NAME']}_pdfbench"
    db.setdefault("TEST", {})["NAME"] = scratch
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield scratch
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# --- render times


def weasyprint_alone(html: str, *, pdf_a: bool) -> bytes:
    """WeasyPrint on the same HTML with the shipped fonts: with our output options (PDF/A-3b,
    tagged), or plain."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from pdfs.weasy import font_css

    fonts = FontConfiguration()
    stylesheet = weasyprint.CSS(string=font_css(Path(settings.PDF_FONT_DIR)), font_config=fonts)
    options = {"pdf_variant": "pdf/a-3b", "pdf_tags": True} if pdf_a else {}
    return weasyprint.HTML(string=html, base_url=Path(settings.BASE_DIR).resolve().as_uri() + "/").write_pdf(
        stylesheets=[stylesheet], font_config=fonts, **options
    )


def through_weasy_module(agreement: Agreement, html: str, attachment: tuple) -> bytes:
    """``pdfs.weasy.write_pdf`` as ``document.render`` calls it, on HTML made beforehand."""
    from pdfs import weasy

    version = document.agreement_version(agreement)
    return weasy.write_pdf(
        html,
        base_url=Path(settings.BASE_DIR).resolve().as_uri() + "/",
        created=version.at,
        attachment=attachment,
        font_dir=Path(settings.PDF_FONT_DIR),
        title=agreement.title,
        anchor=document.SEAL_ANCHOR,
    ).pdf


def through_the_task(agreement: Agreement, user: User) -> Rendition:
    """``services.rendition_render`` on a queued rendition, as the task calls it (no broker)."""
    queued = Rendition.objects.create(agreement=agreement, purpose=Rendition.Purpose.READING, requested_by=user)
    rendition = services.rendition_render(queued.pk)
    assert rendition is not None and rendition.status == Rendition.Status.DONE, queued.pk
    Rendition.objects.filter(pk=queued.pk).delete()
    return rendition


def render_times(agreement: Agreement, user: User, rounds: int) -> dict:
    html = document.document_html(agreement)
    attachment = (ATTACHMENT_NAME, attached_json(agreement), "bench")
    variants = {
        "task": lambda: through_the_task(agreement, user),
        "document.render": lambda: document.render(agreement),
        "pdfs.weasy.write_pdf": lambda: through_weasy_module(agreement, html, attachment),
        "WeasyPrint alone": lambda: weasyprint_alone(html, pdf_a=True),
        "WeasyPrint alone, plain PDF": lambda: weasyprint_alone(html, pdf_a=False),
        "document_html": lambda: document.document_html(agreement),
        "attached_json": lambda: attached_json(agreement),
    }
    for run in variants.values():
        run()  # warm: imports, templates, fonts
    times: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    rendered = document.render(agreement)
    return {
        "pages": rendered.pages,
        "size": len(rendered.pdf),
        "medians": {name: statistics.median(values) for name, values in times.items()},
        "cpu": {name: statistics.median(values) for name, values in cpu.items()},
    }


# --- sealing


def seal_times(agreement: Agreement, folder: Path, count: int) -> dict:
    from pdfs import seal

    settings.SEAL_CERTIFICATE, settings.SEAL_KEY = folder / "certificate.pem", folder / "key.pem"
    seal.make_certificate(settings.SEAL_CERTIFICATE, settings.SEAL_KEY, common_name="Bench", organisation="Bench")
    rendered = document.render(agreement, final=True)

    def one() -> float:
        start = time.perf_counter()
        with translation.override(agreement.language):
            sealed = seal.seal_pdf(
                rendered.pdf, page=rendered.seal_page, box=rendered.seal_box, reason="Bench", location="bench"
            )
        seconds = time.perf_counter() - start
        assert seal.validate(sealed.pdf).valid
        return seconds

    def forget() -> None:  # as a new process finds it: neither the key nor the stamp's font loaded
        seal._cached_signer.cache_clear()
        seal._stamp_font.cache_clear()

    forget()
    cold = one()
    forget()
    start = time.perf_counter()
    seal.warm_up()
    warm_up = time.perf_counter() - start
    after_warm_up = one()
    return {
        "pages": rendered.pages,
        "cold": cold,
        "warm_up": warm_up,
        "after_warm_up": after_warm_up,
        "median": statistics.median(one() for _ in range(count)),
    }


# --- a real worker


def read_status(pid: int) -> dict[str, int]:
    """VmHWM and VmRSS of a process and its proportional and private share now (shared pages of
    a forked pool process counted once between them), in kB."""
    fields = {}
    for name in ("status", "smaps_rollup"):
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS", "Pss", "Private_Clean", "Private_Dirty"):
                fields[key] = int(value.split()[0])
    fields["Private"] = fields.pop("Private_Clean", 0) + fields.pop("Private_Dirty", 0)
    return fields


def pool_processes(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def worker_start(log: Path, folder: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yhdyspinta.settings",
        "DATABASE_URL": database_url(),
        "SEAL_CERTIFICATE": str(folder / "certificate.pem"),
        "SEAL_KEY": str(folder / "key.pem"),
    }
    command = [sys.executable, "-m", "celery", "--app", "yhdyspinta", "worker", "--pool", "prefork"]
    command += ["--concurrency", "1", "--loglevel", "WARNING", "--hostname", f"pdfbench-{os.getpid()}@%h"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    from yhdyspinta.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"the worker did not start:\n{log.read_text()}")
    return process


def click(client: Client, agreement: Agreement) -> tuple[float, float, Rendition]:
    """Presses Create PDF as the page does (htmx), then polls the status twice a second as the page
    does until it shows the download: (seconds until stored, seconds until shown, the rendition)."""
    Rendition.objects.filter(agreement=agreement, purpose=Rendition.Purpose.READING).delete()
    clicked = time.time()
    response = client.post(reverse("pdfs:create", args=[agreement.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.status_code
    rendition = Rendition.objects.defer("content").get(agreement=agreement, purpose=Rendition.Purpose.READING)
    status = reverse("pdfs:status", args=[agreement.pk, rendition.pk])
    download = reverse("pdfs:download", args=[agreement.pk, rendition.pk])
    answered = time.time()
    deadline = clicked + 120
    polls = 0
    while True:
        polls += 1
        time.sleep(max(0.0, answered + polls * POLL_S - time.time()))  # hx-trigger="every 500ms" after the swap
        page = client.get(status, HTTP_HX_REQUEST="true").content.decode()
        if download in page:
            shown = time.time()
            break
        if "message--error" in page or time.time() > deadline:
            sys.exit(f"the PDF was not made: {Rendition.objects.defer('content').get(pk=rendition.pk).failure}")
    rendition.refresh_from_db(fields=["status", "finished_at", "worker", "pages"])
    return rendition.finished_at.timestamp() - clicked, shown - clicked, rendition


def worker_figures(jobs: list[tuple[str, Agreement, User]], folder: Path, clicks: int) -> dict:
    log = folder / "worker.log"
    process = worker_start(log, folder)
    try:
        idle = {child: read_status(child) for child in pool_processes(process.pid)}
        results = {}
        renderers = set()
        for name, agreement, user in jobs:
            client = Client()
            client.force_login(user)
            first_stored, first_shown, rendition = click(client, agreement)  # the worker process's first job
            renderers.add(int(rendition.worker.rsplit(":", 1)[1]))
            stored, shown = [], []
            for _ in range(clicks):
                s, v, rendition = click(client, agreement)
                stored.append(s)
                shown.append(v)
                renderers.add(int(rendition.worker.rsplit(":", 1)[1]))
            results[name] = {
                "first_stored": first_stored,
                "first_shown": first_shown,
                "stored": statistics.median(stored),
                "shown": statistics.median(shown),
            }
        memory = {pid: read_status(pid) for pid in sorted(renderers)}
        parent = read_status(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return {"clicks": results, "renderers": memory, "parent": parent, "idle": idle}


# --- the report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="renders of each variant (median)")
    parser.add_argument("--clicks", type=int, default=5, help="Create PDF presses per agreement (median)")
    parser.add_argument("--seals", type=int, default=10, help="seals after the first (median)")
    options = parser.parse_args()
    setup_test_environment()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line for every force_login
    rows: list[tuple[str, str, str]] = []

    def row(figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else (" met" if met else " MISSED")
        rows.append((figure, value, target + verdict))

    with scratch_database(), tempfile.TemporaryDirectory(prefix="pdfbench-") as tmp:
        folder = Path(tmp)
        areas_load()
        demo_users_ensure()
        jobs = [("strategic", *strategic()), ("TYM", *tym())]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        for name, agreement, user in jobs:
            figures = render_times(agreement, user, options.rounds)
            m, c = figures["medians"], figures["cpu"]
            overhead = m["task"] / m["WeasyPrint alone"]
            cpu_overhead = c["task"] / c["WeasyPrint alone"]
            label = (
                f"{name} ({agreement.parties.count()} parties, {figures['pages']} pages, {figures['size'] // 1024} kB)"
            )
            row(f"{label}: render through the task", f"{m['task']:.2f} s")
            row("  document.render", f"{m['document.render']:.2f} s")
            row("  pdfs.weasy.write_pdf on the same HTML", f"{m['pdfs.weasy.write_pdf']:.2f} s")
            row("  WeasyPrint alone (PDF/A-3b, tagged)", f"{m['WeasyPrint alone']:.2f} s")
            row("  WeasyPrint alone, plain PDF", f"{m['WeasyPrint alone, plain PDF']:.2f} s")
            row(
                "  our overhead: task / WeasyPrint alone",
                f"{overhead:.2f}x",
                f"<= {TARGETS['overhead']:.2f}x",
                overhead <= TARGETS["overhead"],
            )
            row(
                "  the same in this process's CPU time",
                f"{cpu_overhead:.2f}x",
                f"<= {TARGETS['overhead']:.2f}x",
                cpu_overhead <= TARGETS["overhead"],
            )
            row("  task / WeasyPrint alone, plain PDF", f"{m['task'] / m['WeasyPrint alone, plain PDF']:.2f}x")
            row("  of the task: document_html (queries, template)", f"{m['document_html']:.2f} s")
            row("  of the task: attached_json (the attachment)", f"{m['attached_json']:.2f} s")
            fixed = (m["document_html"] + m["attached_json"]) / m["WeasyPrint alone"]
            row("  these two over WeasyPrint alone", f"{fixed:.0%}", f"<= {TARGETS['overhead'] - 1:.0%}",
                fixed <= TARGETS["overhead"] - 1)  # fmt: skip

        sealing = seal_times(jobs[0][1], folder, options.seals)
        row(f"seal the strategic final PDF ({sealing['pages']} pages): median", f"{sealing['median']:.3f} s",
            f"< {TARGETS['seal_s']} s", sealing["median"] < TARGETS["seal_s"])  # fmt: skip
        row("  first seal in a process (key, stamp font not loaded)", f"{sealing['cold']:.3f} s")
        row("  seal.warm_up (a worker does it when it starts)", f"{sealing['warm_up']:.3f} s")
        row("  first seal after warm_up", f"{sealing['after_warm_up']:.3f} s", f"< {TARGETS['seal_s']} s",
            sealing["after_warm_up"] < TARGETS["seal_s"])  # fmt: skip

        if not settings.REDIS_URL:
            row("worker memory, click-to-done", "skipped: REDIS_URL is not set")
        else:
            worker = worker_figures(jobs, folder, options.clicks)
            peak = max(m["VmHWM"] for m in worker["renderers"].values()) / 1024
            row("worker process peak memory (VmHWM), rendering both", f"{peak:.0f} MB", f"< {TARGETS['memory_mb']} MB",
                peak < TARGETS["memory_mb"])  # fmt: skip
            renderer = max(worker["renderers"].values(), key=lambda m: m["VmHWM"])
            row(
                "  the same process now: proportional / private",
                f"{renderer['Pss'] / 1024:.0f} / {renderer['Private'] / 1024:.0f} MB",
            )
            if worker["idle"]:
                idle = max(m["VmHWM"] for m in worker["idle"].values()) / 1024
                row("  the pool process before its first job (VmHWM)", f"{idle:.0f} MB")
            row("  the worker's main process (VmHWM)", f"{worker['parent']['VmHWM'] / 1024:.0f} MB")
            for name, c in worker["clicks"].items():
                row(f"{name}: click to PDF stored, median of {options.clicks}", f"{c['stored']:.2f} s")
                row("  click to download shown (0.5 s polling)", f"{c['shown']:.2f} s", f"< {TARGETS['click_s']} s",
                    c["shown"] < TARGETS["click_s"])  # fmt: skip
                row(
                    "  a new worker's first job: stored / shown",
                    f"{c['first_stored']:.2f} s / {c['first_shown']:.2f} s",
                )

    cpus = os.cpu_count()
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    python = platform.python_version()
    print(f"{today}; {platform.machine()}, {cpus} cores; Python {python}; {document.renderer_version()}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"median of {options.rounds} renders, {options.seals} seals, {options.clicks} clicks; load average {load}")
    width = max(len(r[0]) for r in rows)
    for figure, value, target in rows:
        print(f"{figure:<{width}}  {value:>16}  {target}")


if __name__ == "__main__":
    main()
