import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createUserInput, loginInput } from '../../shared/schemas/auth.js'
import { proposeAwardInput } from '../../shared/schemas/awards.js'
import { createHouseholdInput, updateHouseholdInput } from '../../shared/schemas/households.js'
import { createRuleInput, updateRuleInput } from '../../shared/schemas/rules.js'
import { createVillageInput } from '../../shared/schemas/villages.js'
import { ApiError } from '../../web/api/client.js'
import { type Locale, setLocale } from '../../web/i18n/index.js'
import { fieldErrors, numberField, problemsFromServer, validate } from '../../web/ui/form.js'

/*
 * The web forms' issue → message helper, without a browser: the server's own schemas (shared/schemas) find the
 * problems, the helper says them in Chinese and in English, and the server's 400 details come through it too.
 */

// setLocale marks the page's language; in Node there is no page, so a stand-in element takes it.
beforeAll(() => vi.stubGlobal('document', { documentElement: { lang: '' } }))
afterAll(() => {
  setLocale('zh-CN')
  vi.unstubAllGlobals()
})

function messages(locale: Locale, schema: Parameters<typeof validate>[0], input: unknown) {
  setLocale(locale)
  const r = validate(schema, input)
  if (r.ok) throw new Error('expected the input to be refused')
  return fieldErrors(r.problems)
}

describe('zod issues as field messages', () => {
  const household = { householdNo: '  ', headName: '赵'.repeat(33), phone: '138abc', address: null, pin: '12' }

  it('says what is wrong with each household field, in Chinese first', () => {
    expect(messages('zh-CN', createHouseholdInput, household)).toEqual({
      householdNo: '请填写这一项',
      headName: '最多 32 个字',
      phone: '电话只能填数字、+、- 和空格',
      pin: '密码要 4 到 6 位数字',
    })
  })

  it('and in English', () => {
    expect(messages('en', createHouseholdInput, household)).toEqual({
      householdNo: 'Please fill this in',
      headName: 'At most 32 characters',
      phone: 'Digits, +, - and spaces only',
      pin: 'The PIN is 4 to 6 digits',
    })
  })

  it('a missing field reads "required", not "expected string, received undefined"', () => {
    expect(messages('zh-CN', createHouseholdInput, {})).toEqual({
      householdNo: '请填写这一项',
      headName: '请填写这一项',
    })
    expect(messages('en', createRuleInput, { code: 'A1', name: '扫雪', category: '环境' })).toEqual({
      points: 'Please fill this in',
    })
    // An empty password is "required", not the new-password wording "at least 1 character".
    expect(messages('zh-CN', loginInput, { username: 'wangli', password: '' })).toEqual({ password: '请填写这一项' })
  })

  it('numbers: zero points, a fraction, a word, a choice not on the list, a bound', () => {
    const rule = { code: 'A1', name: '扫雪', category: '环境', points: 0, limit: { count: 1.5, period: 'fortnight' } }
    expect(messages('zh-CN', createRuleInput, rule)).toEqual({
      points: '分值不能为 0',
      'limit.count': '请填整数',
      'limit.period': '请从列表中选择',
    })
    expect(messages('en', createRuleInput, rule)).toEqual({
      points: 'Points must not be 0',
      'limit.count': 'Enter a whole number',
      'limit.period': 'Choose one from the list',
    })
    expect(messages('zh-CN', createRuleInput, { ...rule, points: numberField('abc'), limit: null })).toEqual({
      points: '请填数字',
    })
    expect(messages('zh-CN', createVillageInput, { code: 'dong cun', name: '东村', noticeDays: 31 })).toEqual({
      code: '只能用字母、数字、_ 和 -',
      noticeDays: '不能大于 30',
    })
    expect(messages('en', createVillageInput, { code: 'dongcun', name: '东村', noticeDays: -1 })).toEqual({
      noticeDays: 'Must be at least 0',
    })
  })

  it('lists and dates: the first problem of a field is the one shown', () => {
    const award = { ruleId: 'r1', householdIds: [], occurredOn: '2026-02-30' }
    expect(messages('zh-CN', proposeAwardInput, award)).toEqual({
      householdIds: '请至少勾选一户',
      occurredOn: '没有这一天',
    })
    // '20260230' fails both the pattern and the calendar check: the pattern's message comes first.
    expect(messages('en', proposeAwardInput, { ...award, householdIds: ['h1'], occurredOn: '20260230' })).toEqual({
      occurredOn: 'Write the date as YYYY-MM-DD',
    })
  })

  it('a minimum length is said with its number', () => {
    const user = { username: 'wang li', password: 'short', roles: [] }
    expect(messages('zh-CN', createUserInput, user)).toEqual({
      username: '只能用字母、数字和 _ . @ -',
      password: '密码至少 8 位',
      roles: '请至少选一个角色',
    })
    expect(messages('en', createUserInput, user)).toEqual({
      username: 'Letters, digits and _ . @ - only',
      password: 'At least 8 characters',
      roles: 'Choose at least one role',
    })
  })

  it("what the catalogue has no wording for, zod's own locale says, in the same language", () => {
    // updateRuleInput is strict: points never change in place. The whole body's problem, an unknown key.
    expect(messages('zh-CN', updateRuleInput, { points: 5 })).toEqual({ '(body)': '出现未知的键(key): "points"' })
    expect(messages('en', updateRuleInput, { points: 5 })).toEqual({ '(body)': 'Unrecognized key: "points"' })
    // A wrong kind of value (not a missing one, not a number): zod names what it expected.
    expect(messages('zh-CN', updateRuleInput, { active: 'yes' })).toEqual({
      active: '无效输入：期望 boolean，实际接收 string',
    })
    expect(messages('en', updateRuleInput, { active: 'yes' })).toEqual({
      active: 'Invalid input: expected boolean, received string',
    })
  })

  it('a valid input passes and comes back as the server will read it (trimmed)', () => {
    const r = validate(updateHouseholdInput, { headName: ' 赵大山 ', pin: null })
    expect(r).toEqual({ ok: true, data: { headName: '赵大山', pin: null } })
  })
})

describe("the server's 400 details through the same helper", () => {
  const refused = new ApiError('VALIDATION_FAILED', 400, 'invalid input', [
    { field: 'occurredOn', message: 'not in the future' },
    { field: 'householdIds', message: 'unknown household h9' },
    { field: 'householdIds', message: 'unknown household h10' },
  ])

  it("sit beside their fields, the server's words in a translated frame, one per field", () => {
    setLocale('zh-CN')
    expect(fieldErrors(problemsFromServer(refused))).toEqual({
      occurredOn: '服务器不接受：not in the future',
      householdIds: '服务器不接受：unknown household h9',
    })
    setLocale('en')
    expect(fieldErrors(problemsFromServer(refused))).toEqual({
      occurredOn: 'Refused by the server: not in the future',
      householdIds: 'Refused by the server: unknown household h9',
    })
  })

  it('other errors carry no field problems', () => {
    expect(
      problemsFromServer(new ApiError('DUPLICATE', 409, 'taken', [{ field: 'householdNo', message: 'x' }])),
    ).toEqual([])
    expect(problemsFromServer(new Error('boom'))).toEqual([])
    expect(problemsFromServer(new ApiError('VALIDATION_FAILED', 400, 'invalid input'))).toEqual([])
  })
})
