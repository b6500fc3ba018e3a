/**
 * The demo county's people: synthetic accounts with pinyin user names and Chinese names, in the
 * demo departments, one list for every role (stewards of the bureaus that own data, analysts,
 * supervisors, leaders, case handlers, town officials and grid workers). The administrator is not
 * among them (created at first start). All demo accounts share one password: YITU_DEMO_PASSWORD,
 * or one generated at seed time and shown once by the command line, never logged and never stored
 * in plain text.
 */
import type { Role } from '../access/model.ts';
import { generatePassword } from '../access/passwords.ts';
import type { Queryable } from '../platform/db.ts';
import { YituError } from '../platform/errors.ts';
import type { Services } from '../services.ts';
import { DEPARTMENTS } from './departments.ts';

/** A demo account. */
export interface DemoPerson {
  /** Pinyin, family name last: `wang.fang`. */
  username: string;
  displayName: string;
  department: string;
  roles: Role[];
  /** A grid worker's grid (15-digit code); empty: the department's jurisdiction. */
  regionCodes: string[];
  /** Post, for the list of example accounts. */
  post: { zh: string; en: string };
}

function p(username: string, displayName: string, department: string, roles: Role[], zh: string, en: string, regionCodes: string[] = []): DemoPerson {
  return { username, displayName, department, roles, regionCodes, post: { zh, en } };
}

/** The first grid of a village (a grid code is the village code and a 3-digit sequence from 001). */
export function firstGridOf(villageCode: string): string {
  return `${villageCode}001`;
}

/** A grid worker of a town office, in the first grid of a village. */
function gw(username: string, displayName: string, town: string, villageCode: string, village: string): DemoPerson {
  return p(username, displayName, town, ['grid_worker'], `${village}网格员`, `Grid worker, ${village}`, [firstGridOf(villageCode)]);
}

/** Everyone of the demo county, in a fixed order (57 people). */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  // 县政府办公室: leaders and the supervision office
  p('li.jianguo', '李建国', 'county-government', ['leader'], '县长', 'County head'),
  p('zhou.min', '周敏', 'county-government', ['leader'], '副县长', 'Deputy county head'),
  p('xu.hui', '许辉', 'county-government', ['supervisor'], '督查室主任', 'Head of the supervision office'),
  p('he.ping', '何平', 'county-government', ['supervisor', 'analyst'], '督查室督查员', 'Supervisor'),
  // 自然资源和规划局
  p('wang.fang', '王芳', 'natural-resources-planning', ['data_steward'], '信息中心数据管理员', 'Data steward'),
  p('liu.yang', '刘洋', 'natural-resources-planning', ['analyst'], '国土空间规划科', 'Planning analyst'),
  p('zhao.lei', '赵磊', 'natural-resources-planning', ['analyst'], '耕地保护科', 'Farmland protection analyst'),
  p('huang.wei', '黄伟', 'natural-resources-planning', ['supervisor'], '执法监察大队', 'Enforcement supervisor'),
  p('wu.qiang', '吴强', 'natural-resources-planning', ['case_handler'], '执法监察队员', 'Case handler'),
  p('zhang.guoqing', '张国庆', 'natural-resources-planning', ['leader'], '局长', 'Director'),
  // 经济和信息化局
  p('zheng.hao', '郑浩', 'economy-it', ['data_steward'], '亩均效益数据管理员', 'Data steward (per-mu efficiency)'),
  p('ma.li', '马丽', 'economy-it', ['analyst'], '产业发展科', 'Industry analyst'),
  p('qian.jun', '钱军', 'economy-it', ['leader'], '局长', 'Director'),
  // 农业农村局
  p('shen.lin', '沈琳', 'agriculture-rural', ['data_steward'], '数字农业数据管理员', 'Data steward'),
  p('lu.xiaoming', '陆晓明', 'agriculture-rural', ['analyst'], '农业产业化科', 'Agricultural industry analyst'),
  p('cao.jian', '曹健', 'agriculture-rural', ['case_handler'], '农村宅基地管理', 'Case handler (rural homesteads)'),
  // 生态环境分局
  p('yang.li', '杨丽', 'ecology-environment', ['data_steward'], '监测站数据管理员', 'Data steward (monitoring)'),
  p('xu.tao', '徐涛', 'ecology-environment', ['analyst'], '水环境科', 'Water environment analyst'),
  p('jiang.bo', '蒋波', 'ecology-environment', ['case_handler'], '环境执法队员', 'Case handler'),
  // 水利局
  p('shi.wenjie', '施文杰', 'water-resources', ['data_steward'], '水利数据管理员', 'Data steward'),
  p('fan.ying', '范颖', 'water-resources', ['analyst'], '防汛抗旱科', 'Flood control analyst'),
  p('gu.lei', '顾磊', 'water-resources', ['case_handler'], '河湖管理', 'Case handler (rivers and lakes)'),
  // 应急管理局
  p('tang.yu', '唐宇', 'emergency-management', ['data_steward'], '应急数据管理员', 'Data steward'),
  p('song.jia', '宋佳', 'emergency-management', ['analyst'], '风险监测科', 'Risk monitoring analyst'),
  p('pan.gang', '潘刚', 'emergency-management', ['case_handler'], '安全生产执法', 'Case handler (workplace safety)'),
  // 统计局, 商务局
  p('feng.xue', '冯雪', 'statistics', ['data_steward'], '统计数据管理员', 'Data steward'),
  p('dong.hui', '董慧', 'statistics', ['analyst'], '人口统计科', 'Population statistics analyst'),
  p('lin.hao', '林浩', 'commerce-investment', ['analyst'], '招商服务科', 'Investment promotion analyst'),
  // 大数据发展管理局
  p('chen.jing', '陈静', 'big-data', ['data_steward'], '数据资源科', 'Data steward (data resources)'),
  p('sun.yu', '孙宇', 'big-data', ['analyst'], '数据分析师', 'Data analyst'),
  p('yu.hong', '俞红', 'big-data', ['supervisor'], '数据共享督查', 'Data sharing supervisor'),
  // 住房和城乡建设局, 交通运输局
  p('hu.bin', '胡斌', 'housing-construction', ['data_steward'], '城建档案数据管理员', 'Data steward'),
  p('ye.qing', '叶青', 'housing-construction', ['case_handler'], '市政设施管理', 'Case handler (municipal facilities)'),
  p('mo.xiaodong', '莫晓东', 'housing-construction', ['case_handler'], '房屋安全管理', 'Case handler (building safety)'),
  p('shao.feng', '邵峰', 'transport', ['data_steward'], '交通数据管理员', 'Data steward'),
  p('yao.dong', '姚东', 'transport', ['case_handler'], '公路养护', 'Case handler (road maintenance)'),
  // 综合行政执法局, 市场监督管理局, 公安局, 民政局
  p('lou.jun', '楼军', 'law-enforcement', ['supervisor'], '执法大队队长', 'Head of the enforcement brigade'),
  p('jin.chao', '金超', 'law-enforcement', ['case_handler'], '城管执法队员', 'Case handler'),
  p('xia.lei', '夏磊', 'law-enforcement', ['case_handler'], '城管执法队员', 'Case handler'),
  p('ni.jie', '倪杰', 'market-supervision', ['case_handler'], '市场监管所', 'Case handler'),
  p('kong.wei', '孔伟', 'public-security', ['case_handler'], '派出所民警', 'Police officer'),
  p('zhu.hong', '朱红', 'civil-affairs', ['data_steward'], '公共服务设施数据管理员', 'Data steward (public facilities)'),
  // Town officials: their town office's jurisdiction is their scope
  p('wu.xiaoyan', '吴晓燕', 'town-wukang', ['supervisor', 'case_handler'], '武康街道综合信息指挥室', 'Town command centre, Wukang'),
  p('shen.jianhua', '沈建华', 'town-qianyuan', ['supervisor', 'case_handler'], '乾元镇综合信息指挥室', 'Town command centre, Qianyuan'),
  p('gao.ming', '高明', 'town-xinshi', ['supervisor', 'case_handler'], '新市镇综合信息指挥室', 'Town command centre, Xinshi'),
  p('pan.xiaoli', '潘晓丽', 'town-moganshan', ['supervisor', 'case_handler'], '莫干山镇综合信息指挥室', 'Town command centre, Moganshan'),
  p('zhang.min', '张敏', 'town-xiazhuhu', ['supervisor', 'case_handler'], '下渚湖街道综合信息指挥室', 'Town command centre, Xiazhuhu'),
  // Grid workers: one grid each
  gw('lu.meifang', '陆美芳', 'town-wukang', '330521001001', '居仁社区'),
  gw('shen.dalin', '沈大林', 'town-wukang', '330521001200', '对河口村'),
  gw('xu.aiping', '徐爱萍', 'town-qianyuan', '330521101018', '溪街社区'),
  gw('yao.jianping', '姚建平', 'town-qianyuan', '330521101200', '明星村'),
  gw('zhu.lihua', '朱丽华', 'town-xinshi', '330521102007', '仙潭社区'),
  gw('fei.guoliang', '费国良', 'town-xinshi', '330521102201', '梅林村'),
  gw('chen.xiuying', '陈秀英', 'town-moganshan', '330521115002', '庾村社区'),
  gw('wang.jianjun', '王建军', 'town-moganshan', '330521115202', '劳岭村'),
  gw('jin.yumei', '金玉梅', 'town-xiazhuhu', '330521004208', '二都村'),
  gw('mo.weiguo', '莫卫国', 'town-xiazhuhu', '330521004211', '和睦村'),
];

/** Example accounts shown after seeding, one or two per role. */
export const EXAMPLE_ACCOUNTS: readonly string[] = [
  'li.jianguo', 'xu.hui', 'wang.fang', 'zheng.hao', 'liu.yang', 'lu.xiaoming', 'jin.chao', 'wu.xiaoyan', 'lu.meifang',
];

/** What {@link seedPeople} did. */
export interface PeopleReport {
  /** Accounts created now. */
  created: number;
  /** Demo accounts that were there already (left as they are, with their own password). */
  existing: number;
  /** Where the password of the created accounts comes from. */
  passwordFrom: 'YITU_DEMO_PASSWORD' | 'generated';
  /**
   * The generated password, for the command line to show once; null when it came from the
   * configuration or no account was created. A function, so that logging the report never prints it.
   */
  oneTimePassword(): string | null;
  /** Ids of the accounts created now (dropped again when the seed fails later). */
  createdIds: string[];
}

/**
 * Creates the demo people that do not exist yet, through the account service (password rules,
 * scrypt hashes). Accounts already there keep their password. Four at a time: hashing runs in
 * libuv's thread pool, so that the seed does not wait on each hash in turn.
 */
export async function seedPeople(services: Services, q: Queryable = services.db): Promise<PeopleReport> {
  const configured = services.config.demoPassword;
  const password = configured ?? generatePassword();
  const known = new Set(DEPARTMENTS.map((d) => d.id));
  const missingDept = DEMO_PEOPLE.find((x) => !known.has(x.department));
  if (missingDept) throw new YituError('YITU_ERR_INTERNAL', `demo person ${missingDept.username} is in unknown department ${missingDept.department}`);
  const taken = new Set(
    (await q.query<{ username: string }>('SELECT username FROM yitu.users WHERE username = ANY($1::text[])', [DEMO_PEOPLE.map((x) => x.username)])).rows.map((r) => r.username),
  );
  const todo = DEMO_PEOPLE.filter((x) => !taken.has(x.username));
  const createdIds: string[] = [];
  try {
    for (let i = 0; i < todo.length; i += 4) {
      const batch = await Promise.allSettled(
        todo.slice(i, i + 4).map((x) =>
          services.accounts.createUser(
            {
              username: x.username, displayName: x.displayName, email: `${x.username}@deqing.example`, department: x.department, roles: x.roles,
              regionCodes: x.regionCodes, password,
            },
            q,
          ),
        ),
      );
      for (const r of batch) if (r.status === 'fulfilled') createdIds.push(r.value.id);
      const failed = batch.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (e) {
    // All or nothing: a retry creates them again with the password it shows.
    if (createdIds.length) await q.query('DELETE FROM yitu.users WHERE id = ANY($1::uuid[])', [createdIds]);
    throw e;
  }
  services.guard.forget();
  const shown = configured === undefined && createdIds.length > 0 ? password : null;
  return {
    created: createdIds.length,
    existing: taken.size,
    passwordFrom: configured === undefined ? 'generated' : 'YITU_DEMO_PASSWORD',
    oneTimePassword: () => shown,
    createdIds,
  };
}
