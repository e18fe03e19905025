import type { Random } from './random.js'

/*
 * Chinese names for generated villages and households. Surnames are weighted roughly as in the national
 * census, and each village has two or three clan surnames that most of its households share, as villages do
 * (张家湾 is mostly 张): that is what makes search by initials hard in practice (many "zs" and "zjg").
 * Polyphonic surnames (曾 zeng, 单 shan, 解 xie, 仇 qiu) are in the list on purpose.
 */

const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 25],
  ['赵', 21],
  ['吴', 21],
  ['周', 20],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 14],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['高', 11],
  ['林', 11],
  ['罗', 11],
  ['郑', 10],
  ['梁', 10],
  ['谢', 8],
  ['宋', 8],
  ['唐', 8],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 7],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 6],
  ['董', 6],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 5],
  ['叶', 5],
  ['程', 5],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 3],
  ['方', 3],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['单', 1],
  ['解', 1],
  ['仇', 1],
  ['欧阳', 1],
  ['司马', 1],
]

/** Given-name characters by generation: what grandparents, parents and children tend to be called. */
const GIVEN = {
  elderMale: '德福贵富财山林海发忠义礼明国庆兴旺有长保金银春生根树文武成全',
  elderFemale: '秀英兰芳桂珍凤玉梅花菊莲香翠巧云淑素琴月娥荣彩',
  male: '伟强军明建国华平刚勇志文海林东辉斌杰涛鹏波超亮峰成磊鑫斌红卫兵新民永胜利军',
  female: '丽敏静燕霞娟玲红艳萍莉娜婷雪慧丹洁芳琳英霞芬梅',
  youngMale: '浩宇轩子涵梓博文俊凯睿泽铭昊然一航奕辰哲瑞',
  youngFemale: '欣怡雨涵诗琪梦瑶佳思萱可馨悦彤妍晨一诺菲',
} as const

type Generation = keyof typeof GIVEN

export const surname = (rng: Random) => rng.weighted(SURNAMES)

export function givenName(rng: Random, generation: Generation): string {
  const chars = GIVEN[generation]
  const one = rng.chance(generation.startsWith('young') ? 0.25 : 0.35)
  return one ? rng.pick([...chars]) : rng.pick([...chars]) + rng.pick([...chars])
}

/** A village's own surname mix: its clans first, then the country's. */
export function villageSurnames(rng: Random): (r: Random) => string {
  const clans = rng.sample(
    SURNAMES.slice(0, 40).map(([s]) => s),
    rng.int(2, 3),
  )
  const weights = [0.35, 0.15, 0.1]
  return (r) => {
    let x = r.next()
    for (let i = 0; i < clans.length; i++) {
      x -= weights[i]!
      if (x < 0) return clans[i]!
    }
    return surname(r)
  }
}

export interface Person {
  name: string
  relation: string
}

/**
 * A household as a rural roster lists it: the head (usually the eldest working man), spouse, children,
 * sometimes the head's parents or grandchildren. The head comes first.
 */
export function householdPeople(rng: Random, familyName: string): Person[] {
  const elderHead = rng.chance(0.3)
  const femaleHead = rng.chance(0.12) // widows and women who head the household
  const people: Person[] = []
  const head = `${familyName}${givenName(rng, femaleHead ? (elderHead ? 'elderFemale' : 'female') : elderHead ? 'elderMale' : 'male')}`
  people.push({ name: head, relation: '户主' })
  if (!femaleHead && rng.chance(0.85))
    people.push({ name: `${surname(rng)}${givenName(rng, elderHead ? 'elderFemale' : 'female')}`, relation: '配偶' })
  const children = rng.weighted([
    [0, 1],
    [1, 4],
    [2, 4],
    [3, 1],
  ] as const)
  for (let i = 0; i < children; i++) {
    const son = rng.chance(0.52)
    const gen: Generation = elderHead ? (son ? 'male' : 'female') : son ? 'youngMale' : 'youngFemale'
    people.push({ name: `${familyName}${givenName(rng, gen)}`, relation: son ? '儿子' : '女儿' })
  }
  if (elderHead) {
    if (rng.chance(0.4)) people.push({ name: `${surname(rng)}${givenName(rng, 'female')}`, relation: '儿媳' })
    const grandchildren = rng.int(0, 2)
    for (let i = 0; i < grandchildren; i++) {
      const boy = rng.chance(0.5)
      people.push({
        name: `${familyName}${givenName(rng, boy ? 'youngMale' : 'youngFemale')}`,
        relation: boy ? '孙子' : '孙女',
      })
    }
  } else if (rng.chance(0.35)) {
    people.push({ name: `${familyName}${givenName(rng, 'elderMale')}`, relation: '父亲' })
    if (rng.chance(0.8)) people.push({ name: `${surname(rng)}${givenName(rng, 'elderFemale')}`, relation: '母亲' })
  }
  return people
}

const PLACE_SUFFIX = [...'湾庄沟坪岭寨坝洼营集店屯桥坡塘泉台林']
const PLACE_FIRST = [...'东西南北前后上下大小新老石柳杨桃梨枣杏槐松竹黄白青红马龙凤金银清高长双三五']

/** A village name: 张家湾村, 石桥村, 下河庄村. */
export function villageName(rng: Random): string {
  const core = rng.chance(0.45)
    ? `${rng.pick(SURNAMES.slice(0, 50).map(([s]) => s))}家${rng.pick(PLACE_SUFFIX)}`
    : `${rng.pick(PLACE_FIRST)}${rng.pick(PLACE_SUFFIX)}`
  return `${core}村`
}

export function mobilePhone(rng: Random): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`
}
