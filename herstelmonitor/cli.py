"""Command line: `python -m herstelmonitor sample|ingest|kpis|prognose|bench ...`. Messages for people are Dutch."""
import argparse
import json
import sys
from datetime import date
from pathlib import Path

from herstelmonitor import db, metrics, queries
from herstelmonitor.ingest import ACCEPTED, REFUSED, extract_files, ingest, mark_as_sample, skipped_files
from herstelmonitor.paths import DEFAULT_DB, DEFAULT_EXTRACTS, ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="herstelmonitor", description="Herstelmonitor: extracten en cijfers.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="schrijf voorbeeldextracten")
    p.add_argument("--out", type=Path, default=DEFAULT_EXTRACTS)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--format", choices=("csv", "parquet"), default="csv")
    p.set_defaults(run=cmd_sample)

    p = sub.add_parser("ingest", help="laad extracten in de database")
    p.add_argument("folder", nargs="?", type=Path, default=DEFAULT_EXTRACTS)
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument("--vervang-kleiner", action="store_true",
                   help="laad ook een bestand met minder dan de helft van de rijen van het vorige (bedoelde daling)")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("kpis", help="toon de cijfers van een peildatum")
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument("--peildatum", type=date.fromisoformat)
    p.add_argument("--json", action="store_true", help="als JSON (de enige vorm die er nu is)")
    p.set_defaults(run=cmd_kpis)

    p = sub.add_parser("prognose", help="voorspel het tempo op een landelijke reeks (CSV met cumulatieve aantallen)")
    p.add_argument("--reeks", type=Path, required=True,
                   help="CSV met kolommen datum,aangemeld,eerste_toets_afgerond,erkend_gedupeerd,forfait_betaald,"
                        "integrale_beoordeling_afgerond; lege cellen mogen")
    p.add_argument("--peildatum", required=True, help="JJJJ-MM-DD; rijen na deze datum tellen niet mee")
    p.add_argument("--venster", type=int, help="weken waarover het tempo wordt gemeten (standaard: de beste in de terugtoets)")
    p.add_argument("--json", action="store_true", help="als JSON (de enige vorm die er nu is)")
    p.set_defaults(run=cmd_prognose)

    p = sub.add_parser("bench", help="meet de snelheid bij landelijke schaal en tien keer zo groot")
    p.add_argument("--scale", type=float, action="append", help="herhaal voor meer schalen (standaard 1 en 10)")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    p.add_argument("--no-browser", action="store_true", help="sla de meting in Chromium over")
    p.add_argument("--load", type=int, action="append", metavar="N",
                   help="belastingstest met N gelijktijdige sessies (herhaal voor meer); alleen op 127.0.0.1")
    p.add_argument("--db", type=Path, help="bij --load: deze database in plaats van een voorbeeld van --scale")
    p.add_argument("--processes", type=int, default=2, help="bij --load: Streamlit-processen achter nginx (standaard 2)")
    p.add_argument("--rounds", type=int, default=2, help="bij --load: hoe vaak elke sessie alle pagina's bezoekt")
    p.add_argument("--seconds", type=float, default=600, help="bij --load: maximale duur per meting (standaard 600)")
    p.set_defaults(run=cmd_bench)

    p = sub.add_parser("serve", help="start N Streamlit-processen achter nginx op 127.0.0.1 (sticky sessions)")
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--port", type=int, default=8500)
    p.add_argument("--db", type=Path, help="standaard $HERSTELMONITOR_DB of data/herstelmonitor.duckdb")
    p.set_defaults(run=cmd_serve)

    args = parser.parse_args(argv)
    return args.run(args)


def cmd_sample(args) -> int:
    from herstelmonitor.sample import write_sample

    files = write_sample(args.out, seed=args.seed, scale=args.scale, fmt=args.format)
    mark_as_sample(args.out)
    print(f"{len(files)} voorbeeldextracten geschreven naar {args.out}")
    return 0


def cmd_prognose(args) -> int:
    from herstelmonitor import prognose

    try:
        peildatum = date.fromisoformat(args.peildatum)
    except ValueError:
        print(f"Peildatum '{args.peildatum}' is geen datum; gebruik JJJJ-MM-DD.", file=sys.stderr)
        return 2
    if args.venster is not None and not 1 <= args.venster <= 260:
        print(f"Venster {args.venster} weken kan niet; kies 1 tot en met 260 weken.", file=sys.stderr)
        return 2
    if not args.reeks.is_file():
        print(f"Bestand {args.reeks} bestaat niet.", file=sys.stderr)
        return 2
    try:
        reeks = prognose.lees_reeks(args.reeks)
    except prognose.ReeksFout as e:
        print(str(e), file=sys.stderr)
        return 2
    if reeks.empty or reeks["datum"].min() > peildatum:
        print(f"{args.reeks.name}: er zijn geen cijfers op of voor de peildatum {peildatum.isoformat()}.", file=sys.stderr)
        return 2
    venster = args.venster or prognose.STANDAARD_VENSTER
    stand, uitkomsten = prognose.voorspel(reeks, peildatum, venster, prognose.sluitdatum())
    print(json.dumps(prognose.als_json(stand, uitkomsten), ensure_ascii=False, indent=1))
    return 0


def cmd_bench(args) -> int:
    from herstelmonitor import bench, loadtest

    if args.load:
        if any(not 1 <= n <= loadtest.MAX_SESSIONS for n in args.load) or not 1 <= args.processes <= 16:
            print(f"--load: 1 tot en met {loadtest.MAX_SESSIONS} sessies; --processes: 1 tot en met 16.", file=sys.stderr)
            return 2
        if args.db is not None and not args.db.exists():
            print(f"Database {args.db} bestaat niet.", file=sys.stderr)
            return 2
        bench.run_load(args.load, args.out, args.db, (args.scale or [10.0])[0], args.processes, args.rounds,
                       min(args.seconds, 1800))
    else:
        bench.run(args.scale or [1.0, 10.0], args.out, browser=not args.no_browser)
    print(f"Geschreven naar {args.out}")
    return 0


def cmd_serve(args) -> int:
    from herstelmonitor import scaleout

    return scaleout.serve(args.processes, args.port, args.db)


def cmd_ingest(args) -> int:
    if not args.folder.is_dir():
        print(f"Map {args.folder} bestaat niet.", file=sys.stderr)
        return 2
    skipped = skipped_files(args.folder)
    results = ingest(extract_files(args.folder), args.db, vervang_kleiner=args.vervang_kleiner)
    for name in results.cleaned:
        print(f"Opgeruimd: {name} (werkbestand van een eerder afgebroken laadronde).")
    for name, reason in skipped:
        print(f"{name}: overgeslagen, {reason}.", file=sys.stderr)
    for r in results:
        extra = f" ({r.rows} rijen{', vervangt eerdere versie' if r.replaced else ''})" if r.outcome == ACCEPTED else ""
        print(f"{r.name}: {r.outcome}{extra}", file=sys.stderr if r.outcome == REFUSED else sys.stdout)
        for m in r.messages:
            print(f"  - {m}", file=sys.stderr if r.outcome == REFUSED else sys.stdout)
    refused = sum(r.outcome == REFUSED for r in results)
    loaded = sum(r.outcome == ACCEPTED for r in results)
    print(f"Klaar: {loaded} geladen, {refused} geweigerd, {len(results) - loaded - refused} al geladen"
          + (f", {len(skipped)} overgeslagen." if skipped else "."))
    return 1 if refused or skipped else 0


def cmd_kpis(args) -> int:
    if not args.db.exists():
        print(f"Database {args.db} bestaat niet; laad eerst extracten met 'ingest'.", file=sys.stderr)
        return 2
    con = db.connect(args.db, read_only=True)
    stale = queries.stale(con)
    if stale:
        print(f"De database is gemaakt met andere definities van de cijfers (opnieuw af te leiden: {', '.join(stale)}). "
              f"Laad de extracten opnieuw: 'make ingest' of 'python -m herstelmonitor ingest <map> --db {args.db}'.",
              file=sys.stderr)
        return 2
    available = metrics.peildata(con)
    if not available:
        print("Er zijn nog geen complete peildata geladen.", file=sys.stderr)
        return 2
    peildatum = args.peildatum or available[-1]
    if peildatum not in available:
        print(f"Geen extracten voor peildatum {peildatum.isoformat()}. Beschikbaar: "
              f"{available[0].isoformat()} t/m {available[-1].isoformat()} ({len(available)} peildata).", file=sys.stderr)
        return 2
    print(json.dumps(metrics.kpis(con, peildatum), ensure_ascii=False, indent=1))
    return 0
