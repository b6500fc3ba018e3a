/**
 * Hanyu Pinyin for the region names of the demo county (Deqing's towns, villages and communities),
 * from a small per-character table; readings chosen for these place names (e.g. 柏 bai in 上柏,
 * 长 chang in 长春, 乐 le in 乐安). Written as romanised place names: syllables joined,
 * first letter capitalised, an apostrophe before a syllable starting with a, o or e (Xin'an).
 */
import { YituError } from '../platform/errors.ts';

const TABLE =
  'an:安 ba:八坝 bai:柏白百 ban:板 bao:宝 bei:北 biao:彪 cai:蔡 chan:产 chang:长昌 cheng:城塍 chun:春 ' +
  'cun:村 da:大 dai:代 dao:道 de:德 deng:灯 dian:甸殿 dong:东 dou:斗兜 du:都 dui:对 dun:墩 e:鹅 er:二 ' +
  'fa:筏 fang:放 feng:丰凤封峰 fo:佛 fu:阜福富 gan:干 gang:港 gao:皋高 ge:戈葛 gou:勾 gu:谷 guan:管 ' +
  'guang:光 guo:郭 he:和河合何 heng:恒衡 hou:厚后 hu:湖 huang:皇 hui:晖回辉 huo:火 ji:吉 jia:家加 ' +
  'jiao:郊 jie:街介界解 jin:进金 jing:泾 ju:居句 kang:康 kou:口 lao:劳 le:乐 lei:雷 li:栎蠡利里 lian:联 ' +
  'liao:燎 lin:林 ling:岭 long:龙 lu:陆路 luo:洛 mao:茅 mei:梅 men:门 meng:孟 miao:庙 min:民 ming:明 ' +
  'mo:莫 mu:亩母睦木 nan:南 nian:年 ping:屏平 qi:琪齐栖 qian:乾千钱前 qiao:桥 qin:勤 qing:青清 qiu:秋 ' +
  'qu:区曲 qun:群 ren:仁 san:三 sha:砂 shan:山 shang:上 shao:韶 she:舍社 shen:沈审 sheng:胜升 ' +
  'shi:市狮士 shuang:双 shui:水 si:四 song:宋 sun:孙 ta:塔 tai:太 tan:潭 tang:唐塘堂 tian:天 ting:亭 ' +
  'tou:头 wan:湾 wang:王 wei:卫 wu:武舞五坞 xi:溪西 xia:下夏 xian:仙县 xiang:祥 xin:新 xing:兴星幸 ' +
  'xu:徐 yan:燕沿雁 yang:阳杨 yao:瑶 ying:英 yong:永勇 yu:禹愚玉庾 yuan:元原 yue:越 zhang:张 zhao:肇 ' +
  'zhen:镇振 zhi:直 zhong:钟中 zhu:渚朱 zhuang:庄 zi:字紫';

const PINYIN: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const group of TABLE.split(' ')) {
    const [syl, chars] = group.split(':');
    for (const ch of chars) m.set(ch, syl);
  }
  return m;
})();

/** True when every character of the name is in the table. */
export function hasPinyin(zh: string): boolean {
  return [...zh].every((c) => PINYIN.has(c));
}

/** The romanised place name of Chinese characters, e.g. 对河口 → "Duihekou", 新安 → "Xin'an". */
export function toPinyin(zh: string): string {
  let out = '';
  for (const ch of zh) {
    const syl = PINYIN.get(ch);
    if (syl === undefined) throw new YituError('YITU_ERR_INTERNAL', `no pinyin for "${ch}" in "${zh}"; add it to server/demo/pinyin.ts`);
    if (out && /^[aoe]/.test(syl)) out += "'";
    out += syl;
  }
  return out.charAt(0).toUpperCase() + out.slice(1);
}

const SUFFIXES: [string, string][] = [
  ['街道', 'Subdistrict'],
  ['社区', 'Community'],
  ['镇', 'Town'],
  ['乡', 'Township'],
  ['村', 'Village'],
  ['县', 'County'],
];

/** English name of a region from its Chinese name: 武康街道 → "Wukang Subdistrict". */
export function regionNameEn(zh: string): string {
  for (const [suffix, en] of SUFFIXES) {
    if (zh.endsWith(suffix) && zh.length > suffix.length) return `${toPinyin(zh.slice(0, -suffix.length))} ${en}`;
  }
  return toPinyin(zh);
}
