import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { checkConfig, loadConfig } from './load-config.js';

// Day plans in the configuration (issue 40): each block valid alone, none overlapping another, and
// every refusal naming the field at fault, as the settings form shows it beside that field.

const plan = (name: string, from: string, to: string, more: Record<string, unknown> = {}) => ({ name, from, to, ...more });
const plans = (...blocks: Array<Record<string, unknown>>) => ({ player: { dayPlans: blocks } });

describe('day plans in the configuration', () => {
  it('has none by default, and fills in no lean and no caps for a block that names only its hours', () => {
    expect(loadConfig({ env: {} }).config.player.dayPlans).toEqual([]);
    const { config } = loadConfig({ env: {}, overlay: plans(plan('lunch', '11:30', '14:00')) });
    expect(config.player.dayPlans).toEqual([{ name: 'lunch', from: '11:30', to: '14:00', mood: '', energyCap: 100, volumeCap: 100 }]);
  });

  it('takes blocks that meet end to start, and one that spans midnight beside them', () => {
    const day = plans(
      plan('morning', '07:00', '11:30', { mood: 'calm', energyCap: 50 }),
      plan('lunch', '11:30', '14:00', { mood: 'upbeat', volumeCap: 80 }),
      plan('evening', '18:00', '23:00', { mood: 'mellow' }),
      plan('night', '23:00', '07:00', { mood: 'calm', volumeCap: 30 }),
    );
    expect(checkConfig(day)).toEqual([]);
  });

  it('refuses a block that starts inside another, naming its `from`', () => {
    expect(checkConfig(plans(plan('morning', '07:00', '12:00'), plan('lunch', '11:30', '14:00')))).toEqual([
      'player.dayPlans.1.from: “lunch” (11:30–14:00) overlaps “morning” (07:00–12:00): day plans may not overlap; let one end where the next begins',
    ]);
  });

  it('refuses a block that runs into a later one, naming its `to`', () => {
    const problems = checkConfig(plans(plan('lunch', '11:30', '14:00'), plan('morning', '07:00', '12:00')));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^player\.dayPlans\.1\.to: “morning” \(07:00–12:00\) overlaps “lunch” \(11:30–14:00\)/);
  });

  it('sees an overlap across midnight, and a block around the clock (from equal to to) overlapping any other', () => {
    expect(checkConfig(plans(plan('night', '22:00', '06:00'), plan('early', '05:00', '08:00')))[0]).toMatch(
      /^player\.dayPlans\.1\.from: “early” \(05:00–08:00\) overlaps “night” \(22:00–06:00\)/,
    );
    expect(checkConfig(plans(plan('late', '23:30', '01:00'), plan('night', '22:00', '23:45')))[0]).toMatch(/^player\.dayPlans\.1\.to:/);
    expect(checkConfig(plans(plan('all day', '09:00', '09:00'), plan('lunch', '12:00', '13:00')))[0]).toMatch(
      /^player\.dayPlans\.1\.from:/,
    );
  });

  it('refuses two blocks of one name, naming the second one’s `name`', () => {
    expect(checkConfig(plans(plan('Lunch', '11:00', '12:00'), plan('lunch', '12:00', '13:00')))).toEqual([
      'player.dayPlans.1.name: another day plan (1) is already called “lunch”: give each its own name',
    ]);
  });

  it('names the field of a block wrong by itself: a time, a mood, a cap, an unknown key', () => {
    const problems = checkConfig(
      plans(plan('lunch', '25:00', '14:00', { mood: 'Lively!', energyCap: 120 }), plan('', '10:00', '11:00', { volumCap: 3 })),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^player\.dayPlans\.0\.from: must match pattern/),
        expect.stringMatching(/^player\.dayPlans\.0\.mood: must match pattern/),
        expect.stringMatching(/^player\.dayPlans\.0\.energyCap: must be <= 100/),
        expect.stringMatching(/^player\.dayPlans\.1\.name: must NOT have fewer than 1 characters/),
        expect.stringMatching(/^player\.dayPlans\.1\.volumCap: unknown key \(did you mean `volumeCap`\?\)/),
      ]),
    );
  });

  it('refuses a name with a bidirectional override, an isolate, NUL or another control, as a person’s name is (issue 59)', () => {
    for (const [name, shown] of [
      ['lunch\u202E', 'U+202E at character 6'],
      ['\u202Alunch', 'U+202A at character 1'],
      ['lu\u2066nch', 'U+2066 at character 3'],
      ['lunch\u2069', 'U+2069 at character 6'],
      ['lunch\u0000', 'U+0000 at character 6'],
      ['lu\u0007nch', 'U+0007 at character 3'],
    ] as const) {
      expect(checkConfig(plans(plan(name, '11:30', '14:00')))).toEqual([
        `player.dayPlans.0.name: Expected a day plan’s name without invisible, control or direction-changing characters, got ${shown}`,
      ]);
    }
    expect(checkConfig(plans(plan('déjeuner ☕', '11:30', '14:00')))).toEqual([]);
  });

  it('stops the start on overlapping blocks in the file, as on any other mistake', () => {
    expect(() => loadConfig({ env: {}, overlay: plans(plan('a', '10:00', '12:00'), plan('b', '11:00', '13:00')) })).toThrow(ConfigError);
  });
});
