import { describe, expect, it } from 'vitest';
import { discoveryProblems } from '../testing/home-assistant-keys.js';
import { boxTopics } from './fleet-topics.js';
import { discoveryMessage, musicSources } from './home-assistant.js';
import { choices } from './mqtt-services.js';

const box = { id: 'moodbox_home_lounge', name: 'Moodbox lounge', version: '1.2.3' };
const topics = boxTopics('home', 'lounge');

describe('Home Assistant discovery', () => {
  it('announces every entity of the box in one device message that follows the documented keys of each platform', () => {
    const { topic, payload } = discoveryMessage(box, topics, {
      prefix: 'homeassistant',
      policies: ['match', 'lift'],
      sources: ['local', 'spotify'],
      hasCardReader: true,
    });
    expect(topic).toBe('homeassistant/device/moodbox_home_lounge/config');
    expect(discoveryProblems(topic, payload)).toEqual([]);
    const components = payload['components'] as Record<string, { platform: string }>;
    expect(Object.fromEntries(Object.entries(components).map(([id, c]) => [id, c.platform]))).toEqual({
      mood: 'sensor',
      confidence: 'sensor',
      faces: 'sensor',
      now_playing: 'sensor',
      playing: 'binary_sensor',
      occupancy: 'binary_sensor',
      policy: 'select',
      source: 'select',
      volume: 'number',
      max_volume: 'number',
      skip: 'button',
      like: 'button',
      paused: 'switch',
      mood_hold: 'select',
      mood_hold_minutes: 'number',
      camera: 'switch',
      card: 'tag',
    });
    // Pause and hold a mood, as the admin panel does (issue 62): a hold is a mood or `off`, for 1 minute to a day.
    expect(components['paused']).toMatchObject({ command_topic: 'moodbox/home/lounge/set/paused', payload_on: 'ON', payload_off: 'OFF' });
    expect(components['mood_hold']).toMatchObject({
      command_topic: 'moodbox/home/lounge/set/mood_hold',
      options: ['off', 'angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral', 'contempt'],
    });
    expect(components['mood_hold_minutes']).toMatchObject({
      command_topic: 'moodbox/home/lounge/set/mood_hold_minutes',
      min: 1,
      max: 1440,
    });
    expect(payload['availability']).toEqual([
      { topic: 'moodbox/home/lounge/availability', payload_available: 'online', payload_not_available: 'offline' },
    ]);
    expect(components['card']).toEqual({ platform: 'tag', topic: 'moodbox/home/lounge/tag' });
  });

  it('leaves out the source select with one source, and the tag scanner without a card reader', () => {
    const { payload } = discoveryMessage(box, topics, {
      prefix: 'ha',
      policies: ['match', 'lift'],
      sources: undefined,
      hasCardReader: false,
    });
    const components = payload['components'] as Record<string, unknown>;
    expect(components['source']).toBeUndefined();
    expect(components['card']).toBeUndefined();
  });

  it('offers a choice of music source only where there is one: a home with a Spotify app', () => {
    const spotify = (clientId: string) => ({ clientId }) as Parameters<typeof musicSources>[0]['spotify'];
    expect(musicSources({ site: { kind: 'business', language: 'auto' }, spotify: spotify('app') })).toEqual(['local']);
    expect(musicSources({ site: { kind: 'home', language: 'auto' }, spotify: spotify('') })).toEqual(['local']);
    expect(musicSources({ site: { kind: 'home', language: 'auto' }, spotify: spotify('app') })).toEqual(['local', 'spotify', 'mixed']);
  });

  it('finds what breaks the documented schema', () => {
    const { topic, payload } = discoveryMessage(box, topics, { prefix: 'homeassistant', policies: [], hasCardReader: false });
    const broken = structuredClone(payload) as { components: Record<string, Record<string, unknown>>; origin: Record<string, unknown> };
    delete broken.components['volume']?.['command_topic'];
    broken.components['mood'] = { ...broken.components['mood'], brightness: 3 };
    delete broken.origin['name'];
    expect(discoveryProblems(topic, broken)).toEqual([
      'origin: required key `name` missing',
      'components.mood: undocumented key `brightness`',
      'components.policy: options must be a non-empty list',
      'components.volume: required key `command_topic` missing',
    ]);
  });

  it('takes the choices of a setting from the configuration schema', () => {
    expect(choices(['player', 'policy'])).toEqual(['match', 'lift']);
    expect(choices(['player', 'volume'])).toBeUndefined();
    expect(choices(['nothing', 'here'])).toBeUndefined();
  });
});
