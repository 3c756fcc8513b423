import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { LiveConfig } from '../../config/live-config.js';
import { SpotifyError } from '../../../player/spotify/spotify-error.js';
import { SPOTIFY_REFUSALS, spotifyUnavailableWhy } from '../http-refusals.js';
import type { SpotifyAccount } from '../../../player/spotify/spotify-account.js';
import { ErrorRef } from '../schemas/common.js';
import {
  SpotifyCallbackQuery,
  SpotifyCompleteBody,
  SpotifyConnectSchema,
  SpotifyDeviceBody,
  SpotifyDevicesSchema,
  SpotifyPlaylistBody,
  SpotifyPlaylistParams,
  SpotifyPlaylistsSchema,
  SpotifyStatusSchema,
} from '../schemas/spotify.js';
import { withAccess } from '../access.js';

export interface SpotifyRoutesOptions {
  /** The account, on a home box with a Spotify app configured; absent elsewhere. */
  spotify: SpotifyAccount | undefined;
  settings: LiveConfig;
}

/**
 * The admin panel's Spotify page: connect (PKCE; Spotify sends the browser back to the box's
 * callback, or the admin pastes the address it landed on), disconnect, the Connect device, and the
 * playlists mapped to moods. A business box answers why it cannot use Spotify.
 */
export const spotifyRoutes: FastifyPluginAsyncTypebox<SpotifyRoutesOptions> = async (app, deps) => {
  await app.register(spotifyCallbackRoutes, deps);
  await app.register(withAccess('admin', spotifyAdminRoutes), deps);
};

/** The box's Spotify account, or the refusal that says why it has none. */
function accountOf({ spotify, settings }: SpotifyRoutesOptions): SpotifyAccount {
  if (spotify === undefined) throw SPOTIFY_REFUSALS.unavailable(settings.current.site.kind === 'business');
  return spotify;
}

/** The Spotify page's calls, for admins. */
const spotifyAdminRoutes: FastifyPluginAsyncTypebox<SpotifyRoutesOptions> = async (app, deps) => {
  const { spotify, settings } = deps;
  const account = (): SpotifyAccount => accountOf(deps);
  const status = async () => {
    const source = settings.current.music.source;
    if (spotify === undefined) {
      return {
        isAvailable: false,
        why: spotifyUnavailableWhy(settings.current.site.kind === 'business'),
        source,
        isConnected: false,
        account: null,
        isPremium: null,
        device: null,
        problem: null,
        problemSince: null,
        recovered: null,
        boxName: null,
      };
    }
    return { isAvailable: true, why: null, source, ...(await spotify.status()) };
  };

  app.get(
    '/api/admin/spotify',
    {
      schema: {
        operationId: 'getSpotify',
        tags: ['admin'],
        summary: 'The Spotify account, its device and state',
        response: { 200: SpotifyStatusSchema },
      },
    },
    status,
  );

  app.post(
    '/api/admin/spotify/connect',
    {
      schema: {
        operationId: 'connectSpotify',
        tags: ['admin'],
        summary: "Begins a sign-in: Spotify's page to open",
        response: { 200: SpotifyConnectSchema, 409: ErrorRef },
      },
    },
    async () => account().begin(),
  );

  app.post(
    '/api/admin/spotify/complete',
    {
      schema: {
        operationId: 'completeSpotify',
        tags: ['admin'],
        summary: 'Finishes a sign-in with the address the browser landed on',
        body: SpotifyCompleteBody,
        response: { 200: SpotifyStatusSchema, 409: ErrorRef },
      },
    },
    async (request) => {
      let params: URLSearchParams;
      try {
        params = new URL(request.body.url).searchParams;
      } catch {
        throw SPOTIFY_REFUSALS.notTheCallback(request.body.url);
      }
      await account().complete({
        code: params.get('code') ?? undefined,
        state: params.get('state') ?? undefined,
        error: params.get('error') ?? undefined,
      });
      return status();
    },
  );

  app.post(
    '/api/admin/spotify/disconnect',
    {
      schema: {
        operationId: 'disconnectSpotify',
        tags: ['admin'],
        summary: "Forgets the account's tokens",
        response: { 200: SpotifyStatusSchema, 409: ErrorRef },
      },
    },
    async () => {
      account().disconnect();
      return status();
    },
  );

  app.get(
    '/api/admin/spotify/devices',
    {
      schema: {
        operationId: 'spotifyDevices',
        tags: ['admin'],
        summary: "The account's Connect devices",
        response: { 200: SpotifyDevicesSchema, 409: ErrorRef },
      },
    },
    async () => ({ devices: await account().devices() }),
  );

  app.put(
    '/api/admin/spotify/device',
    {
      schema: {
        operationId: 'chooseSpotifyDevice',
        tags: ['admin'],
        summary: 'Chooses the Connect device by name',
        body: SpotifyDeviceBody,
        response: { 200: SpotifyStatusSchema, 409: ErrorRef },
      },
    },
    async (request) => {
      account().chooseDevice(request.body.name);
      return status();
    },
  );

  app.get(
    '/api/admin/spotify/playlists',
    {
      schema: {
        operationId: 'spotifyPlaylists',
        tags: ['admin'],
        summary: "The account's playlists and their moods",
        response: { 200: SpotifyPlaylistsSchema, 409: ErrorRef },
      },
    },
    async () => ({ playlists: await account().playlists() }),
  );

  app.put(
    '/api/admin/spotify/playlists/:id',
    {
      schema: {
        operationId: 'mapSpotifyPlaylist',
        tags: ['admin'],
        summary: 'Maps a playlist to a mood, or unmaps it',
        params: SpotifyPlaylistParams,
        body: SpotifyPlaylistBody,
        response: { 200: SpotifyPlaylistBody, 409: ErrorRef },
      },
    },
    async (request) => {
      const moods = account().mapPlaylist(request.params.id, request.body.mood);
      return { mood: moods[request.params.id] ?? null };
    },
  );
};

/**
 * Spotify's redirect after the sign-in, for anyone: it carries no session (the state of a sign-in
 * begun by an admin is the proof).
 */
const spotifyCallbackRoutes: FastifyPluginAsyncTypebox<SpotifyRoutesOptions> = async (app, deps) => {
  // Spotify sends the browser here; the state of a sign-in begun by an admin is the proof.
  app.get(
    '/api/spotify/callback',
    {
      schema: {
        operationId: 'spotifyCallback',
        // Not an admin route: Spotify's redirect carries no session; the sign-in's state is the proof.
        tags: ['spotify'],
        summary: "Spotify's redirect after the sign-in",
        querystring: SpotifyCallbackQuery,
      },
    },
    async (request, reply) => {
      try {
        await accountOf(deps).complete(request.query);
      } catch (err) {
        if (!(err instanceof SpotifyError)) throw err;
        const message = err.message.startsWith('Spotify was not connected') ? err.message : `Spotify was not connected. ${err.message}`;
        return reply.status(400).type('text/html; charset=utf-8').send(notConnectedPage(message));
      }
      // The panel's own requests carry the SameSite=Strict admin cookie, whichever site the browser came from.
      return reply.redirect('/admin#spotify', 303);
    },
  );
};

/** What a failed sign-in lands on: why, and the way back to the panel to try again. */
function notConnectedPage(message: string): string {
  const text = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moodbox: Spotify</title></head><body><p>Moodbox: ${text}</p><p><a href="/admin#spotify">Back to the Spotify page of the admin panel</a></p></body></html>`;
}

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { spotify, settings } = app.moodbox;
  await app.register(spotifyRoutes, { spotify, settings });
}
