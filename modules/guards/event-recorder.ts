import type { Knex } from 'knex';
import type { EvaluationContext } from '../../core/constraints';
import { unitOf } from '../../core/guard-arms';
import type { Logger } from '../platform/logger';
import { FlushLoop } from './flush-loop';

/** A guarded plan's stage that reads an event name, as the evaluation snapshot lists it. */
export interface TrackTarget {
  readonly tenantId: string;
  readonly planId: string;
  readonly stage: number;
  readonly stickiness: string;
  /** `<planId>:<stage>`, made once per snapshot: the hot path's lookups reuse its hash. */
  readonly key: string;
}

export const trackTargetKey = (planId: string, stage: number): string => `${planId}:${stage}`;

interface Cell {
  events: number;
  valueCount: number;
  valueSum: number;
}

/** A plan stage's waiting cells, by event name and unit. */
interface Group {
  target: TrackTarget;
  byEvent: Map<string, Map<string, Cell>>;
}

interface Row {
  target: TrackTarget;
  event: string;
  unit: string;
  cell: Cell;
}

export type TrackOutcome = 'attributed' | 'unattributed' | 'dropped';

export interface EventRecorderOptions {
  db: Knex;
  logger: Logger;
  flushEveryMs: number;
  /** Rows per upsert, and the number of cells that starts a write before the timer does. */
  batchSize?: number;
  /** Distinct (plan, stage, event, unit) cells waiting at most; past it, events for new cells are dropped and counted. */
  maxCells?: number;
}

const MAX_INT = 2_147_483_647;

/**
 * Tracking events, attributed and summed in memory per plan, stage, event name and unit, then
 * added to `plan_unit_events` in batched upserts (every `flushEveryMs`, or as soon as a batch
 * is full), so a unit repeating an event costs one row however often it sends it. Bounded like
 * the exposures: past `maxCells` waiting, events for new cells are dropped and counted.
 */
export class EventRecorder {
  /**
   * Cumulative, for /metrics: events received by what became of them (attributed to at least one plan, to none, or
   * dropped because the buffer was full); events of cells lost after a failed write count as dropped too.
   */
  readonly stats: Record<TrackOutcome, number> = { attributed: 0, unattributed: 0, dropped: 0 };
  // nested by plan stage, event and unit rather than one joined key: the event name and unit strings come from the
  // parsed body and are shared by every plan an event counts for, so each is hashed once
  private groups = new Map<string, Group>();
  private cells = 0;
  private readonly loop: FlushLoop;
  private readonly batchSize: number;
  private readonly maxCells: number;

  constructor(private readonly d: EventRecorderOptions) {
    this.batchSize = d.batchSize ?? 1000;
    this.maxCells = d.maxCells ?? 50_000;
    this.loop = new FlushLoop({
      what: 'tracking events',
      everyMs: d.flushEveryMs,
      logger: d.logger,
      drain: () => this.drain(),
    });
  }

  /**
   * One event, for each target (the guarded plans reading its name) to the unit its context is
   * for the target's stickiness. Never throws, never waits.
   */
  add(
    targets: readonly TrackTarget[] | undefined,
    event: string,
    context: EvaluationContext,
    value: number | undefined,
  ): TrackOutcome {
    let stored = false;
    let dropped = false;
    if (targets !== undefined) {
      for (let i = 0; i < targets.length; i++) {
        const target = targets[i];
        const unit = unitOf(context, target.stickiness);
        if (unit === undefined) continue;
        const cell = this.cellOf(target, event, unit);
        if (!cell) {
          dropped = true;
          continue;
        }
        cell.events++;
        if (value !== undefined) {
          cell.valueCount++;
          cell.valueSum += value;
        }
        stored = true;
      }
    }
    const outcome: TrackOutcome = stored ? 'attributed' : dropped ? 'dropped' : 'unattributed';
    this.stats[outcome]++;
    if (this.cells >= this.batchSize) this.loop.soon();
    return outcome;
  }

  /** Cells waiting to be written. */
  get backlog(): number {
    return this.cells;
  }

  /** Writes every waiting cell (after a write in flight); resolves with the rows upserted. */
  flush(): Promise<number> {
    return this.loop.flush();
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** The cell to add to, made if there is room; undefined when the buffer is full. */
  private cellOf(target: TrackTarget, event: string, unit: string): Cell | undefined {
    let group = this.groups.get(target.key);
    if (!group) {
      group = { target, byEvent: new Map() };
      this.groups.set(target.key, group);
    }
    let units = group.byEvent.get(event);
    if (!units) {
      units = new Map();
      group.byEvent.set(event, units);
    }
    let cell = units.get(unit);
    if (!cell) {
      if (this.cells >= this.maxCells) return undefined;
      cell = { events: 0, valueCount: 0, valueSum: 0 };
      units.set(unit, cell);
      this.cells++;
    }
    return cell;
  }

  private async drain(): Promise<number> {
    const taken: Row[] = [];
    for (const { target, byEvent } of this.groups.values())
      for (const [event, units] of byEvent) for (const [unit, cell] of units) taken.push({ target, event, unit, cell });
    this.groups = new Map();
    this.cells = 0;
    let written = 0;
    for (let i = 0; i < taken.length; i += this.batchSize) {
      const batch = taken.slice(i, i + this.batchSize);
      try {
        await this.upsert(batch);
      } catch (err) {
        this.restore(taken.slice(i));
        throw err;
      }
      written += batch.length;
    }
    return written;
  }

  /** Rows not written go back, merged with what arrived meanwhile; new ones that no longer fit are dropped and counted. */
  private restore(rows: Row[]): void {
    for (const { target, event, unit, cell } of rows) {
      const into = this.cellOf(target, event, unit);
      if (into) {
        into.events += cell.events;
        into.valueCount += cell.valueCount;
        into.valueSum += cell.valueSum;
      } else {
        this.stats.dropped += cell.events;
      }
    }
  }

  private async upsert(batch: Row[]): Promise<void> {
    const rows = batch.map(({ target, event, unit, cell }) => ({
      plan_id: target.planId,
      stage: target.stage,
      event,
      unit,
      tenant_id: target.tenantId,
      events: Math.min(cell.events, MAX_INT),
      value_count: Math.min(cell.valueCount, MAX_INT),
      value_sum: cell.valueSum,
    }));
    // counts saturate instead of overflowing: a unit flooding one event must not make every later batch fail
    await this.d.db.raw(
      `insert into plan_unit_events (plan_id, stage, event, unit, tenant_id, events, value_count, value_sum)
       select v.plan_id, v.stage, v.event, v.unit, v.tenant_id, v.events, v.value_count, v.value_sum
       from jsonb_to_recordset(?::jsonb) as v(plan_id uuid, stage int, event text, unit text, tenant_id uuid, events int, value_count int, value_sum float8)
       join rollout_plans p on p.id = v.plan_id and p.tenant_id = v.tenant_id
       on conflict (plan_id, stage, event, unit) do update set
         events = least(plan_unit_events.events::bigint + excluded.events, ${MAX_INT}),
         value_count = least(plan_unit_events.value_count::bigint + excluded.value_count, ${MAX_INT}),
         value_sum = plan_unit_events.value_sum + excluded.value_sum`,
      [JSON.stringify(rows)],
    );
  }
}
