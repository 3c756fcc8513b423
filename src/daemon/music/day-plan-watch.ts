import type { Clock, Timer } from '../../kernel/clock.js';
import type { Log } from '../../kernel/log.js';
import type { MoodboxBus } from '../events.js';
import { activePlanAt, nextPlanChangeAt, type DayPlan } from './day-plan-policy.js';

export interface DayPlanWatchDeps {
  clock: Pick<Clock, 'now' | 'setTimeout'>;
  log: Log;
  bus: Pick<MoodboxBus, 'emit'>;
  /** The blocks of the day now (`player.dayPlans`; they may change while running). */
  plans: () => readonly DayPlan[];
}

/**
 * Which day plan is in force, by the clock: the one owner of it. Looks again when a block begins or
 * ends (a timer set for that minute) and whenever asked (`check`: the settings changed, the
 * schedule's regular look); announces `dayPlanChanged` when the block in force changes, and at start,
 * for the screens, and tells its owner (`changed`, given at the start) directly.
 */
export class DayPlanWatch {
  readonly #deps: DayPlanWatchDeps;
  #current: DayPlan | null = null;
  #timer: Timer | undefined;
  #changed: ((plan: DayPlan | null) => void) | undefined;

  constructor(deps: DayPlanWatchDeps) {
    this.#deps = deps;
  }

  /** The block in force now, or null. */
  get current(): DayPlan | null {
    return this.#current;
  }

  /**
   * Reads the block in force and announces it (the screens start from it); looks again when it ends.
   * `changed` is told when the block in force changes after the start (the music follows it), once
   * the change is announced.
   */
  start(changed?: (plan: DayPlan | null) => void): void {
    this.#changed = changed;
    this.#current = activePlanAt(this.#deps.plans(), this.#deps.clock.now());
    this.#deps.bus.emit('dayPlanChanged', { plan: this.#current });
    this.#arm();
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  /** Looks again (the blocks may have been edited, the clock moved): a different block is announced. */
  check(): void {
    const next = activePlanAt(this.#deps.plans(), this.#deps.clock.now());
    this.#arm();
    if (JSON.stringify(next) === JSON.stringify(this.#current)) return;
    this.#current = next;
    this.#deps.log.info({ plan: next?.name ?? null }, 'day plan changed');
    this.#deps.bus.emit('dayPlanChanged', { plan: next });
    this.#changed?.(next);
  }

  #arm(): void {
    this.#timer?.cancel();
    const now = this.#deps.clock.now();
    const at = nextPlanChangeAt(this.#deps.plans(), now);
    this.#timer = at === undefined ? undefined : this.#deps.clock.setTimeout(() => this.check(), at - now);
  }
}
