"""The business_value reader: its cost on realistic texts, and its accuracy against two libraries.

Cost: N distinct realistic business_value texts (the collector's JSON, "$X annual value", bare
numbers, prose full of percentages, hours, quarters and PR numbers, other locales and currencies,
ranges) read with a cold cache (read_business_value.cache_clear() before each run), median of
several runs; then the same texts again from the cache. Target: 10,000 texts in <= 0.5 s.

Accuracy (--compare): the table of realistic forms in tests/unit/business_value_forms.py read by
ours, by quantulum3 and by price-parser (never dependencies of the project: they run in a
subprocess with --library-python, e.g. a separate venv at /tmp/libvenv). A form is read correctly
when the amount is within a cent and the currency right, or, for a form with no amount, when none
is read. quantulum3: the first quantity whose unit is (or is built on) a currency; price-parser:
Price.fromstring(text), its currency symbol mapped to ISO (none given: the default, USD).

    .venv/bin/python bench/business_value.py [--texts 10000] [--runs 7] [--compare]
        [--library-python /tmp/libvenv/bin/python] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.domain.business_value import read_business_value  # noqa: E402
from tests.unit.business_value_forms import FORMS  # noqa: E402

CATEGORIES = ("feature", "optimization", "bugfix", "infrastructure", "performance", "security", "testing")
PROSE = (
    "Cut latency {pct}%, about ${amount:,}/yr in compute",
    "saves {n} engineers {h}h/week (~${amount:,}/yr)",
    "Reduced p95 by {pct}% in Q{q} {year}, saving roughly ${k}K per year",
    "PR #{pr} cut the S3 bill by ${amount:,}/month",
    "Migrated {n} services to k8s v1.{minor}; USD {amount:,} annually",
    "{x}x faster builds, {h} min saved per dev per day, worth ≈ ${k}k a year",
    "JIRA-{pr}: {amount:,} EUR in avoided incidents",
    "Einsparung: {amount:,} € pro Jahr|.",
    "£{amount:,} saved across {n} teams in H{half}",
    "Estimated ${low}-{high}K in new pipeline (FY{fy})",
    "between ${amount:,} and ${amount2:,} per year, {pct}% confidence",
    "Automated {t} weekly tickets; ~${k}K/yr in support time",
    "Closed {t} tickets in Q{q} {year}",
    "Unblocked the Q{q} roadmap for {n} teams",
    "Saved {h} hours per sprint ({pct}% of on-call)",
    "₹{lakh} lakh per year from {n} fewer incidents",
    "CHF {amount:,} per year|'",
    "{m}.{d} million USD opportunity influenced by release {minor}.{d}.{n}",
)


def realistic_texts(count: int, seed: int = 12) -> list[str]:
    """`count` distinct business_value texts in the proportions and shapes the service stores."""
    rng = random.Random(seed)
    texts: dict[str, None] = {}
    while len(texts) < count:
        amount = rng.randrange(500, 400_000, 500)
        kind = rng.random()
        if kind < 0.45:
            body = {
                "total_value": amount,
                "currency": rng.choice(("USD", "USD", "USD", "EUR")),
                "period": rng.choice(("yearly", "monthly", "one-off")),
                "type": rng.choice(("cost_reduction", "revenue", "time_savings", "risk_reduction")),
                "confidence": round(rng.uniform(0.5, 0.95), 2),
                "method": rng.choice(
                    (
                        "time_saved_hours * hourly_rate",
                        "incidents avoided * cost per incident",
                        "compute hours saved * $0.12",
                    )
                ),
            }
            if rng.random() < 0.2:
                body = {"value": f"${amount:,}", "category": rng.choice(CATEGORIES), "hours": rng.randint(2, 300)}
            text = json.dumps(body)
        elif kind < 0.65:
            text = f"${amount:,} annual value" if rng.random() < 0.7 else f"about ${amount:,} per year"
        elif kind < 0.78:
            text = rng.choice((str(amount), f"{amount:,}", f"{amount / 1000:g}k"))
        else:
            template, _, grouping = rng.choice(PROSE).partition("|")  # "|.": thousands grouped with "."
            text = template.format(
                pct=rng.randint(5, 90),
                amount=amount,
                amount2=amount + rng.randrange(500, 50_000, 500),
                n=rng.randint(2, 14),
                h=rng.randint(1, 40),
                q=rng.randint(1, 4),
                year=rng.choice((2025, 2026)),
                k=amount // 1000 or 1,
                pr=rng.randint(100, 9999),
                minor=rng.randint(20, 31),
                x=rng.randint(2, 10),
                low=rng.randint(5, 40),
                high=rng.randint(41, 90),
                fy=rng.randint(24, 27),
                t=rng.randint(10, 400),
                half=rng.randint(1, 2),
                lakh=rng.randint(2, 90),
                m=rng.randint(1, 9),
                d=rng.randint(0, 9),
            )
            if grouping:
                text = text.replace(",", grouping)
        texts[text] = None
    return list(texts)


def time_ours(texts: list[str], runs: int) -> dict:
    cold = []
    for _ in range(runs):
        read_business_value.cache_clear()
        started = time.perf_counter()
        for text in texts:
            read_business_value(text)
        cold.append(time.perf_counter() - started)
    cached = []
    for _ in range(runs):
        started = time.perf_counter()
        for text in texts:
            read_business_value(text)
        cached.append(time.perf_counter() - started)
    median, warm = statistics.median(cold), statistics.median(cached)
    return {
        "texts": len(texts),
        "runs": runs,
        "cold_s": [round(t, 4) for t in cold],
        "cold_median_s": round(median, 4),
        "cold_us_per_text": round(median / len(texts) * 1e6, 2),
        "cached_median_s": round(warm, 4),
        "cached_us_per_text": round(warm / len(texts) * 1e6, 3),
    }


LIBRARY_SCRIPT = r"""
import json, sys, time, warnings
warnings.filterwarnings("ignore")
texts = json.load(sys.stdin)
out = {}
try:
    from quantulum3 import parser, load
    currencies = {name: unit for name, unit in load.units().names.items() if unit.entity.name == "currency"}
    def quantulum(text):
        for quantity in parser.parse(text):
            unit = quantity.unit
            if unit.entity.name != "currency":
                bases = [d.get("base") for d in (unit.dimensions or []) if d.get("power", 1) > 0]
                unit = next((currencies[b] for b in bases if b in currencies), None)
                if unit is None:
                    continue
            return [quantity.value, getattr(unit, "currency_code", None)]
        return None
    quantulum("warm up $5")
    started = time.perf_counter()
    results = [quantulum(t) for t in texts]
    out["quantulum3"] = {"results": results, "seconds": time.perf_counter() - started}
except ImportError as exc:
    out["quantulum3"] = {"error": str(exc)}
try:
    from price_parser import Price
    def price(text):
        parsed = Price.fromstring(text)
        return None if parsed.amount is None else [float(parsed.amount), parsed.currency]
    price("warm up $5")
    started = time.perf_counter()
    results = [price(t) for t in texts]
    out["price_parser"] = {"results": results, "seconds": time.perf_counter() - started}
except ImportError as exc:
    out["price_parser"] = {"error": str(exc)}
json.dump(out, sys.stdout)
"""

SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "Rs.": "INR",
    "Rs": "INR",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "R$": "BRL",
    "zł": "PLN",
    "Fr.": "CHF",
    "CHF": "CHF",
    "kr": "SEK",
}


def iso(currency: str | None) -> str:
    """A library's currency (symbol, code or None) as ISO 4217, None meaning the default (USD)."""
    if not currency:
        return "USD"
    currency = currency.strip()
    return SYMBOLS.get(currency, currency.upper())


def correct(form, got) -> bool:
    if form.amount is None:
        return got is None
    if got is None or got[0] is None:
        return False
    return abs(float(got[0]) - form.amount) < 0.01 and iso(got[1]) == form.currency


def compare(library_python: str | None) -> dict:
    texts = [form.raw for form in FORMS]
    read_business_value.cache_clear()
    started = time.perf_counter()
    ours = [read_business_value(text) for text in texts]
    ours_s = time.perf_counter() - started
    table = {
        "forms": len(FORMS),
        "kinds": dict(sorted(Counter(f.kind for f in FORMS).items())),
        "ours": scored([None if r is None else [r.amount, r.currency] for r in ours], ours_s),
    }
    python = library_python or sys.executable
    try:
        done = subprocess.run(
            [python, "-c", LIBRARY_SCRIPT], input=json.dumps(texts), capture_output=True, text=True, timeout=1800
        )
        found = json.loads(done.stdout) if done.returncode == 0 else {}
        if done.returncode != 0:
            print(f"  (the libraries did not run with {python}: {done.stderr.strip()[-300:]})")
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        print(f"  (the libraries did not run with {python}: {exc})")
        found = {}
    for name, label in (("quantulum3", "quantulum3"), ("price_parser", "price-parser")):
        figures = found.get(name) or {"error": "not run"}
        if "error" in figures:
            print(f"  {label}: skipped ({figures['error']}; pass --library-python of a venv that has it)")
            table[name] = {"skipped": figures["error"]}
            continue
        table[name] = scored(figures["results"], figures["seconds"])
    return table


def scored(results: list, seconds: float) -> dict:
    """Forms read correctly, in all and per kind of form (text, trap, bare, json), and µs per text."""
    right = [correct(form, got) for form, got in zip(FORMS, results)]
    by_kind = Counter(form.kind for form, ok in zip(FORMS, right) if ok)
    wrong = [(f.raw, f.amount, f.currency, got) for f, got, ok in zip(FORMS, results, right) if not ok]
    kinds = sorted({form.kind for form in FORMS})
    return {
        "correct": sum(right),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in kinds},
        "us_per_text": round(seconds / len(FORMS) * 1e6, 1),
        "wrong_examples": wrong[:12],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=10_000, help="distinct realistic texts (default 10,000)")
    parser.add_argument("--runs", type=int, default=7, help="runs, the median is reported (default 7)")
    parser.add_argument(
        "--compare", action="store_true", help="also read the forms table with quantulum3 and price-parser"
    )
    parser.add_argument("--library-python", help="a Python that can import quantulum3 and price_parser")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    texts = realistic_texts(args.texts)
    cost = time_ours(texts, args.runs)
    print(f"business value reader: {cost['texts']:,} distinct realistic texts, median of {args.runs} runs")
    print(f"  {'read':<28} {'total ms':>9} {'µs/text':>9}")
    print(
        f"  {'cold cache (cache_clear)':<28} {cost['cold_median_s'] * 1000:>9.1f}"
        f" {cost['cold_us_per_text']:>9.1f}   [target: 10,000 texts <= 500 ms]"
    )
    print(f"  {'cached':<28} {cost['cached_median_s'] * 1000:>9.1f} {cost['cached_us_per_text']:>9.2f}")
    figures = {"cost": cost}
    if args.compare:
        table = compare(args.library_python)
        figures["table"] = table
        print(
            f"\nforms table (tests/unit/business_value_forms.py), {table['forms']} forms: read correctly ="
            " (amount within a cent and currency right; no amount when none)"
        )
        kinds = table["kinds"]
        print(
            f"  {'reader':<14} {'correct':>9} {'share':>7} {'µs/text':>10}   "
            + "  ".join(f"{kind} ({n})" for kind, n in kinds.items())
        )
        for name, label in (("ours", "ours"), ("quantulum3", "quantulum3"), ("price_parser", "price-parser")):
            row = table[name]
            if "skipped" in row:
                print(f"  {label:<14} {'skipped':>9}")
                continue
            print(
                f"  {label:<14} {row['correct']:>5}/{table['forms']:<3} {row['correct'] / table['forms']:>7.0%}"
                f" {row['us_per_text']:>10.1f}   "
                + "  ".join(f"{row['by_kind'][kind]:>{len(kind) + len(str(n)) + 3}}" for kind, n in kinds.items())
            )
        for name in ("quantulum3", "price_parser"):
            for raw, amount, currency, got in table[name].get("wrong_examples", [])[:4]:
                expected = "no amount" if amount is None else f"{amount:,.2f} {currency}"
                print(f"    {name}: {raw[:48]!r} -> {got} (expected {expected})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
