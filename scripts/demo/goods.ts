import type { CreateProductInput } from '../../shared/schemas/supermarket.js'

/**
 * What a village love supermarket (爱心超市) stocks: daily necessities, mostly donated, priced in points so
 * that a month of ordinary good deeds buys a bag of rice or a bottle of oil. Barcodes are plausible
 * 13-digit EANs (China's 690–699 prefixes) so a USB scanner path can be tried.
 */
export const GOODS: readonly CreateProductInput[] = [
  { sku: 'OIL-5L', name: '食用调和油 5升', category: '粮油', unit: '桶', pointsPrice: 60, barcode: '6902083880012', lowStockThreshold: 5 },
  { sku: 'RICE-10', name: '大米 10公斤', category: '粮油', unit: '袋', pointsPrice: 50, barcode: '6934567800105', lowStockThreshold: 5 },
  { sku: 'FLOUR-5', name: '面粉 5公斤', category: '粮油', unit: '袋', pointsPrice: 25, barcode: '6934567800211', lowStockThreshold: 5 },
  { sku: 'NOODLE', name: '挂面 1公斤', category: '粮油', unit: '包', pointsPrice: 6, barcode: '6921555580017', lowStockThreshold: 10 },
  { sku: 'SOY', name: '酱油 500毫升', category: '调味品', unit: '瓶', pointsPrice: 5, barcode: '6902265360017', lowStockThreshold: 10 },
  { sku: 'VINEGAR', name: '陈醋 500毫升', category: '调味品', unit: '瓶', pointsPrice: 5, barcode: '6902265360123', lowStockThreshold: 10 },
  { sku: 'SALT', name: '食盐 400克', category: '调味品', unit: '袋', pointsPrice: 2, barcode: '6901234500019', lowStockThreshold: 20 },
  { sku: 'EGGS', name: '鸡蛋 30枚', category: '副食', unit: '盒', pointsPrice: 20, lowStockThreshold: 5 },
  { sku: 'DETERGENT', name: '洗衣粉 1.5公斤', category: '日用品', unit: '袋', pointsPrice: 12, barcode: '6902088110011', lowStockThreshold: 10 },
  { sku: 'DISH', name: '洗洁精 1.1公斤', category: '日用品', unit: '瓶', pointsPrice: 8, barcode: '6902088310015', lowStockThreshold: 10 },
  { sku: 'SOAP', name: '香皂 3块装', category: '日用品', unit: '组', pointsPrice: 8, barcode: '6903148040014', lowStockThreshold: 10 },
  { sku: 'TOOTHPASTE', name: '牙膏 180克', category: '日用品', unit: '支', pointsPrice: 6, barcode: '6903148070011', lowStockThreshold: 10 },
  { sku: 'TOWEL', name: '纯棉毛巾', category: '日用品', unit: '条', pointsPrice: 5, lowStockThreshold: 10 },
  { sku: 'TISSUE', name: '卫生纸 10卷', category: '日用品', unit: '提', pointsPrice: 15, barcode: '6922266440018', lowStockThreshold: 10 },
  { sku: 'SLIPPERS', name: '拖鞋', category: '日用品', unit: '双', pointsPrice: 10, lowStockThreshold: 5 },
  { sku: 'UMBRELLA', name: '雨伞', category: '日用品', unit: '把', pointsPrice: 18, lowStockThreshold: 3 },
  { sku: 'THERMOS', name: '暖水瓶', category: '家居', unit: '个', pointsPrice: 30, lowStockThreshold: 3 },
  { sku: 'COOKER', name: '电饭煲', category: '家居', unit: '台', pointsPrice: 200, lowStockThreshold: 1 },
  { sku: 'NOTEBOOK', name: '作业本 10本', category: '文具', unit: '套', pointsPrice: 5, lowStockThreshold: 10 },
  { sku: 'PENCIL', name: '铅笔 12支', category: '文具', unit: '盒', pointsPrice: 4, lowStockThreshold: 10 },
  { sku: 'SCHOOLBAG', name: '儿童书包', category: '文具', unit: '个', pointsPrice: 40, lowStockThreshold: 2 },
  { sku: 'GLOVES', name: '劳保手套 6双', category: '农资', unit: '包', pointsPrice: 6, lowStockThreshold: 10 },
  { sku: 'SEEDS', name: '蔬菜种子组合', category: '农资', unit: '包', pointsPrice: 3, lowStockThreshold: 10 },
]

/** Who gives goods to a village supermarket: firms, charities, the township, people from the village who did well. */
export const DONORS: readonly { donor: string; donorOrg: string | null }[] = [
  { donor: '县慈善总会', donorOrg: '县慈善总会' },
  { donor: '镇党委政府', donorOrg: '镇人民政府' },
  { donor: '县供销合作社', donorOrg: '县供销合作社' },
  { donor: '爱心企业', donorOrg: '兴农农业发展有限公司' },
  { donor: '爱心企业', donorOrg: '鑫源建材有限公司' },
  { donor: '县农商银行', donorOrg: '县农村商业银行' },
  { donor: '乡贤捐赠', donorOrg: null },
  { donor: '驻村工作队', donorOrg: '县直机关驻村工作队' },
]
