/** Used when HubSpot sends no locale, or one Intl does not know. */
export const FALLBACK_LOCALE = 'en-US';

/** The user's locale if Intl supports it; HubSpot sends tags such as `en-us`. */
export function resolveLocale(locale: string | undefined): string {
  if (!locale) return FALLBACK_LOCALE;
  try {
    return Intl.NumberFormat.supportedLocalesOf([locale])[0] ?? FALLBACK_LOCALE;
  } catch {
    return FALLBACK_LOCALE;
  }
}
