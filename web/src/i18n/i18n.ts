import { en } from './en.ts';
import { zh } from './zh.ts';
import { useStore } from '../app/store.ts';

/** Languages of the UI. */
export type Lang = 'zh' | 'en';
/** A UI string key. */
export type MessageKey = keyof typeof zh;

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'yitu.lang';

/** The language remembered in this browser, else Chinese. */
export function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Remembers the language and sets the document's `lang`. */
export function persistLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: not remembered.
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}

/** Translates `key` into `lang`, filling `{name}` placeholders. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const s = MESSAGES[lang][key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
}

/** A translator in the current UI language (re-renders when it changes). */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const lang = useStore((s) => s.lang);
  return (key, params) => translate(lang, key, params);
}

/** Picks the text of a `{ zh, en }` pair in the current language (falls back to the other). */
export function pick(lang: Lang, text: { zh: string; en: string } | undefined | null): string {
  if (!text) return '';
  return (lang === 'zh' ? text.zh || text.en : text.en || text.zh) ?? '';
}

/** Formats a number for the UI language. */
export function fmtNumber(lang: Lang, n: number, digits = 0): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits });
}
