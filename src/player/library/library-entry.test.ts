import { describe, expect, it } from 'vitest';
import { entryProblem } from './library-entry.js';

describe('entryProblem', () => {
  it('passes a song by its absolute path, a station as the library writes its address, and a Spotify track', () => {
    expect(entryProblem({ source: 'local', uri: '/srv/music/Ann/Lake.flac' })).toBeUndefined();
    expect(entryProblem({ source: 'stream', uri: 'https://radio.example/live.mp3' })).toBeUndefined();
    expect(entryProblem({ source: 'stream', uri: 'http://radio.example:8000/stream?x=1' })).toBeUndefined();
    expect(entryProblem({ source: 'spotify', uri: 'spotify:track:4uLU6hMCjMI75M1A2tKUQC' })).toBeUndefined();
  });

  // Issue 80: rows written straight into the database reached the player as something else.
  it('names what is wrong with any other entry', () => {
    expect(entryProblem({ source: 'local', uri: 'gopher://radio.example/1' })).toMatch(/absolute path/);
    expect(entryProblem({ source: 'local', uri: 'music/a.flac' })).toMatch(/absolute path/);
    expect(entryProblem({ source: 'stream', uri: 'HTTP://radio.example/live.mp3' })).toMatch(/in lower case/);
    expect(entryProblem({ source: 'stream', uri: 'gopher://radio.example/1' })).toMatch(/http or https URL, got `gopher`/);
    expect(entryProblem({ source: 'stream', uri: '/etc/passwd' })).toMatch(/not a URL/);
    expect(entryProblem({ source: 'stream', uri: 'https://me:pw@radio.example/' })).toMatch(/without a user name or password/);
    expect(entryProblem({ source: 'spotify', uri: 'spotify:playlist:party' })).toMatch(/spotify:track/);
    expect(entryProblem({ source: 'tape', uri: '/music/a.flac' })).toMatch(/no source/);
  });
});
