import type { MessageKey } from '../i18n/i18n.ts';

/** Classifications, from the most open. */
export const CLASSES = ['public', 'internal', 'confidential'] as const;
/** A dataset's classification. */
export type Classification = (typeof CLASSES)[number];

/**
 * Who gains and who loses read access when a dataset goes from one classification to another
 * (scratch/access-contract.md): public → anyone; internal → any signed-in user; confidential → its
 * department and holders of an active grant. The department and administrators keep access throughout.
 * Answers message keys of the groups (`class.who.*`).
 */
export function accessChange(from: Classification, to: Classification): { gain: MessageKey[]; lose: MessageKey[] } {
  const rank = (c: Classification) => CLASSES.indexOf(c);
  const gain: MessageKey[] = [];
  const lose: MessageKey[] = [];
  if (rank(to) < rank(from)) {
    if (from === 'confidential') gain.push('class.who.staff');
    if (to === 'public') gain.push('class.who.public');
  } else if (rank(to) > rank(from)) {
    if (from === 'public') lose.push('class.who.public');
    if (to === 'confidential') lose.push('class.who.staff');
  }
  return { gain, lose };
}
