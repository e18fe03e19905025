/*
 * Patterns the shared schemas are built on, free of zod: a page that must stay small (the kiosk's PIN pad)
 * checks with the very same definition without loading zod (about 24 KB gzipped).
 */

/** A household's redemption PIN: 4 to 6 digits. */
export const PIN_PATTERN = /^\d{4,6}$/
