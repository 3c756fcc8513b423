import { describe, expect, it } from 'vitest';
import { BoxControls, type BoxCommands } from './box-controls.js';
import { holdMinutesInMemory, homeAssistantCommand } from './home-assistant-commands.js';

/** Box controls that record what reached the music and the settings. */
function recordingControls() {
  const calls: Array<[string, unknown]> = [];
  const unused = async (): Promise<void> => {};
  const commands: BoxCommands = {
    music: {
      setVolume: async (volume) => {
        calls.push(['volume', volume]);
        return volume;
      },
      skip: unused,
      likePlaying: unused,
      pause: unused,
      resume: unused,
      holdMood: unused,
      releaseMood: unused,
    },
    settings: {
      patchAs: (_actor, patch) => {
        calls.push(['settings', patch]);
        return { changed: [] };
      },
    },
    rescan: () => undefined,
    restart: () => undefined,
  };
  return { calls, deps: { controls: new BoxControls(commands), holdMinutes: holdMinutesInMemory() } };
}

describe('Home Assistant volume payloads', () => {
  it('carries out a whole number 0–100 written as Home Assistant writes it', async () => {
    const { calls, deps } = recordingControls();
    for (const payload of ['0', '7', '50', '100']) await homeAssistantCommand('volume', payload, deps);
    await homeAssistantCommand('max_volume', '90', deps);
    expect(calls).toEqual([
      ['volume', 0],
      ['volume', 7],
      ['volume', 50],
      ['volume', 100],
      ['settings', { player: { maxVolume: 90 } }],
    ]);
  });

  // Issue 80: ` 50`, `50.0` and `045` were taken for 50 and 45, though the docs read payloads strictly.
  it('refuses any other way of writing a number, and one out of range, changing nothing', async () => {
    const { calls, deps } = recordingControls();
    const loose = [' 50', '50 ', '50.0', '45.5', '045', '00', '-0', '+5', '5e1', '0x14', '', '101', '1000', '٥٠'];
    for (const entity of ['volume', 'max_volume']) {
      for (const payload of loose) {
        const outcome = await homeAssistantCommand(entity, payload, deps).then(
          () => 'carried out',
          (err: unknown) => (err instanceof Error ? err.message : String(err)),
        );
        expect(outcome, `${entity} ${JSON.stringify(payload)}`).toMatch(/^Expected a whole number 0–100/);
      }
    }
    expect(calls).toEqual([]);
  });
});
