import type { Stage } from '../../core/rollout-plan';

export interface RolloutTemplate {
  id: string;
  name: string;
  stages: Stage[];
}

const HOUR = 3600;
const stagesOf = (percents: number[], holdSeconds: number, approvalBefore?: number): Stage[] =>
  percents.map((percent, i) => ({
    percent,
    holdSeconds: i === percents.length - 1 ? 0 : holdSeconds,
    requiresApproval: approvalBefore !== undefined && percents[i + 1] === approvalBefore,
  }));

/** Ready-made stage lists; a plan copies one and may change any stage before it starts. */
export const ROLLOUT_TEMPLATES: RolloutTemplate[] = [
  { id: '5-25-100', name: '5% → 25% → 100%, one hour per stage', stages: stagesOf([5, 25, 100], HOUR) },
  {
    id: '1-10-50-100',
    name: '1% → 10% → 50% → 100%, one hour per stage, approval before 100%',
    stages: stagesOf([1, 10, 50, 100], HOUR, 100),
  },
  { id: '5-25-100-demo', name: '5% → 25% → 100%, 30 seconds per stage (demo)', stages: stagesOf([5, 25, 100], 30) },
];
