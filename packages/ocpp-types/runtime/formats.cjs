// The string formats the generated validators use, by name (`require(...)["date-time"]`).
//
// "date-time" is the hot one: every OCPP timestamp goes through it, on every message. This is a
// single-pass reader of the exact language ajv-formats' full "date-time" accepts (RFC 3339 date-time:
// dates checked against the calendar, a time zone required, leap seconds only at 23:59 UTC), without
// regular expressions, splits or match arrays; a property test holds it equal to ajv-formats' function.
// "uri" is ajv-formats' own.
'use strict';

const { fullFormats } = require('ajv-formats/dist/formats');

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Value of the two ASCII digits at i, or -1. */
function twoDigits(s, i) {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The date/time separator: 'T', 't' or any character JavaScript's \s matches. */
function isSeparator(c) {
  if (c === 84 || c === 116 || c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function dateTime(s) {
  if (typeof s !== 'string' || s.length < 20) return false;
  // full-date: YYYY-MM-DD, checked against the calendar
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  if (y1 < 0 || y2 < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  const year = y1 * 100 + y2;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month])) return false;
  if (!isSeparator(s.charCodeAt(10))) return false;
  // partial-time: HH:MM:SS(.fraction)?
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (hour < 0 || minute < 0 || second < 0 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start) return false;
  }
  // time-offset (required): Z, or +HH, +HHMM, +HH:MM (and -)
  const z = s.charCodeAt(i);
  let sign = 1;
  let offsetHours = 0;
  let offsetMinutes = 0;
  if (z === 90 || z === 122) {
    i++;
  } else if (z === 43 || z === 45) {
    sign = z === 45 ? -1 : 1;
    offsetHours = twoDigits(s, i + 1);
    if (offsetHours < 0) return false;
    i += 3;
    if (i < s.length) {
      if (s.charCodeAt(i) === 58) i++;
      offsetMinutes = twoDigits(s, i);
      if (offsetMinutes < 0) return false;
      i += 2;
    }
    if (offsetHours > 23 || offsetMinutes > 59) return false;
  } else return false;
  if (i !== s.length) return false;
  if (hour <= 23 && minute <= 59 && second <= 59) return true;
  // Otherwise only a leap second passes, and ajv-formats decides it by the time in UTC being 23:59 (an
  // hour or minute out of range is then judged by the same arithmetic, so this follows it to the letter).
  if (second > 60) return false;
  const utcMinute = minute - offsetMinutes * sign;
  const utcHour = hour - offsetHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1);
}

module.exports = { 'date-time': dateTime, uri: fullFormats.uri };
