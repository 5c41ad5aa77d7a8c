// Numbers, counts and calendar dates in the page's language. Day numbers count days from
// 1970-01-01 in the proleptic Gregorian calendar, as the builder writes them.

/** Formatting bound to one language's digits, month names and interface words. */
export function formatter(data) {
  const digits = data.digits || "0123456789";
  const t = data.t || {};
  const num = (n) => String(n).replace(/[0-9]/g, (d) => digits[d]);
  return {
    t,
    num,
    /** "12 events" / "1 event" with the language's own digits. */
    count(n, many = "events_count", one = "event_one") {
      if (n === 1 && t[one]) return t[one];
      return (t[many] || "{n}").replace("{n}", num(n));
    },
    year(y) {
      return y > 0 ? num(y) : num(1 - y) + " BCE";
    },
    monthName(m) {
      return data.months[m - 1];
    },
  };
}

/** Day number of a proleptic Gregorian date (astronomical years: 0 is 1 BCE). */
export function dayOf(year, month, day) {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month, day] of a day number; the inverse of dayOf. */
export function dateOf(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}
