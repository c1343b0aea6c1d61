"""The `business_value` field: free text in the achievement-collector, an amount on screen.

People and an LLM write it (../shared/CONTRACT.md, "business_value is free text"): JSON text with
`total_value` (and currency, period, confidence...), "$162,500 annual value", "75000", null, and
prose full of numbers that are not money: "Cut latency 35%, about $102,500/yr in compute".
This package reads it the way a careful person does, and writes an edited amount back in the form
it came in. Pure standard library (docs/business-value.md explains the rules for users).

What counts as money
  * a number with a currency marker next to it (at most two spaces between): a symbol before or
    after (`$5`, `5 $`, `€ 5`, `US$5`, `A$`, `C$`, `CA$`, `AU$`, `NZ$`, `S$`, `HK$`, `R$`, `£`, `¥`,
    `₹`, `Rs.`, `Fr.`...), an ISO code before or after (`USD 5`, `5 EUR`, `5CHF`; upper case, or
    lower case for the common ones: usd, eur, gbp...), or a money word after (`dollars`, `bucks`,
    `euros`, `pounds sterling`, `quid`, `yen`, `rupees`, `francs`, `grand`...), also glued to a
    magnitude (`45 k€`, `500 kEUR`, `500 TEUR` = thousand euros, `1,5 MEUR`). A code between two
    numbers belongs to the one that can be money ("5 USD 10 EUR", "1.5 million USD 3 engineers",
    "In 2026 USD 5M"); `EUR/USD 1.08` is an exchange rate, not money;
  * a WHOLE text that is a bare number, with a magnitude if any (`75000`, `75,000`, `1.5M`, `150k`),
    or a bare range with a magnitude or separators (`10-15k`, `10,000-15,000`; not `555-1234`);
  * in JSON, a number (or a string holding a bare number) under a money-named key (MONEY_KEYS).
  Never money, wherever they stand: percentages, durations (h, hrs, days, weeks, min, ms...),
  multipliers (2x, 10×), numbers inside words (Q3, H1, FY26, v2.3, x86, 3rd, 24h), PR and ticket
  numbers (#1234, PR-42, JIRA-123), times (10:30), dates (2026-03-01, 01.03.2026), versions
  (1.2.3), counts (3 engineers, 120 tickets, 12 regions: a number followed by a count word in
  _COUNT_WORDS is never money, marked or not), and any number with no marker (2026). A space
  grouping that runs into one of those is cut: "$5 120 hours" is $5 and 120 hours.

Where each part lives (the modules' docstrings hold the detailed rules)
  reading.py        read_business_value, parse_business_value, unreadable_reason: text or JSON, cached
  text_reading.py   plain text: the first marked money expression, else a bare number or range
  expressions.py    a number with its markers, sign and magnitude (_Part)
  numbers.py        digit groups, decimal marks, magnitudes (_Number)
  currency.py       ISO codes, symbols, money words; markers before and after a number
  units.py          what is never money: percentages, durations, counts, dates, hourly rates
  ranges.py         "$10-15K", "between $4,000 and $6,500": a lower bound and an upper (_Hit)
  json_reading.py   JSON: money keys (MONEY_KEYS), currency keys, min/max pairs, marked strings
  json_spans.py     where in the JSON text the amount stands (the reading's span)
  value_reading.py  ValueReading, the result: amount, currency, span, range, how it reads in words
  writing.py        write_business_value: an edited amount in the form the text came in
  formatting.py     format_money, format_reading: how an amount is shown
  totals.py         MoneyTotal, total_of: sums per currency, never converted
  characters.py     the space, dash, minus and letter classes the others share
Names with a leading underscore are private to the package: its modules share them, nothing
outside imports them.
"""

from dashboard.domain.business_value.currency import DEFAULT_CURRENCY
from dashboard.domain.business_value.formatting import format_money, format_reading
from dashboard.domain.business_value.json_reading import MONEY_KEYS
from dashboard.domain.business_value.reading import parse_business_value, read_business_value, unreadable_reason
from dashboard.domain.business_value.text_reading import MAX_TEXT
from dashboard.domain.business_value.totals import MoneyTotal, total_of
from dashboard.domain.business_value.value_reading import ValueReading
from dashboard.domain.business_value.writing import write_business_value

__all__ = [
    "DEFAULT_CURRENCY",
    "MAX_TEXT",
    "MONEY_KEYS",
    "MoneyTotal",
    "ValueReading",
    "format_money",
    "format_reading",
    "parse_business_value",
    "read_business_value",
    "total_of",
    "unreadable_reason",
    "write_business_value",
]
