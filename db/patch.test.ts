import { describe, expect, test } from 'vitest'
import { patchOf } from './patch.js'

describe('patchOf', () => {
  test('copies the given fields to their columns, converts where asked, skips undefined, keeps null', () => {
    const input: { name?: string; noticeDays?: number; annualReset?: string | null; maskNames?: boolean } = {
      name: '新村',
      noticeDays: undefined,
      annualReset: null,
      maskNames: false,
    }
    expect(
      patchOf('villages', input, {
        name: 'name',
        noticeDays: 'notice_days',
        annualReset: 'annual_reset',
        maskNames: (v) => ({ mask_names: v ? 1 : 0 }),
      }),
    ).toEqual({ name: '新村', annual_reset: null, mask_names: 0 })
    expect(patchOf('villages', {} as typeof input, { name: 'name' })).toEqual({})
  })
})
