"""Date lines: the line that dates the listings under it, in the forms listing pages print
it (`Mar 12`, `Friday, March 13th, 2025`, `2025-03-12`, `12 mars`, `3月12日(木)`), read as a
full or yearless ISO date, with the weekday it names; and a line one slip from one
(`Marhc 14`), which is an error rather than a title."""

from __future__ import annotations

import calendar
import difflib
import re

from site_builder.core.model import FIRST_YEAR, LAST_YEAR, month_number

# A date line: a month's name or abbreviation and a day, either way round, maybe a weekday
# before and a year after (`Mar 12`, `Friday, March 13th, 2025`, `12 March 2025`) — or an
# ISO date (`2025-03-12`, `2025/03/12`). Whole words only, so a title such as "Janus 2" or
# "Marco 7" is not a date.
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"(?:(?P<weekday>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?)\.?,?\s{1,3})?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:,\s*|\s+)(?P<{}>\d{{4}}))?"
# The months in the languages a listing may have been saved in, day first (`12 mars`,
# `12. März`, `12 de marzo de 2026`, `12 марта 2026 г.`): read, not taken for a paper's title
# and its papers dated by the clock.
OTHER_MONTHS = {
    name: number
    for names in (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
        "januar februar märz april mai juni juli august september oktober november dezember",
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
        "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
        "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
        "januari februari maart april mei juni juli augustus september oktober november december",
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        # Arabic (as Egypt and the Gulf name them), Persian and Hebrew (also with `ב`, "in")
        "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
        "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر",
        "ינואר פברואר מרץ אפריל מאי יוני יולי אוגוסט ספטמבר אוקטובר נובמבר דצמבר",
        "בינואר בפברואר במרץ באפריל במאי ביוני ביולי באוגוסט בספטמבר באוקטובר בנובמבר בדצמבר",
    )
    for number, name in enumerate(names.split(), start=1)
} | {"jänner": 1, "setiembre": 9, "ابريل": 4, "إبريل": 4, "اغسطس": 8, "اكتوبر": 10}
# ... and as the Levant names them, two words for some
OTHER_MONTHS |= {
    name: number
    for number, name in enumerate(
        [
            *("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران"),
            *("تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"),
        ],
        start=1,
    )
}
# A weekday before such a date, as Arabic and Hebrew pages print it (`الخميس، 19 مارس 2026`,
# `יום חמישי, 19 במרץ 2026`), each from Monday as datetime counts (checked, as `Friday, …`).
RTL_WEEKDAYS = (
    ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    ("יום שני", "יום שלישי", "יום רביעי", "יום חמישי", "יום שישי", "שבת", "יום ראשון"),
)
_SPELT = {"الإثنين": "الاثنين", "الاربعاء": "الأربعاء"}  # written so too
_RTL_DAYS = "|".join(sorted({*(d for row in RTL_WEEKDAYS for d in row), *_SPELT}, key=len, reverse=True))
_ARABIC_WEEKDAY = rf"(?:(?P<rw>{_RTL_DAYS})[،,]?\s{{1,3}})?"
_OTHER = "|".join(sorted(OTHER_MONTHS, key=len, reverse=True))
# A weekday after a date, as Chinese, Japanese and Korean pages print it: `3月12日(木)`,
# `3月12日（木曜日）`, `2026年3月12日 星期四`, `3월 12일 (목)`, `2026. 3. 12. 목요일`.
_CJK_WEEKDAY = (
    r"(?:\s{0,3}[(（]\s?(?P<cw>[月火水木金土日월화수목금토일])\s?(?:曜日?|요일)?\s?[)）]"
    r"|\s{0,3}(?:星期|禮拜|礼拜|周|週)(?P<cw2>[一二三四五六日天])"
    r"|\s{0,3}(?P<cw3>[月火水木金土日월화수목금토일])(?:曜日|요일))?"
)
CJK_WEEKDAYS = ("月火水木金土日", "월화수목금토일", "一二三四五六日")  # each from Monday, as datetime counts
DATE_LINE = re.compile(
    rf"(?:{_WEEKDAY}(?:(?P<month>{_MONTHS})\.?\s{{1,3}}(?P<day>{_DAY}){_YEAR.format('year')}"
    rf"|(?P<day2>{_DAY})\s{{1,3}}(?P<month2>{_MONTHS})\.?{_YEAR.format('year2')})"
    # `2025-03-12`, `2025/3/12`, `2026. 3. 12.` (dotted only so, spaced: a title `2024.1.5` is a title)
    r"|(?P<iso>(?P<iy>\d{4})(?:(?P<sep>[-/])(?P<im>\d{1,2})(?P=sep)(?P<id>\d{1,2})"
    r"|\.\s(?P<km>\d{1,2})\.\s(?P<kd>\d{1,2})\.?))"
    # `3月12日`, `2026年3月12日`, `3월 12일`
    r"|(?:(?P<cy>\d{4})\s?[年년]\s?)?(?P<cm>\d{1,2})\s?[月월]\s?(?P<cd>\d{1,2})\s?[日일]"
    rf"|{_ARABIC_WEEKDAY}(?P<od>\d{{1,2}})\.?\s{{1,3}}(?:de\s)?(?P<om>{_OTHER})\.?(?:,?\s(?:de\s)?(?P<oy>\d{{4}})(?:\sг\.?)?)?)"
    rf"{_CJK_WEEKDAY}",
    re.IGNORECASE,
)
# A line shaped as a date line whose month is not a month's name (`Marhc 14`): see
# `misspelt_month`.
MAYBE_DATE = re.compile(
    rf"{_WEEKDAY}(?P<word>[^\W\d_]{{3,9}})\.?\s{{1,3}}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?{_YEAR.format('year')}",
    re.IGNORECASE,
)
# Full names only, May aside: a title word one letter from an abbreviation or from "May"
# ("Nova 2", "Mars 2", "Maya 1", "Jane 3") is a title's, more often than a slip.
MONTH_WORDS = tuple(name.lower() for name in calendar.month_name[1:] if len(name) > 3)


def misspelt_month(text: str) -> str | None:
    """The month a line such as `Marhc 14` or `Janury 3, 2025` was meant to name (`Mar`),
    when its word is one slip from a month's full name: read as a title, it left every
    paper after it under the date line before it. None for a date line, and for a word
    further from every month (`Janus 2`, `Nova 2`)."""
    match = MAYBE_DATE.fullmatch(text)
    if match is None or DATE_LINE.fullmatch(text) or not 1 <= int(match["day"]) <= 31:
        return None
    close = difflib.get_close_matches(match["word"].lower(), MONTH_WORDS, n=1, cutoff=0.8)
    return close[0][:3].title() if close else None


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime's numbering


def weekday_of(match: re.Match[str]) -> int | None:
    """The weekday a date line names (`Friday, March 13th`, `3月13日(金)`: 4), if any."""
    named = match.group("weekday")
    if named:
        return WEEKDAYS.index(named[:3].casefold())
    if said := match.group("rw"):
        said = _SPELT.get(said, said)
        return next(row.index(said) for row in RTL_WEEKDAYS if said in row)
    said = match.group("cw") or match.group("cw3") or match.group("cw2")
    if not said:
        return None
    if said == "天":  # 星期天: Sunday
        return 6
    return next(row.index(said) for row in CJK_WEEKDAYS if said in row)


def weekday_said(match: re.Match[str]) -> str:
    """The weekday as the date line writes it, for a message."""
    return next((match[g] for g in ("weekday", "cw", "cw2", "cw3", "rw") if match[g]), "")


def _other_month(name: str) -> int:
    """1–12 for a month's name in another language, matched as DATE_LINE matches it."""
    return next((n for month, n in OTHER_MONTHS.items() if re.fullmatch(month, name, re.IGNORECASE)), 0)


def listing_of(match: re.Match[str]) -> str | None:
    """A date line as an ISO date (`2025-03-12`, or `--03-12` without a year); None if no such
    day, or a year no listing has (outside FIRST_YEAR..LAST_YEAR)."""
    if match.group("iso"):
        year, month, day = int(match["iy"]), int(match["im"] or match["km"]), int(match["id"] or match["kd"])
        if not year:
            return None  # 0000-01-01: a year outside the range, not a date without one
    else:
        if match.group("cm"):  # `2026年3月12日`
            month, day, found = int(match["cm"]), int(match["cd"]), match["cy"]
        elif match.group("om"):  # `12 mars 2026`, its month as the pattern matched it (`JUİN`)
            month, day, found = _other_month(match["om"]), int(match["od"]), match["oy"]
        else:
            first = match.group("month") is not None
            month = month_number(match.group("month" if first else "month2"))
            day = int(match.group("day" if first else "day2").rstrip("stndrh"))
            found = match.group("year" if first else "year2")
        year = int(found) if found else 0
        if found and not year:
            return None  # year 0000
    if not 1 <= month <= 12 or (year and not FIRST_YEAR <= year <= LAST_YEAR):
        return None
    if year:
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024: Feb 29 is possible in some year
        return None
    return f"--{month:02d}-{day:02d}"
