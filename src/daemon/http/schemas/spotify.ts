import { Type } from 'typebox';

export const SpotifyStatusSchema = Type.Object({
  isAvailable: Type.Boolean({ description: 'Whether this box may use Spotify (a home with a Spotify app configured).' }),
  why: Type.Union([Type.String(), Type.Null()], { description: 'Why Spotify is not available here, or null.' }),
  source: Type.String({ description: 'The `music.source` in force.' }),
  isConnected: Type.Boolean(),
  account: Type.Union([Type.String(), Type.Null()]),
  isPremium: Type.Union([Type.Boolean(), Type.Null()], { description: 'Premium is needed to control playback; null while unknown.' }),
  device: Type.Union([Type.String(), Type.Null()], { description: 'The Connect device chosen by name, or null.' }),
  problem: Type.Union([Type.String(), Type.Null()], { description: 'Why Spotify cannot play now, or null.' }),
  problemSince: Type.Union([Type.Number(), Type.Null()], { description: 'Epoch ms the problem began (the library plays since), or null.' }),
  recovered: Type.Union([Type.Object({ at: Type.Number(), problem: Type.String() }), Type.Null()], {
    description: 'The last problem that ended, and when Spotify played again (epoch ms), or null.',
  }),
  boxName: Type.Union([Type.String(), Type.Null()], {
    description: 'The device preferred when none is chosen: the one named after the box (a Connect receiver on the box).',
  }),
});

export const SpotifyConnectSchema = Type.Object({ url: Type.String({ description: "Spotify's sign-in page to open." }) });

export const SpotifyCompleteBody = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 4096, description: 'The address the browser landed on after the sign-in.' }),
});

export const SpotifyCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 2048 })),
  state: Type.Optional(Type.String({ maxLength: 256 })),
  error: Type.Optional(Type.String({ maxLength: 256 })),
});

export const SpotifyDevicesSchema = Type.Object({
  devices: Type.Array(
    Type.Object({
      id: Type.Union([Type.String(), Type.Null()]),
      name: Type.String(),
      type: Type.String(),
      isActive: Type.Boolean(),
      isRestricted: Type.Boolean(),
      isChosen: Type.Boolean({ description: 'The device music plays on.' }),
    }),
  ),
});

export const SpotifyDeviceBody = Type.Object({
  name: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { description: 'The device name; null forgets it.' }),
});

export const SpotifyPlaylistsSchema = Type.Object({
  playlists: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      owner: Type.String(),
      tracks: Type.Integer(),
      coverUrl: Type.Union([Type.String(), Type.Null()]),
      mood: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const SpotifyPlaylistParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9]+$' }) });

export const SpotifyPlaylistBody = Type.Object({
  mood: Type.Union([Type.String({ pattern: '^[a-z][a-z0-9-]{0,31}$' }), Type.Null()], { description: 'The mood; null unmaps it.' }),
});
