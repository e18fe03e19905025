import { pinyin } from 'pinyin-pro'

/**
 * What household search matches: the number, every name as written, its full pinyin and its initials
 * (`zhangsan`, `zs` for 张三), lowercase. Cashiers type on an English keyboard. Surname mode reads 曾 as zeng.
 */
export function searchKey(householdNo: string, names: string[]): string {
  const parts = [householdNo]
  for (const name of names) {
    parts.push(name)
    const full = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' })
    const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' })
    parts.push(full.join('').replace(/\s+/g, ''), initials.join('').replace(/\s+/g, ''))
  }
  return parts.join(' ').toLowerCase()
}

/** A LIKE pattern that matches the text literally anywhere. */
export function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`
}
