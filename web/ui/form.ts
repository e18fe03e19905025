import { createSignal } from 'solid-js'
// zod's types, and its locales: only the form pages import this module, and they load zod with their schemas.
// The kiosk shows server problems through problems.ts and stays free of zod.
import type { z } from 'zod'
import { en, zhCN } from 'zod/locales'
import { fmt, type Locale, locale, t, tMaybe } from '../i18n/index.js'
import { type FieldErrors, fieldErrors, type Problem, problemsFromServer } from './problems.js'

export { type FieldErrors, fieldErrors, type Problem, problemsFromServer }

/*
 * One definition of every input: a form checks what it is about to send with the server's own zod schema
 * (shared/schemas/*), and shows each problem beside its field in the user's language. The server stays the
 * authority: its 400 VALIDATION_FAILED details ({ field, message }) come through here too and sit beside
 * the same fields.
 */

export type Issue = z.core.$ZodIssue

/** The field name of a problem with no path (the whole body), as the server writes it. */
export const WHOLE_FORM = '(body)'

export const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || WHOLE_FORM

/** The last named step of the path ('members.0.name' → 'name'): the key of a field's own wording. */
function fieldName(path: readonly PropertyKey[]): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return path[i] as string
  return undefined
}

const num = (n: number | bigint) => fmt(Number(n))

/*
 * zod's own locales say every kind of problem zod knows, in both languages; they speak to developers ("数值过小：
 * 期望 string >=8 字符"), so the problems a villager's form meets every day keep the catalogue's plain wording
 * below, and zod's locale says the rest (a named format, an unknown key, a multiple, a wrong kind of value).
 */
const ZOD_LOCALES: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = { 'zh-CN': zhCN, en }
const zodMaps: Partial<Record<Locale, z.core.$ZodErrorMap>> = {}
const zodSays = (issue: Issue): string => {
  const map = (zodMaps[locale()] ??= ZOD_LOCALES[locale()]().localeError)
  const said = map(issue as z.core.$ZodRawIssue)
  return (typeof said === 'string' ? said : said?.message) ?? t('form.invalid')
}

/** Nothing was given: the key is missing, or a number field was left empty. Needs `reportInput` (validate does it). */
const missing = (issue: Issue) => issue.input === undefined || issue.input === null

function invalidType(issue: Extract<Issue, { code: 'invalid_type' }>): string {
  if (missing(issue)) return t('form.required')
  if (issue.expected === 'int') return t('form.notInteger')
  if (issue.expected === 'number') return t('form.notNumber')
  return zodSays(issue)
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const min = Number(issue.minimum)
  switch (issue.origin) {
    case 'string':
      return t('form.tooShort', { min: num(min) })
    case 'number':
    case 'int':
    case 'bigint':
      return t('form.tooSmall', { min: num(min) })
    case 'array':
    case 'set':
      return t('form.tooFew', { min: num(min) })
    default:
      return zodSays(issue)
  }
}

function tooBig(issue: Extract<Issue, { code: 'too_big' }>): string {
  const max = num(issue.maximum)
  switch (issue.origin) {
    case 'string':
      return t('form.tooLong', { max })
    case 'number':
    case 'int':
    case 'bigint':
      return t('form.tooBig', { max })
    case 'array':
    case 'set':
      return t('form.tooMany', { max })
    default:
      return zodSays(issue)
  }
}

/**
 * A zod issue in the current language. A field's own wording (`form.<field>.<code>` in the catalogues, e.g.
 * form.phone.invalid_format) comes first: custom checks and patterns say what they mean there. Then the
 * kind of problem in the catalogue's words: too_small / too_big by what was measured, a missing value, a
 * number, a pattern, a choice. Everything else in zod's own locale (zod/locales: zhCN, en).
 */
export function issueMessage(issue: Issue): string {
  // Left empty reads the same on every field, whatever its own wording for a too-short value.
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) <= 1) return t('form.required')
  const name = fieldName(issue.path)
  const params = {
    min: 'minimum' in issue ? num(issue.minimum as number) : '',
    max: 'maximum' in issue ? num(issue.maximum as number) : '',
  }
  const own = name ? tMaybe(`form.${name}.${issue.code}`, params) : null
  if (own) return own
  switch (issue.code) {
    case 'invalid_type':
      return invalidType(issue)
    case 'too_small':
      return tooSmall(issue)
    case 'too_big':
      return tooBig(issue)
    // A pattern's own message is the schema's English: the catalogue says it. A named format (email, url…) zod says.
    case 'invalid_format':
      return issue.format === 'regex' ? t('form.badFormat') : zodSays(issue)
    case 'invalid_value':
      return t('form.choose')
    // A refine's message is the schema's English too; without the field's own wording it reads "not right".
    case 'custom':
      return t('form.invalid')
    default:
      return zodSays(issue)
  }
}

export const problemsFromIssues = (issues: readonly Issue[]): Problem[] =>
  issues.map((issue) => ({ field: fieldOf(issue.path), say: () => issueMessage(issue) }))

type Checked<S extends z.ZodType> = { ok: true; data: z.output<S> } | { ok: false; problems: Problem[] }

/** Checks an input with its shared schema, as the server will; `reportInput` lets an empty field read "required". */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Checked<S> {
  const r = schema.safeParse(input, { reportInput: true })
  return r.success ? { ok: true, data: r.data } : { ok: false, problems: problemsFromIssues(r.error.issues) }
}

/**
 * A form's field problems. `shown` names the fields shown beside an input (or tells them apart, for rows that
 * come and go); problems of any other field (or of the whole body) are listed by FormProblems so none is lost.
 */
export function createFieldErrors(shown: readonly string[] | ((field: string) => boolean)) {
  const [problems, setProblems] = createSignal<Problem[]>([])
  const errors = () => fieldErrors(problems())
  const isShown = typeof shown === 'function' ? shown : (field: string) => shown.includes(field)
  const [error, setError] = createSignal<unknown>(null)
  const [busy, setBusy] = createSignal(false)
  return {
    of: (field: string): string | undefined => errors()[field],
    others: () => Object.entries(errors()).filter(([f]) => !isShown(f)),
    /** The last refusal of send(), for <ErrorMessage>; cleared by the next check or send. */
    error,
    /** True while send() waits for the server: the submit button is disabled. */
    busy,
    /** The input to send, or null (nothing is sent) with every problem shown. */
    check<S extends z.ZodType>(schema: S, input: unknown): z.output<S> | null {
      setError(null)
      const r = validate(schema, input)
      setProblems(r.ok ? [] : r.problems)
      return r.ok ? r.data : null
    },
    /**
     * Sends a checked form: busy while the request runs; a refusal puts the server's field problems beside the
     * fields and the rest in error(). True when the action succeeded. One place for what every form did by hand.
     */
    async send(action: () => Promise<void>): Promise<boolean> {
      setError(null)
      setBusy(true)
      try {
        await action()
        return true
      } catch (err) {
        setProblems(problemsFromServer(err))
        setError(err)
        return false
      } finally {
        setBusy(false)
      }
    },
    /** After a refused request: the server's field problems beside the fields. */
    fromServer: (e: unknown) => setProblems(problemsFromServer(e)),
    clear: () => setProblems([]),
  }
}

export type FieldErrorsState = ReturnType<typeof createFieldErrors>

/** What a number input holds, for the schema: nothing when empty (it reads "required"), else the number (NaN reads "enter a number"). */
export const numberField = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text))
