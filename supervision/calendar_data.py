"""Official holiday arrangements from the `chinese-calendar` package (data through 2026).

Only what differs from a Monday-to-Friday week is returned: holidays (also those falling on
weekends, so their names show) and weekend make-up working days (调休上班).
"""

import datetime

import chinese_calendar

# Chinese names for the package's English holiday names.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def official_calendar_days(
    first_year: int = 2020,
) -> list[tuple[datetime.date, bool, str]]:
    days = []
    for day, name in chinese_calendar.holidays.items():
        if day.year >= first_year:
            days.append((day, False, HOLIDAY_NAMES.get(str(name), str(name))))
    for day, name in chinese_calendar.workdays.items():
        if day.year >= first_year:
            days.append((day, True, HOLIDAY_NAMES.get(str(name), str(name)) + "调休"))
    return sorted(days)
