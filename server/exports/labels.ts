/** The words a printed statement uses, in Chinese, the village's language. */

export const STATEMENT_HEADERS = ['户号', '户主', '期初', '获得', '扣除', '兑换', '调整', '期末'] as const

export const KIND_LABEL: Record<string, string> = {
  award: '奖励',
  deduction: '扣分',
  redemption: '兑换',
  reversal: '冲正',
  adjustment: '调整',
  expiry: '清零',
}

export const STOCK_KIND_LABEL: Record<string, string> = {
  receipt: '入库',
  redemption: '兑换出库',
  void: '作废退回',
  adjustment: '调整',
  stocktake: '盘点',
  relief: '救助发放',
}

export const kindLabel = (kind: string) => KIND_LABEL[kind] ?? kind
export const stockKindLabel = (kind: string) => STOCK_KIND_LABEL[kind] ?? kind

/** '2026-03' → '2026年3月'; '2026' → '2026年'. */
export function periodLabel(label: string): string {
  const [y, m] = label.split('-')
  return m ? `${y}年${Number(m)}月` : `${y}年`
}

/** The file name of an export: gongyi-<village code>-<month>.<ext> (village codes are [A-Za-z0-9_-]). */
export const exportFileName = (villageCode: string, month: string, ext: string) =>
  `gongyi-${villageCode}-${month}.${ext}`
