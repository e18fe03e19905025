import { describe, expect, it } from 'vitest'
import { addToCart, cartLines, cartTotal, productForCode, shortage } from '../../web/kiosk/cart.js'
import { ScanBuffer } from '../../web/kiosk/scanner-keys.js'
import type { Product } from '../../shared/types/supermarket.js'

/** Types `text` then Enter into a buffer, with the given gaps (ms) between keys; answers what it took as a scan. */
function typeInto(buffer: ScanBuffer, text: string, gap: (i: number) => number, start = 1000): string | null {
  let at = start
  for (const [i, ch] of [...text].entries()) {
    at += i ? gap(i) : 0
    buffer.key(ch, at)
  }
  return buffer.key('Enter', at + gap(text.length))
}

const CARD = 'eyJjIjoiMG13dzRlb2NtMDAwNjY4MjlpcTgifQ.Ea94hOTeHBenPBGPuwewSu5Lvt5QfGUjAZexFPxskzA'

describe('telling a scanner from a person at the keyboard', () => {
  it('takes a burst of fast keys ended by Enter as a scan', () => {
    expect(typeInto(new ScanBuffer(), CARD, () => 8)).toBe(CARD)
    expect(typeInto(new ScanBuffer(), '6901234567892', () => 2)).toBe('6901234567892')
  })

  it('still takes it when a busy tablet or a Bluetooth scanner delays a few keys', () => {
    expect(typeInto(new ScanBuffer(), CARD, (i) => (i % 10 === 0 ? 180 : 6))).toBe(CARD)
  })

  it('does not take a person typing, even a fast typist', () => {
    expect(typeInto(new ScanBuffer(), 'zhangsan', () => 140)).toBeNull()
    expect(typeInto(new ScanBuffer(), 'zhangsan', (i) => (i % 2 ? 45 : 90))).toBeNull()
  })

  it('does not take a short burst, and a pause starts over', () => {
    expect(typeInto(new ScanBuffer(), 'zs', () => 5)).toBeNull()
    const b = new ScanBuffer()
    for (const [i, ch] of [...'abc'].entries()) b.key(ch, 100 + i * 5)
    expect(typeInto(b, '123456', () => 5, 2000)).toBe('123456')
  })

  it('takes a slow Bluetooth scanner (up to ~150 ms a key) when what it typed is a card code', () => {
    expect(typeInto(new ScanBuffer(), CARD, () => 60)).toBe(CARD)
    expect(typeInto(new ScanBuffer(), CARD, (i) => (i % 2 ? 45 : 140))).toBe(CARD)
    // not a person typing a name or a number that slowly
    expect(typeInto(new ScanBuffer(), 'zhangsanlisi', () => 100)).toBeNull()
  })

  it('says a long burst was too slow when it is not a card code (rather than ignoring it silently)', () => {
    const b = new ScanBuffer()
    expect(typeInto(b, '6901234567892690123456789', () => 90)).toBeNull()
    expect(b.tooSlow).toBe(true)
    const person = new ScanBuffer()
    expect(typeInto(person, 'zhangsan', () => 140)).toBeNull()
    expect(person.tooSlow).toBe(false)
  })

  it('ignores Shift and other named keys inside a scan', () => {
    const b = new ScanBuffer()
    let at = 0
    for (const ch of 'AB12cd') {
      b.key('Shift', (at += 3))
      b.key(ch, (at += 3))
    }
    expect(b.key('Enter', at + 3)).toBe('AB12cd')
  })
})

const product = (id: string, pointsPrice: number, stock: number, extra: Partial<Product> = {}): Product => ({
  id,
  sku: id.toUpperCase(),
  name: id,
  pointsPrice,
  stock,
  unit: null,
  category: null,
  barcode: null,
  lowStockThreshold: 0,
  active: true,
  createdAt: '',
  ...extra,
})

describe('the cart', () => {
  const products = [product('rice', 30, 2, { barcode: '6901234567892' }), product('soap', 4, 10)]

  it('totals the lines and says what is short before confirming', () => {
    let cart = addToCart({}, 'rice')
    cart = addToCart(cart, 'rice')
    cart = addToCart(cart, 'rice')
    cart = addToCart(cart, 'soap')
    const lines = cartLines(cart, products)
    expect(cartTotal(lines)).toBe(94)
    expect(shortage(lines, 100)).toEqual({ points: 0, stock: [{ name: 'rice', stock: 2 }] })
    expect(shortage(lines, 90).points).toBe(4)
  })

  it('drops a line that goes to zero', () => {
    expect(addToCart({ soap: 1 }, 'soap', -1)).toEqual({})
  })

  it('finds a product by barcode or SKU', () => {
    expect(productForCode(products, '6901234567892')?.id).toBe('rice')
    expect(productForCode(products, 'SOAP')?.id).toBe('soap')
    expect(productForCode(products, CARD)).toBeUndefined()
  })
})
