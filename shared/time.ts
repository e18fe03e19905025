/** Calendar arithmetic in a village's time zone, with no library: Intl knows every zone. */

// Building an Intl.DateTimeFormat costs far more than using one (more than a redemption's SQL): keep one per zone.
const wallClocks = new Map<string, Intl.DateTimeFormat>()
const calendars = new Map<string, Intl.DateTimeFormat>()

function formatter(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat) {
  let f = cache.get(timeZone)
  if (!f) cache.set(timeZone, (f = make()))
  return f
}

function offsetMs(instant: number, timeZone: string): number {
  const parts = formatter(
    wallClocks,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  ).formatToParts(new Date(instant))
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value)
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** The UTC instant at which a local wall-clock time happens in the zone. */
export function zonedToUtc(y: number, m: number, d: number, timeZone: string): Date {
  const guess = Date.UTC(y, m - 1, d)
  const first = guess - offsetMs(guess, timeZone)
  return new Date(guess - offsetMs(first, timeZone))
}

/** [start, end) of a 'YYYY-MM' month in the zone, as ISO strings in UTC. */
export function monthRange(month: string, timeZone: string): { start: string; end: string } {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const next = m === 12 ? [y + 1, 1] : [y, m + 1]
  return {
    start: zonedToUtc(y, m, 1, timeZone).toISOString(),
    end: zonedToUtc(next[0]!, next[1]!, 1, timeZone).toISOString(),
  }
}

/** [start, end) of a whole year in the zone. */
export function yearRange(year: number, timeZone: string): { start: string; end: string } {
  return {
    start: zonedToUtc(year, 1, 1, timeZone).toISOString(),
    end: zonedToUtc(year + 1, 1, 1, timeZone).toISOString(),
  }
}

/** 'YYYY-MM-DD' of an instant in the zone. */
export function localDate(instant: Date | string | number, timeZone: string): string {
  return formatter(
    calendars,
    timeZone,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(new Date(instant))
}

export const localMonth = (instant: Date | string | number, timeZone: string) =>
  localDate(instant, timeZone).slice(0, 7)

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}

/** Adds days to a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * The first and last date of the rule-limit period holding a deed date. Weeks run Monday to Sunday,
 * as the village calendar does.
 */
export function periodOf(date: string, period: 'day' | 'week' | 'month' | 'year'): { from: string; to: string } {
  switch (period) {
    case 'day':
      return { from: date, to: date }
    case 'week': {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7 // Monday = 0
      const from = addDays(date, -weekday)
      return { from, to: addDays(from, 6) }
    }
    case 'month':
      return { from: `${date.slice(0, 7)}-01`, to: `${date.slice(0, 7)}-31` }
    case 'year':
      return { from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-12-31` }
  }
}

/**
 * A formatter of instants as 'YYYY-MM-DD HH:mm' on the village's clock. Intl is slow for a million entries,
 * and a month has only ~44,640 minutes: memoize by UTC minute (zone offsets change on whole minutes).
 */
export function localClock(timeZone: string): (iso: string) => string {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  })
  const memo = new Map<string, string>()
  return (iso) => {
    const minute = iso.slice(0, 16)
    let local = memo.get(minute)
    if (local === undefined) {
      const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
      local = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
      if (memo.size > 100_000) memo.clear()
      memo.set(minute, local)
    }
    return local
  }
}
