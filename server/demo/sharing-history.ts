/**
 * A little sharing history of the demo county, so that the web app has something to show: one
 * approved request with its active grant, one pending request (its stewards are notified) and one
 * refused with a reason, made and decided by the demo people through the sharing service.
 */
import type { RequestOrigin } from '../access/audit-log.ts';
import { NotificationService } from '../access/notifications.ts';
import { SharingService } from '../access/sharing-service.ts';
import { YituError } from '../platform/errors.ts';
import type { Services } from '../services.ts';

/** One request of the history. */
export interface DemoShareRequest {
  datasetId: string;
  /** User name of the requester (a demo person); the request is made for their department. */
  requester: string;
  purpose: string;
  days: number;
  /** Who decides (a steward of the owning department), and how; null: still pending. */
  decision: null | { by: string; approved: boolean; reason: string };
}

/** The history: approved (grant active), pending, refused. */
export const DEMO_SHARE_REQUESTS: readonly DemoShareRequest[] = [
  {
    datasetId: 'enterprise_indicators',
    requester: 'lu.xiaoming',
    purpose: '评估农产品加工企业和农业龙头企业的亩均效益，制定数字农业园区扶持政策。',
    days: 90,
    decision: { by: 'zheng.hao', approved: true, reason: '同意，仅限农业相关企业的分析使用，不得对外公开单个企业数据。' },
  },
  {
    datasetId: 'geohazard_points',
    requester: 'song.jia',
    purpose: '编制汛期地质灾害应急预案，需要隐患点位置和威胁人数以安排转移避险路线。',
    days: 180,
    decision: null,
  },
  {
    datasetId: 'population_grid',
    requester: 'lin.hao',
    purpose: '为连锁超市投资项目选址提供周边常住人口分布。',
    days: 30,
    decision: {
      by: 'feng.xue',
      approved: false,
      reason: '格网人口明细不提供给招商选址使用；请使用村（社区）常住人口年度统计表（内部数据，可直接查看）。',
    },
  },
];

/** The origin recorded on the audit trail for the seed's steps. */
const SEED_ORIGIN: RequestOrigin = { ip: '', userAgent: 'yitu seed demo' };

/**
 * Plays the history through the sharing service, as the demo people (so that the notifications and
 * the audit events are those of the real flow). Skips a request whose people or dataset are
 * missing (a person removed by an administrator). Returns how many requests were made.
 */
export async function seedSharingHistory(services: Services): Promise<number> {
  const sharing = new SharingService(services.db, services.hub, services.guard, services.audit, new NotificationService(services.db));
  const names = [...new Set(DEMO_SHARE_REQUESTS.flatMap((r) => [r.requester, ...(r.decision ? [r.decision.by] : [])]))];
  const ids = new Map(
    (await services.db.query<{ id: string; username: string }>('SELECT id, username FROM yitu.users WHERE username = ANY($1::text[])', [names])).rows.map((u) => [u.username, u.id]),
  );
  const principal = async (username: string) => {
    const id = ids.get(username);
    return id ? services.guard.principalOf(id) : null;
  };
  let made = 0;
  for (const r of DEMO_SHARE_REQUESTS) {
    const requester = await principal(r.requester);
    const decider = r.decision ? await principal(r.decision.by) : null;
    const exists = await services.db.query('SELECT 1 FROM yitu.datasets WHERE id = $1', [r.datasetId]);
    if (!requester || (r.decision && !decider) || !exists.rows.length) continue;
    let req;
    try {
      req = await sharing.request(requester, r.datasetId, { purpose: r.purpose, days: r.days }, SEED_ORIGIN);
    } catch (e) {
      // Already readable, or already pending (seeded before): nothing to add.
      if (e instanceof YituError && e.code === 'YITU_ERR_CONFLICT') continue;
      throw e;
    }
    if (r.decision?.approved) await sharing.approve(decider!, req.id, { reason: r.decision.reason }, SEED_ORIGIN);
    else if (r.decision) await sharing.refuse(decider!, req.id, { reason: r.decision.reason }, SEED_ORIGIN);
    made++;
  }
  return made;
}
