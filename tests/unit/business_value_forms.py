"""Realistic business_value forms and how a careful person reads them (holds no tests itself).

Each form: (text, amount, upper, currency, span). `amount` None means "no amount"; `span` is the
exact text of the money expression, raw[start:end] of the reading (for JSON: the value token, or
the money expression inside a JSON string). Used by tests/unit/test_business_value.py, by the
property tests, and by bench/business_value.py (ours against quantulum3 and price-parser).
Read with the default currency, USD.
"""

from __future__ import annotations

import json
from typing import NamedTuple, Optional


class Form(NamedTuple):
    raw: str
    amount: Optional[float]
    upper: Optional[float] = None
    currency: str = "USD"
    span: Optional[str] = None
    kind: str = "text"


def none(raw: str, kind: str = "trap") -> Form:
    return Form(raw, None, None, "USD", None, kind)


RECORDED = json.dumps(
    {
        "total_value": 162500,
        "currency": "USD",
        "period": "yearly",
        "type": "cost_reduction",
        "confidence": 0.79,
        "method": "time_saved_hours * hourly_rate",
    }
)

FORMS: list[Form] = [
    # The forms the collector stores today (CONTRACT.md).
    Form(RECORDED, 162500, None, "USD", "162500", "json"),
    Form("$162,500 annual value", 162500, None, "USD", "$162,500"),
    Form("75000", 75000, None, "USD", "75000", "bare"),
    Form("$1,200 annual value", 1200, None, "USD", "$1,200"),
    # Prose by engineers and by an LLM: the first marked amount, whatever numbers stand around it.
    Form("Cut latency 35%, about $102,500/yr in compute", 102500, None, "USD", "$102,500"),
    Form("saves 3 engineers 2h/week (~$12,000/yr)", 12000, None, "USD", "$12,000"),
    Form(
        "Reduced p95 latency by 40% (1.2s -> 700ms), saving roughly $18,500 per year in EC2 costs",
        18500,
        None,
        "USD",
        "$18,500",
    ),
    Form("Automated 120 weekly tickets; ~$45K/yr in support time", 45000, None, "USD", "$45K"),
    Form("Estimated annual savings: $250K (3 FTEs × 20% time)", 250000, None, "USD", "$250K"),
    Form("PR #1234 cut the S3 bill by $3,400/month", 3400, None, "USD", "$3,400"),
    Form("Q3 2026: migrated 14 services to k8s v1.29, saving USD 92,000 annually", 92000, None, "USD", "USD 92,000"),
    Form("In 2026 $5M was saved across 3 regions", 5_000_000, None, "USD", "$5M"),
    Form("JIRA-123 and PR-42 together: $7.5k in avoided incidents", 7500, None, "USD", "$7.5k"),
    Form("2x faster builds, 30 min saved per dev per day, worth ≈ $60k a year", 60000, None, "USD", "$60k"),
    Form("v2.3.1 release unblocked a $1.2M deal", 1_200_000, None, "USD", "$1.2M"),
    Form("Saved 120 hours ($9,000 at $75/h)", 9000, None, "USD", "$9,000"),
    Form("$50K/yr ($4,200/month)", 50000, None, "USD", "$50K"),
    Form("Over $12k+ in licence fees avoided", 12000, None, "USD", "$12k"),
    Form("up to $50K per year", 50000, None, "USD", "$50K"),
    Form("About $3.5 million in new ARR", 3_500_000, None, "USD", "$3.5 million"),
    Form("$2.5 bn pipeline influenced", 2_500_000_000, None, "USD", "$2.5 bn"),
    Form("$2.5B", 2_500_000_000, None, "USD", "$2.5B"),
    Form("roughly $5m in churn avoided", 5_000_000, None, "USD", "$5m"),
    Form("$1.5MM contract renewed", 1_500_000, None, "USD", "$1.5MM"),
    Form("5 grand a month in API spend", 5000, None, "USD", "5 grand"),
    Form("saved 8,000 dollars on licences", 8000, None, "USD", "8,000 dollars"),
    Form("about 200 bucks a month", 200, None, "USD", "200 bucks"),
    Form("worth 1.5 million USD", 1_500_000, None, "USD", "1.5 million USD"),
    Form("USD 12.5 per request saved", 12.5, None, "USD", "USD 12.5"),
    Form("usd 4,000 in credits", 4000, None, "USD", "usd 4,000"),
    Form("US$ 75,000 in hardware", 75000, None, "USD", "US$ 75,000"),
    Form("$.5M in deferred spend", 500_000, None, "USD", "$.5M"),
    Form("$0.75 per 1k requests", 0.75, None, "USD", "$0.75"),
    Form("$5,000.50 refunded", 5000.5, None, "USD", "$5,000.50"),
    Form("Saved $1,234,567.89", 1234567.89, None, "USD", "$1,234,567.89"),
    Form("$ 45 000", 45000, None, "USD", "$ 45 000"),
    Form("$1,500", 1500, None, "USD", "$1,500"),
    Form("$1.500", 1500, None, "USD", "$1.500"),
    Form("$1,5 Mio.", 1_500_000, None, "USD", "$1,5 Mio."),
    Form("$10K+ per quarter", 10000, None, "USD", "$10K"),
    Form("Net -$500 after the refund", -500, None, "USD", "-$500"),
    Form("balance moved by $-1,200", -1200, None, "USD", "$-1,200"),
    Form("(-$2,000) write-off", -2000, None, "USD", "-$2,000"),
    Form("cost: $0", 0, None, "USD", "$0"),
    # Locales and other currencies: each reading keeps its own currency.
    Form("45.000 EUR", 45000, None, "EUR", "45.000 EUR"),
    Form("1.234,56 €", 1234.56, None, "EUR", "1.234,56 €"),
    Form("€45k in cloud credits", 45000, None, "EUR", "€45k"),
    Form("Einsparung: 45 000 € pro Jahr", 45000, None, "EUR", "45 000 €"),
    Form("économie de 45\u00a0000\u00a0€ par an", 45000, None, "EUR", "45\u00a0000\u00a0€"),
    Form("12\u202f500 € d'économies", 12500, None, "EUR", "12\u202f500 €"),
    Form("EUR 45.000,00", 45000, None, "EUR", "EUR 45.000,00"),
    Form("1 234 567,89 €", 1234567.89, None, "EUR", "1 234 567,89 €"),
    Form("1,5 Mio. € Umsatz", 1_500_000, None, "EUR", "1,5 Mio. €"),
    Form("2,3 Mrd. EUR", 2_300_000_000, None, "EUR", "2,3 Mrd. EUR"),
    Form("45 k€ économisés", 45000, None, "EUR", "45 k€"),
    Form("5 euros per seat", 5, None, "EUR", "5 euros"),
    Form("CHF 1'234.50", 1234.5, None, "CHF", "CHF 1'234.50"),
    Form("Fr. 12'000 pro Jahr", 12000, None, "CHF", "Fr. 12'000"),
    Form("CHF 1.2k per month", 1200, None, "CHF", "CHF 1.2k"),
    Form("£12,000 saved", 12000, None, "GBP", "£12,000"),
    Form("50 pounds sterling", 50, None, "GBP", "50 pounds sterling"),
    Form("GBP 2.4m opportunity", 2_400_000, None, "GBP", "GBP 2.4m"),
    Form("¥1,200,000 in ad spend", 1_200_000, None, "JPY", "¥1,200,000"),
    Form("₹12,34,567 saved", 1234567, None, "INR", "₹12,34,567"),
    Form("₹ 12 lakh per year", 1_200_000, None, "INR", "₹ 12 lakh"),
    Form("Rs. 2 crore deal", 20_000_000, None, "INR", "Rs. 2 crore"),
    Form("INR 5,00,000", 500_000, None, "INR", "INR 5,00,000"),
    Form("A$1,200 in fees", 1200, None, "AUD", "A$1,200"),
    Form("AU$ 3,000", 3000, None, "AUD", "AU$ 3,000"),
    Form("C$2,500 per month", 2500, None, "CAD", "C$2,500"),
    Form("CA$900", 900, None, "CAD", "CA$900"),
    Form("$5,000 CAD", 5000, None, "CAD", "$5,000 CAD"),
    Form("5,000 Canadian dollars", 5000, None, "CAD", "5,000 Canadian dollars"),
    Form("HK$8,800", 8800, None, "HKD", "HK$8,800"),
    Form("SEK 150 000", 150000, None, "SEK", "SEK 150 000"),
    Form("150 000 NOK", 150000, None, "NOK", "150 000 NOK"),
    Form("12.000 DKK", 12000, None, "DKK", "12.000 DKK"),
    Form("10 000 zł rocznie", 10000, None, "PLN", "10 000 zł"),
    Form("R$ 1.500,00", 1500, None, "BRL", "R$ 1.500,00"),
    Form("€40k and $5k", 40000, None, "EUR", "€40k"),
    # Ranges: the lower bound is the amount, the upper is kept.
    Form("$10-15K", 10000, 15000, "USD", "$10-15K"),
    Form("$10K–$15K", 10000, 15000, "USD", "$10K–$15K"),
    Form("$10K — $15K a year", 10000, 15000, "USD", "$10K — $15K"),
    Form("$4,000 to $6,500", 4000, 6500, "USD", "$4,000 to $6,500"),
    Form("between $4,000 and $6,500 per year", 4000, 6500, "USD", "$4,000 and $6,500"),
    Form("from $4k to $6.5k", 4000, 6500, "USD", "$4k to $6.5k"),
    Form("4-6k USD", 4000, 6000, "USD", "4-6k USD"),
    Form("$1-2M in new pipeline", 1_000_000, 2_000_000, "USD", "$1-2M"),
    Form("$1.5–2.5M", 1_500_000, 2_500_000, "USD", "$1.5–2.5M"),
    Form("$500-1,000 per incident", 500, 1000, "USD", "$500-1,000"),
    Form("€5-10k", 5000, 10000, "EUR", "€5-10k"),
    Form("10 to 15 thousand dollars", 10000, 15000, "USD", "10 to 15 thousand dollars"),
    Form("between 4 and 6k USD", 4000, 6000, "USD", "4 and 6k USD"),
    Form("$15-10K", 15, 10000, "USD", "$15-10K"),
    Form("10-15k", 10000, 15000, "USD", "10-15k", "bare"),
    Form("from $40k to $25k per month", 40000, None, "USD", "$40k"),
    Form("$5k — 30,000 users reached", 5000, None, "USD", "$5k"),
    Form("$5k-$10k-$15k tiers", 5000, 10000, "USD", "$5k-$10k"),
    # Bare numbers (the whole text) and magnitudes.
    Form("75,000", 75000, None, "USD", "75,000", "bare"),
    Form("  1,234.5 ", 1234.5, None, "USD", "1,234.5", "bare"),
    Form("1.5M", 1_500_000, None, "USD", "1.5M", "bare"),
    Form("150k", 150000, None, "USD", "150k", "bare"),
    Form("1.5 million", 1_500_000, None, "USD", "1.5 million", "bare"),
    Form("~75000", 75000, None, "USD", "75000", "bare"),
    Form("75000+", 75000, None, "USD", "75000", "bare"),
    Form("2026", 2026, None, "USD", "2026", "bare"),
    Form("1.500M", 1_500_000, None, "USD", "1.500M", "bare"),
    Form("١٢٣٤٥", 12345, None, "USD", "١٢٣٤٥", "bare"),
    Form("$１２,０００", 12000, None, "USD", "$１２,０００"),
    # JSON.
    Form('{"total_value": "5000.50", "currency": "USD"}', 5000.5, None, "USD", "5000.50", "json"),
    Form('{"total_value": 40000, "currency": "EUR", "confidence": 0.7}', 40000, None, "EUR", "40000", "json"),
    Form('{"value": {"amount": 5, "currency": "EUR"}}', 5, None, "EUR", "5", "json"),
    Form('{"amount": "$12,500", "period": "yearly"}', 12500, None, "USD", "$12,500", "json"),
    Form('{"annual_savings": "€8.000", "hours": 120}', 8000, None, "EUR", "€8.000", "json"),
    Form('{"hours": 120, "confidence": 0.9, "cost_savings": 15000}', 15000, None, "USD", "15000", "json"),
    Form('{"min": 10000, "max": 15000, "currency": "EUR"}', 10000, 15000, "EUR", '10000, "max": 15000', "json"),
    Form('{"range": {"low": 2000, "high": 3000}}', 2000, 3000, "USD", '2000, "high": 3000', "json"),
    Form(
        '{"value": {"min_value": 1000, "max_value": 1500}, "currency": "GBP"}',
        1000,
        1500,
        "GBP",
        '1000, "max_value": 1500',
        "json",
    ),
    Form('{"range": [10000, 15000]}', 10000, 15000, "USD", "[10000, 15000]", "json"),
    Form('{"value": "10-15k", "currency": "USD"}', 10000, 15000, "USD", "10-15k", "json"),
    Form('{"note": "saves ~$12k/yr", "confidence": 0.8}', 12000, None, "USD", "$12k", "json"),
    Form('{"totalValue": 9000, "currency": "usd"}', 9000, None, "USD", "9000", "json"),
    Form('{"savings_eur": 3000}', 3000, None, "EUR", "3000", "json"),
    Form('{"business_value": {"total_value": 7000, "currency": "CHF"}}', 7000, None, "CHF", "7000", "json"),
    Form('{"value": 5000, "currency": "$"}', 5000, None, "USD", "5000", "json"),
    Form('"$5,000 per year"', 5000, None, "USD", "$5,000", "json"),
    Form('[{"value": 5}, {"value": 7}]', 5, None, "USD", "5", "json"),
    Form('{"total_value": null, "value": 2500}', 2500, None, "USD", "2500", "json"),
    Form('{"meta": {"value": 1}, "value": 5000}', 5000, None, "USD", "5000", "json"),
    none('{"currency": "USD"}', "json"),
    none('{"value": 120, "unit": "hours"}', "json"),
    none('{"confidence": 0.8, "hours": 120, "tickets": 42}', "json"),
    none('{"total_value": "NaN"}', "json"),
    none('{"total_value": true}', "json"),
    none('{"total_value": "TBD"}', "json"),
    none("[1, 2, 3]", "json"),
    none('{"value": "35%"}', "json"),
    # No amount: traps, wherever they stand.
    none("Unblocked the Q3 roadmap"),
    none("Saved 120 hours"),
    none("2x faster"),
    none("10× fewer pages"),
    none("about 40k saved"),
    none("Reduced latency 35%"),
    none("saved 3 engineers 2h/week"),
    none("Closed 120 tickets in Q3 2026"),
    none("H1 2026 goal met"),
    none("FY26 planning done"),
    none("Upgraded to v2.3 and 1.2.3"),
    none("Merged PR #1234 and PR-42"),
    none("Fixed JIRA-123 and ABC-99"),
    none("Released on 2026-03-01"),
    none("Released on 01.03.2026 at 10:30"),
    none("Due 03/01/2026"),
    none("Call +1 (555) 123-4567"),
    none("555-1234"),
    none("+1 555 123 456"),
    none("2025-2026"),
    none("$ spend cut 30%"),
    none("USD spend down 30%"),
    none("$5 min per build saved"),
    none("EUR/USD 1.08 hedge"),
    none("priceless"),
    none("3rd place, 24h uptime, 5G rollout"),
    none("{not json"),
    none("1e6"),
    none("x86 and ARM64 builds, 4 cores"),
    none("Reduced error rate from 2.5% to 0.3%"),
    none("Saved 1,200 hours a year"),
    none("Improved NPS by 12 points"),
]

# Readings that need the default currency: "$" follows a dollar default, a bare number any default.
DEFAULT_CURRENCY_FORMS = [
    ("$5,000", "CAD", 5000, "CAD"),
    ("$5,000", "EUR", 5000, "USD"),
    ("75000", "EUR", 75000, "EUR"),
    ('{"total_value": 5}', "GBP", 5, "GBP"),
    ("5 bucks", "AUD", 5, "AUD"),
    ("US$5", "CAD", 5, "USD"),
]
