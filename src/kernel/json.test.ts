import { describe, expect, it } from 'vitest';
import { JsonTextError, parseJson } from './json.js';

describe('parseJson, the one door for outside JSON', () => {
  it('reads JSON as JSON.parse does, from a string or its bytes', () => {
    const text = '{"player":{"maxVolume":55,"mpvArgs":["--x"]},"constructor":"a name","é":[1,null,true]}';
    expect(parseJson(text)).toEqual(JSON.parse(text));
    expect(parseJson(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  it('refuses an own __proto__ key at any depth, where JSON.parse would let it set a prototype later', () => {
    for (const text of [
      '{"__proto__":{"player":{"mpvPath":"/tmp/script"}}}',
      '{"config":{"overrides":{"__proto__":{"dataDir":"/tmp"}}}}',
      '[{"a":1},{"\\u005f\\u005fproto__":{"x":1}}]',
    ]) {
      expect(() => parseJson(text), text).toThrow(JsonTextError);
      expect(() => parseJson(text), text).toThrow(/reaches a prototype/);
      // What the door stops: the same text parsed and merged by plain assignment reaches the prototype.
      const plain = JSON.parse(text) as object;
      expect(JSON.stringify(plain)).toContain('proto');
    }
    expect(Object.prototype).not.toHaveProperty('player');
  });

  it('refuses a constructor holding a prototype, and says what is wrong with text that is not JSON', () => {
    expect(() => parseJson('{"constructor":{"prototype":{"polluted":true}}}')).toThrow(/reaches a prototype/);
    expect(() => parseJson('{"broken":')).toThrow(JsonTextError);
    expect(() => parseJson('{"broken":')).toThrow(/JSON/);
  });
});
