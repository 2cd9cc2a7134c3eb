"""Command line: `python -m herstelmonitor sample|ingest|kpis ...`. Messages for people are Dutch."""
import argparse
import json
import sys
from datetime import date
from pathlib import Path

from herstelmonitor import db, metrics, queries
from herstelmonitor.ingest import ACCEPTED, REFUSED, extract_files, ingest, mark_as_sample
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
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("kpis", help="toon de cijfers van een peildatum")
    p.add_argument("--db", type=Path, default=DEFAULT_DB)
    p.add_argument("--peildatum", type=date.fromisoformat)
    p.add_argument("--json", action="store_true", help="als JSON (de enige vorm die er nu is)")
    p.set_defaults(run=cmd_kpis)

    p = sub.add_parser("bench", help="meet de snelheid bij landelijke schaal en tien keer zo groot")
    p.add_argument("--scale", type=float, action="append", help="herhaal voor meer schalen (standaard 1 en 10)")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    p.add_argument("--no-browser", action="store_true", help="sla de meting in Chromium over")
    p.set_defaults(run=cmd_bench)

    args = parser.parse_args(argv)
    return args.run(args)


def cmd_sample(args) -> int:
    from herstelmonitor.sample import write_sample

    files = write_sample(args.out, seed=args.seed, scale=args.scale, fmt=args.format)
    mark_as_sample(args.out)
    print(f"{len(files)} voorbeeldextracten geschreven naar {args.out}")
    return 0


def cmd_bench(args) -> int:
    from herstelmonitor import bench

    bench.run(args.scale or [1.0, 10.0], args.out, browser=not args.no_browser)
    print(f"Geschreven naar {args.out}")
    return 0


def cmd_ingest(args) -> int:
    if not args.folder.is_dir():
        print(f"Map {args.folder} bestaat niet.", file=sys.stderr)
        return 2
    results = ingest(extract_files(args.folder), args.db)
    for r in results:
        extra = f" ({r.rows} rijen{', vervangt eerdere versie' if r.replaced else ''})" if r.outcome == ACCEPTED else ""
        print(f"{r.name}: {r.outcome}{extra}", file=sys.stderr if r.outcome == REFUSED else sys.stdout)
        for m in r.messages:
            print(f"  - {m}", file=sys.stderr if r.outcome == REFUSED else sys.stdout)
    refused = sum(r.outcome == REFUSED for r in results)
    loaded = sum(r.outcome == ACCEPTED for r in results)
    print(f"Klaar: {loaded} geladen, {refused} geweigerd, {len(results) - loaded - refused} al geladen.")
    return 1 if refused else 0


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
