import type { CreateRuleInput } from '../../shared/schemas/rules.js'

/**
 * A starter catalogue of common village rules, as published by villages running a points bank. A village
 * loads it once and edits it: deactivate what does not apply, add its own.
 */
export const STARTER_CATALOGUE: CreateRuleInput[] = [
  { code: 'VOL-01', name: '参加志愿服务（半天）', category: '志愿服务', points: 5, limit: { count: 2, period: 'week' }, evidence: '活动签到表或照片' },
  { code: 'VOL-02', name: '参加村集体义务劳动', category: '志愿服务', points: 5, limit: { count: 4, period: 'month' }, evidence: '劳动签到' },
  { code: 'VOL-03', name: '参与抢险救灾', category: '志愿服务', points: 20, evidence: '村委会证明' },
  { code: 'VOL-04', name: '无偿献血', category: '志愿服务', points: 20, limit: { count: 2, period: 'year' }, evidence: '献血证' },
  { code: 'ENV-01', name: '门前三包达标（月评）', category: '人居环境', points: 5, limit: { count: 1, period: 'month' }, evidence: '检查记录' },
  { code: 'ENV-02', name: '庭院整洁评为“美丽庭院”', category: '人居环境', points: 10, limit: { count: 1, period: 'month' }, evidence: '评比结果' },
  { code: 'ENV-03', name: '垃圾分类投放正确', category: '人居环境', points: 2, limit: { count: 4, period: 'month' }, evidence: '巡查记录' },
  { code: 'ENV-04', name: '参与植树护绿', category: '人居环境', points: 3, limit: { count: 3, period: 'year' } },
  { code: 'FAM-01', name: '孝老爱亲（获评孝心家庭）', category: '孝老爱亲', points: 20, limit: { count: 1, period: 'year' }, evidence: '评比结果' },
  { code: 'FAM-02', name: '照顾孤寡老人、留守儿童', category: '孝老爱亲', points: 5, limit: { count: 4, period: 'month' }, evidence: '走访记录' },
  { code: 'FAM-03', name: '家庭和睦、邻里团结（年度评选）', category: '孝老爱亲', points: 10, limit: { count: 1, period: 'year' } },
  { code: 'NBR-01', name: '帮扶邻里、助人为乐', category: '邻里互助', points: 3, limit: { count: 4, period: 'month' }, evidence: '受助人确认' },
  { code: 'NBR-02', name: '调解邻里纠纷成功', category: '邻里互助', points: 5, evidence: '调解记录' },
  { code: 'NBR-03', name: '拾金不昧', category: '邻里互助', points: 10, evidence: '失主确认' },
  { code: 'CIV-01', name: '按时参加村民会议', category: '乡风文明', points: 2, limit: { count: 2, period: 'month' }, evidence: '签到表' },
  { code: 'CIV-02', name: '移风易俗（婚事新办、丧事简办）', category: '乡风文明', points: 10, evidence: '红白理事会证明' },
  { code: 'CIV-03', name: '子女考上大学', category: '乡风文明', points: 20, limit: { count: 1, period: 'year' }, evidence: '录取通知书' },
  { code: 'CIV-04', name: '见义勇为', category: '乡风文明', points: 30, evidence: '村委会认定' },
  { code: 'SAF-01', name: '参加防火防溺水宣传', category: '平安建设', points: 2, limit: { count: 2, period: 'month' } },
  { code: 'SAF-02', name: '举报安全隐患经查属实', category: '平安建设', points: 5, evidence: '核查记录' },
  { code: 'DED-01', name: '参与赌博', category: '违规扣分', points: -20, evidence: '派出所或村委会认定' },
  { code: 'DED-02', name: '乱倒垃圾、乱堆乱放', category: '违规扣分', points: -5, evidence: '巡查照片' },
  { code: 'DED-03', name: '违法违规建房', category: '违规扣分', points: -30, evidence: '执法文书' },
  { code: 'DED-04', name: '不赡养老人、虐待家庭成员', category: '违规扣分', points: -30, evidence: '村委会认定' },
  { code: 'DED-05', name: '焚烧秸秆、野外用火', category: '违规扣分', points: -10, evidence: '巡查记录' },
  { code: 'DED-06', name: '散养家禽家畜影响环境', category: '违规扣分', points: -3, evidence: '巡查照片' },
]
