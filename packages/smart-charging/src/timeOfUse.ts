import { SmartChargingError } from './errors.js';
import type { TimeOfUse, TimeOfUseWindow } from './model.js';

/** Local wall-clock time in a time zone: ISO weekday (1 = Monday) and minutes since local midnight. */
export interface LocalTime {
  weekday: number;
  minutes: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      throw new SmartChargingError('InvalidTimeZone', `unknown IANA time zone "${timeZone}"`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The local weekday and time of `at` in an IANA time zone, through `Intl.DateTimeFormat` (the platform's
 * tz database, so daylight-saving changes need no code here).
 */
export function localTime(at: Date, timeZone: string): LocalTime {
  let weekday = 0;
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minutes: hour * 60 + minute };
}

/** Minutes since midnight of `HH:MM` (`24:00` allowed as the end of a day). */
export function parseClock(text: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!(minutes <= 24 * 60)) throw new SmartChargingError('InvalidTimeOfUse', `"${text}" is not a time of day (HH:MM)`);
  return minutes;
}

/** Throws a SmartChargingError unless the time zone is known and every window's times and days are valid. */
export function checkTimeOfUse(schedule: TimeOfUse): void {
  formatterFor(schedule.timeZone);
  for (const window of schedule.windows) {
    parseClock(window.from);
    parseClock(window.to);
    if (window.days?.some((day) => !Number.isInteger(day) || day < 1 || day > 7)) {
      throw new SmartChargingError('InvalidTimeOfUse', `window ${window.from}–${window.to}: days are ISO weekdays 1 (Monday) … 7 (Sunday)`);
    }
  }
}

/** Whether a window covers a local time. A window past midnight belongs to the day it starts on. */
export function windowCovers(window: TimeOfUseWindow, local: LocalTime): boolean {
  const from = parseClock(window.from);
  const to = parseClock(window.to);
  const days = window.days;
  const startsOn = (weekday: number): boolean => days === undefined || days.includes(weekday);
  if (from < to) return startsOn(local.weekday) && local.minutes >= from && local.minutes < to;
  // Past midnight: the evening part on the start day, the morning part on the next day.
  const previous = local.weekday === 1 ? 7 : local.weekday - 1;
  return (startsOn(local.weekday) && local.minutes >= from) || (startsOn(previous) && local.minutes < to);
}

/** The windows of a schedule active at `at`. */
export function activeWindows(schedule: TimeOfUse, at: Date): TimeOfUseWindow[] {
  const local = localTime(at, schedule.timeZone);
  return schedule.windows.filter((window) => windowCovers(window, local));
}
