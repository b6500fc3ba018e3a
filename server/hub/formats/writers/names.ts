import { YituError } from '../../../platform/errors.ts';

const LAYER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;

/** Checks that a layer name is safe for file names and SQL; throws YITU_ERR_INPUT_INVALID otherwise. */
export function checkLayerName(name: string): void {
  if (!LAYER_NAME.test(name)) {
    throw new YituError(
      'YITU_ERR_INPUT_INVALID',
      `The layer name "${name}" cannot be used as an export file name: use ASCII letters, digits, "_" and "-" (at most 100).`,
    );
  }
}

/** Quotes an SQLite identifier (any text, doubled quotes). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes on a character boundary (a Chinese character is
 * 3 bytes, a character outside the BMP 4; neither is ever split).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/**
 * Makes names unique, case-insensitively, within `maxBytes` UTF-8 bytes each: a clash gets a
 * suffix `_1`, `_2`…, the stem being cut further to make room. `taken` holds names already used
 * (compared case-insensitively).
 */
export function uniqueNames(names: string[], maxBytes = Infinity, taken: Iterable<string> = []): string[] {
  const used = new Set<string>();
  for (const t of taken) used.add(t.toLowerCase());
  return names.map((raw) => {
    const base = truncateUtf8(raw === '' ? 'field' : raw, maxBytes);
    let name = base;
    for (let i = 1; used.has(name.toLowerCase()); i++) {
      const suffix = `_${i}`;
      name = truncateUtf8(base, maxBytes - suffix.length) + suffix;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

/** A name not in `taken` (case-insensitive): `preferred`, else `preferred_1`, `preferred_2`… */
export function freeName(preferred: string, taken: Iterable<string>): string {
  return uniqueNames([preferred], Infinity, taken)[0];
}
