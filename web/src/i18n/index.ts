// A small i18n for both apps: Chinese first (terms from GLOSSARY.md), English switchable.
// t('key', {n: 3}) looks the key up in messages.ts and fills {n}; the choice is kept in
// localStorage and sent to the server as Accept-Language, so its error messages follow.
import { ref } from 'vue'
import { setLanguage } from '../api/client'
import { messages, type MessageKey } from './messages'

export type Locale = 'zh-CN' | 'en'

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('wangge.locale') : null
export const locale = ref<Locale>(stored === 'en' ? 'en' : 'zh-CN')
setLanguage(locale.value)

export function setLocale(l: Locale): void {
  locale.value = l
  localStorage.setItem('wangge.locale', l)
  setLanguage(l)
  document.documentElement.lang = l
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const pair = messages[key]
  let s: string = pair ? pair[locale.value === 'en' ? 1 : 0] : key
  if (params) for (const [k, v] of Object.entries(params)) s = s.replaceAll(`{${k}}`, String(v))
  return s
}

/** A label for a server enum ("state.closed") with the server's own label as fallback. */
export function label(prefix: string, value: string | null | undefined, fallback?: string): string {
  if (!value) return fallback ?? ''
  const key = `${prefix}.${value}` as MessageKey
  return key in messages ? t(key) : (fallback ?? value)
}

export type { MessageKey }
