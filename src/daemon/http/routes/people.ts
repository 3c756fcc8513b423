import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { tryAgainIn, type AuthService } from '../../auth/auth-service.js';
import type { KioskPresence } from '../../auth/kiosk-presence.js';
import { WindowLimit, type WindowRule } from '../../auth/rate-limit.js';
import { AuthError, MoodboxError } from '../../kernel/errors.js';
import type { Clock } from '../../kernel/clock.js';
import type { Store, User } from '../../store/store.js';
import { audioView } from '../../../player/library/audio-view.js';
import { ErrorRef } from '../schemas/common.js';
import {
  AuditPageSchema,
  CaptureCardBody,
  CapturedCardSchema,
  CardIdParams,
  CardReaderSchema,
  CardSchema,
  CreateUserBody,
  DeleteUserQuery,
  ExportSchema,
  HistoryPageSchema,
  HistoryQuery,
  HistoryRemovedSchema,
  LinkCardBody,
  PageQuery,
  PlaysPageSchema,
  PreferencesBody,
  RegisterBody,
  SetPinBody,
  UpdateUserBody,
  UserIdParams,
  UserViewSchema,
} from '../schemas/people.js';

const admin = { access: 'admin' } as const;
const kiosk = { access: 'kiosk' } as const;

/**
 * Self-registration at the kiosk: at most this many tries per device (address) and in all per
 * hour, names refused or not, so that names cannot be probed faster than that.
 */
export const REGISTRATION_LIMITS: Readonly<Record<'perDevice' | 'overall', WindowRule>> = {
  perDevice: { limit: 10, windowMs: 3_600_000 },
  overall: { limit: 30, windowMs: 3_600_000 },
};

/** One answer for every name self-registration refuses (taken, too like another, invisible characters): it never says which. */
export const REGISTRATION_NAME_REFUSED = 'That name cannot be used. Choose another one, or ask a member of staff.';

const view = (u: User) => ({
  id: u.id,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  mustChangePin: u.mustChangePin,
  preferences: u.preferences,
  createdAt: u.createdAt,
});

export interface PeopleRoutesOptions {
  auth: AuthService;
  presence: KioskPresence;
  store: Store;
  clock: Clock;
  /** Whether people may create their own member account at the kiosk (`sessions.selfRegistration`, read live). */
  selfRegistration: () => boolean;
}

/** What the admin panel says when no card can be tapped, for each state of the reader. */
export function noReaderMessage(reader: KioskPresence['reader']): string {
  switch (reader.status) {
    case 'off':
      return 'Card reading is turned off in the settings, so no card can be tapped. Type the card’s ID instead.';
    case 'absent':
      return 'No card reader is plugged in. Plug one into the box, or type the card’s ID instead.';
    case 'faulted':
      return `The card reader is not working${reader.detail ? ` (${reader.detail})` : ''}. Type the card’s ID instead.`;
    case 'connected':
      return '';
    default:
      return reader.status satisfies never;
  }
}

/** Users, cards, history and the audit log for admins; a person's own history and data for the kiosk. */
export const peopleRoutes: FastifyPluginAsyncTypebox<PeopleRoutesOptions> = async (app, deps) => {
  const { auth, store, clock } = deps;
  const actor = (request: { principal: { user: User } | null }): string => `admin:${request.principal?.user.id ?? '?'}`;
  const mustFind = (id: number): User => {
    const user = store.users.get(id);
    if (user === undefined) throw new MoodboxError('MB_ERR_NOT_FOUND', `No user with id ${id}.`);
    return user;
  };
  const registrationsPerDevice = new WindowLimit({ clock }, REGISTRATION_LIMITS.perDevice);
  const registrations = new WindowLimit({ clock }, REGISTRATION_LIMITS.overall);
  const audit = (action: string, who: string, target: string, detail: Record<string, unknown> = {}): void =>
    store.audit.append({ at: clock.now(), actor: who, action, target, detail });

  const calibrationOf = (userId: number) => {
    const c = store.calibrations.get(userId);
    if (c === undefined) return null;
    const samples = c.samples.map((s) => ({
      expression: s.expression,
      logits: [...s.logits],
      ...(s.embedding === undefined ? {} : { embedding: [...s.embedding] }),
    }));
    return { modelSha256: c.modelSha256, samples, head: c.head, createdAt: c.createdAt, updatedAt: c.updatedAt };
  };
  const exportOf = (user: User) => {
    const plays = [];
    for (let offset = 0; ; offset += 1000) {
      const page = store.plays.list({ userId: user.id, limit: 1000, offset });
      plays.push(...page.items);
      if (plays.length >= page.total || page.items.length === 0) break;
    }
    // The tracks of those plays, with what the analysis heard in each.
    const trackIds = [...new Set(plays.flatMap((p) => (p.trackId === null ? [] : [p.trackId])))].sort((a, b) => a - b);
    const tracks = trackIds.flatMap((id) => {
      const t = store.tracks.get(id);
      return t === undefined
        ? []
        : [
            {
              id,
              title: t.title,
              artist: t.artist,
              album: t.album,
              moods: store.tracks.moods(id),
              audio: audioView(store.analyses.get(id)),
            },
          ];
    });
    return {
      user: view(user),
      cards: store.cards.forUser(user.id),
      plays,
      tracks,
      feedback: store.plays.feedbackFor(user.id, { limit: 100_000 }),
      taste: store.taste.get({ userId: user.id }) ?? null,
      calibration: calibrationOf(user.id),
    };
  };

  app.get(
    '/api/admin/users',
    {
      config: admin,
      schema: { operationId: 'listUsers', tags: ['admin'], summary: 'Every account', response: { 200: Type.Array(UserViewSchema) } },
    },
    async () => {
      // Last sign-ins from the audit log (its newest thousand), by name as it was written.
      const signedIn = new Map<string, number>();
      for (const entry of store.audit.list({ action: 'auth.sign-in', limit: 1000 }).items) {
        const key = entry.target.toLowerCase();
        signedIn.set(key, Math.max(signedIn.get(key) ?? 0, entry.at));
      }
      return store.users.list().map((u) => {
        const { failures, waitMs } = auth.signInStatus(u);
        const plays = store.plays.list({ userId: u.id, limit: 1 });
        const seen = Math.max(plays.items[0]?.startedAt ?? 0, signedIn.get(u.name.toLowerCase()) ?? 0);
        return {
          ...view(u),
          signIn: { failures, waitS: Math.ceil(waitMs / 1000) },
          activity: {
            hasPin: u.pinHash !== null,
            cards: store.cards.forUser(u.id).length,
            plays: plays.total,
            lastSeenAt: seen > 0 ? seen : null,
          },
        };
      });
    },
  );

  app.post(
    '/api/admin/users',
    {
      config: admin,
      schema: {
        operationId: 'createUser',
        tags: ['admin'],
        summary: 'Create an account',
        body: CreateUserBody,
        response: { 201: UserViewSchema, 400: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const user = await auth.createUser(
        { name: body.name, role: body.role, ...(body.pin === undefined ? {} : { secret: body.pin }) },
        actor(request),
      );
      return reply.status(201).send(view(user));
    },
  );

  app.patch(
    '/api/admin/users/:id',
    {
      config: admin,
      schema: {
        operationId: 'updateUser',
        tags: ['admin'],
        summary: 'Rename, change role, disable or set preferences',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserViewSchema, 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { body } = request;
      mustFind(id);
      const name = body.name === undefined ? undefined : auth.acceptNewName(body.name, id);
      if (id === request.principal?.user.id && (body.disabled === true || body.role === 'member')) {
        throw new MoodboxError('MB_ERR_CONFLICT', 'You cannot disable or demote your own account.');
      }
      const user = store.transaction(() => {
        const updated = store.users.update(id, { ...body, ...(name === undefined ? {} : { name }) });
        if (body.disabled === true) store.sessions.deleteForUser(id);
        return updated;
      });
      // Signed out at the kiosk at once, not at the next session check.
      if (body.disabled === true && deps.presence.user?.id === id) deps.presence.signOut('disabled');
      audit('user.update', actor(request), user.name, { fields: Object.keys(body) });
      return view(user);
    },
  );

  app.put(
    '/api/admin/users/:id/pin',
    {
      config: admin,
      schema: {
        operationId: 'setUserPin',
        tags: ['admin'],
        summary: 'Set a PIN or passphrase',
        params: UserIdParams,
        body: SetPinBody,
        response: { 204: Type.Null(), 400: ErrorRef, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      await auth.setSecret(mustFind(request.params.id).id, request.body.pin, actor(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/users/:id/unlock',
    {
      config: admin,
      schema: {
        operationId: 'unlockUser',
        tags: ['admin'],
        summary: "Clear the wrong PINs and passphrases counted against a person's account, so they can sign in at once",
        description: 'Audited as `auth.unlock`. The CLI does the same: `moodbox user unlock NAME`.',
        params: UserIdParams,
        response: { 204: Type.Null(), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      auth.unlock(mustFind(request.params.id), actor(request));
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/admin/users/:id',
    {
      config: admin,
      schema: {
        operationId: 'deleteUser',
        tags: ['admin'],
        summary: 'Delete an account; its history is anonymized or removed',
        params: UserIdParams,
        querystring: DeleteUserQuery,
        response: { 204: Type.Null(), 404: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { history } = request.query;
      const user = mustFind(id);
      if (id === request.principal?.user.id) throw new MoodboxError('MB_ERR_CONFLICT', 'You cannot delete your own account.');
      // Signed out at the kiosk first: nothing keeps acting for them (or reading them through their calibration).
      if (deps.presence.user?.id === id) deps.presence.signOut('deleted');
      store.users.delete(id, history);
      audit('user.delete', actor(request), user.name, { history });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/users/:id/cards',
    {
      config: admin,
      schema: {
        operationId: 'listUserCards',
        tags: ['admin'],
        summary: "A person's RFID cards",
        params: UserIdParams,
        response: { 200: Type.Array(CardSchema), 404: ErrorRef },
      },
    },
    async (request) => store.cards.forUser(mustFind(request.params.id).id),
  );

  app.post(
    '/api/admin/cards',
    {
      config: admin,
      schema: {
        operationId: 'linkCard',
        tags: ['admin'],
        summary: 'Link an RFID card to a person',
        body: LinkCardBody,
        response: { 201: CardSchema, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const { body } = request;
      const user = mustFind(body.userId);
      const card = store.cards.link({ cardId: body.cardId, userId: user.id, label: body.label ?? '' });
      audit('card.link', actor(request), user.name, { card: `…${body.cardId.slice(-4)}` });
      return reply.status(201).send(card);
    },
  );

  app.post(
    '/api/admin/cards/capture',
    {
      config: admin,
      schema: {
        operationId: 'captureCard',
        tags: ['admin'],
        summary: 'Wait for the next card tapped on the reader ("tap a card now") and return its ID without signing anyone in',
        description:
          'Answers 409 `MB_ERR_RFID_NO_READER` at once when no reader is plugged in (or card reading is off), or when the reader goes ' +
          'away during the wait; 409 `MB_ERR_CONFLICT` when the wait is cancelled (`DELETE /api/admin/cards/capture`); 408 after `timeoutS`.',
        body: CaptureCardBody,
        response: { 200: CapturedCardSchema, 408: ErrorRef, 409: ErrorRef },
      },
    },
    async (request, reply) => {
      const { timeoutS } = request.body;
      const { presence } = deps;
      const noReader = () =>
        reply.status(409).send({ error: { code: 'MB_ERR_RFID_NO_READER', message: noReaderMessage(presence.reader) } });
      if (presence.reader.status !== 'connected') return noReader();
      const startedAt = clock.now();
      const cardId = await presence.captureNextCard(timeoutS * 1000);
      if (cardId === undefined) {
        if (presence.reader.status !== 'connected') return noReader();
        if (clock.now() - startedAt < timeoutS * 1000)
          return reply.status(409).send({ error: { code: 'MB_ERR_CONFLICT', message: 'The wait for a card was cancelled.' } });
        return reply.status(408).send({ error: { code: 'MB_ERR_RFID_NO_CARD', message: `No card was tapped within ${timeoutS} s.` } });
      }
      return { cardId, linkedTo: store.cards.get(cardId)?.userId ?? null };
    },
  );

  app.delete(
    '/api/admin/cards/capture',
    {
      config: admin,
      schema: {
        operationId: 'cancelCardCapture',
        tags: ['admin'],
        summary: 'Stop waiting for a card: the next card tapped signs someone in as usual',
        response: { 204: Type.Null() },
      },
    },
    async (_request, reply) => {
      deps.presence.cancelCapture();
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/cards/reader',
    {
      config: admin,
      schema: {
        operationId: 'getCardReader',
        tags: ['admin'],
        summary: 'Whether a card reader is plugged in, so "tap a card now" can be offered or explained',
        response: { 200: CardReaderSchema },
      },
    },
    async () => {
      const { status, detail } = deps.presence.reader;
      return {
        status,
        detail: status === 'connected' ? detail : noReaderMessage(deps.presence.reader),
        capturing: deps.presence.isCapturing,
      };
    },
  );

  app.delete(
    '/api/admin/cards/:cardId',
    {
      config: admin,
      schema: {
        operationId: 'unlinkCard',
        tags: ['admin'],
        summary: 'Unlink an RFID card',
        params: CardIdParams,
        response: { 204: Type.Null(), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const { cardId } = request.params;
      if (!store.cards.unlink(cardId)) throw new MoodboxError('MB_ERR_NOT_FOUND', 'No such card.');
      audit('card.unlink', actor(request), '', { card: `…${cardId.slice(-4)}` });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/history',
    {
      config: admin,
      schema: {
        operationId: 'listHistory',
        tags: ['admin'],
        summary: 'Play history, newest first, with filters and paging; each play with its track’s title and artist and the person’s name',
        description: 'Answers 400 naming `from` when it is not before `to`.',
        querystring: HistoryQuery,
        response: { 200: HistoryPageSchema, 400: ErrorRef },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from !== undefined && to !== undefined && from >= to) {
        throw new MoodboxError(
          'MB_ERR_HTTP_BAD_REQUEST',
          `Expected \`from\` (${new Date(from).toISOString()}) to be before \`to\` (${new Date(to).toISOString()}).`,
        );
      }
      const page = store.plays.list(request.query);
      const tracks = new Map<number, { title: string; artist: string; uri: string } | undefined>();
      const names = new Map<number, string | undefined>();
      const items = page.items.map((p) => {
        if (p.trackId !== null && !tracks.has(p.trackId)) tracks.set(p.trackId, store.tracks.get(p.trackId));
        if (p.userId !== null && !names.has(p.userId)) names.set(p.userId, store.users.get(p.userId)?.name);
        const track = p.trackId === null ? undefined : tracks.get(p.trackId);
        return {
          ...p,
          // A file without a title tag is named by its file name rather than left blank.
          title: track === undefined ? null : track.title || (track.uri.split('/').pop() ?? track.uri),
          artist: track?.artist ?? null,
          userName: (p.userId === null ? undefined : names.get(p.userId)) ?? null,
        };
      });
      return { total: page.total, items };
    },
  );

  app.get(
    '/api/admin/audit',
    {
      config: admin,
      schema: {
        operationId: 'listAudit',
        tags: ['admin'],
        summary: 'Who did what, newest first',
        querystring: PageQuery,
        response: { 200: AuditPageSchema },
      },
    },
    async (request) => store.audit.list(request.query),
  );

  app.get(
    '/api/me/history',
    {
      config: kiosk,
      schema: {
        operationId: 'myHistory',
        tags: ['kiosk'],
        summary: 'What the signed-in person played',
        querystring: PageQuery,
        response: { 200: PlaysPageSchema },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      return store.plays.list({ userId: request.principal?.user.id ?? -1, limit, offset });
    },
  );

  app.get(
    '/api/me/export',
    {
      config: kiosk,
      schema: {
        operationId: 'exportMyData',
        tags: ['kiosk'],
        summary: 'Everything Moodbox keeps about the signed-in person, as JSON',
        response: { 200: ExportSchema },
      },
    },
    async (request, reply) => {
      // Personal data: no browser or proxy keeps a copy.
      void reply.header('cache-control', 'no-store');
      return exportOf(request.principal?.user ?? mustFind(-1));
    },
  );

  app.delete(
    '/api/me/history',
    {
      config: kiosk,
      schema: {
        operationId: 'deleteMyHistory',
        tags: ['kiosk'],
        summary: "Remove the signed-in person's history",
        response: { 200: HistoryRemovedSchema },
      },
    },
    async (request) => {
      const user = request.principal?.user ?? mustFind(-1);
      const removed = store.plays.removeForUser(user.id);
      audit('history.remove', `user:${user.id}`, user.name, { removed });
      return { removed };
    },
  );

  app.patch(
    '/api/me/preferences',
    {
      config: kiosk,
      schema: {
        operationId: 'setMyPreferences',
        tags: ['kiosk'],
        summary: "Set the signed-in person's languages, artists and moods to avoid",
        body: PreferencesBody,
        response: { 200: UserViewSchema },
      },
    },
    async (request) => {
      const user = request.principal?.user ?? mustFind(-1);
      const preferences = { ...user.preferences, ...request.body };
      return view(store.users.update(user.id, { preferences }));
    },
  );

  app.get(
    '/api/admin/users/:id/export',
    {
      config: admin,
      schema: {
        operationId: 'exportUserData',
        tags: ['admin'],
        summary: 'Everything Moodbox keeps about a person, as JSON',
        params: UserIdParams,
        response: { 200: ExportSchema, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      const user = mustFind(request.params.id);
      audit('user.export', actor(request), user.name);
      void reply.header('cache-control', 'no-store');
      return exportOf(user);
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        operationId: 'registerMember',
        tags: ['kiosk'],
        summary: 'Create your own member account at the kiosk, when the admin allows it',
        description:
          `At most ${REGISTRATION_LIMITS.perDevice.limit} tries per address and ${REGISTRATION_LIMITS.overall.limit} in all per hour ` +
          '(429 `MB_ERR_AUTH_THROTTLED` with Retry-After beyond). Every refused name answers the same 409, whether it is taken, ' +
          'too like another or holds invisible characters.',
        body: RegisterBody,
        response: { 201: UserViewSchema, 400: ErrorRef, 403: ErrorRef, 409: ErrorRef, 429: ErrorRef },
      },
    },
    async (request, reply) => {
      if (!deps.selfRegistration()) throw new MoodboxError('MB_ERR_HTTP_FORBIDDEN', 'Ask a member of staff to create your account.');
      const device = `ip:${request.ip}`;
      // Checked and counted in one synchronous step, before the slow hash: tries made at once count one by one.
      const waitMs = Math.max(registrationsPerDevice.retryAfterMs(device), registrations.retryAfterMs('all'));
      if (waitMs > 0) {
        throw new AuthError('MB_ERR_AUTH_THROTTLED', `Too many new accounts just now. ${tryAgainIn(waitMs)}`, { retryAfterMs: waitMs });
      }
      registrationsPerDevice.record(device);
      registrations.record('all');
      const { body } = request;
      let user: User;
      try {
        user = await auth.createUser({ name: body.name, role: 'member', secret: body.pin }, `self:${device}`);
      } catch (err) {
        if (err instanceof MoodboxError && (err.code === 'MB_ERR_CONFLICT' || err.code === 'MB_ERR_HTTP_BAD_REQUEST')) {
          throw new MoodboxError('MB_ERR_CONFLICT', REGISTRATION_NAME_REFUSED);
        }
        throw err;
      }
      return reply.status(201).send(view(user));
    },
  );
};
