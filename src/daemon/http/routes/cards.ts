import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { KioskPresence } from '../../people/kiosk-presence.js';
import type { PeopleService } from '../../people/people-service.js';
import type { Clock } from '../../../kernel/clock.js';
import type { StoreReads } from '../../store/store-reads.js';
import { ErrorRef } from '../schemas/common.js';
import {
  CaptureCardBody,
  CapturedCardSchema,
  CardIdParams,
  CardReaderSchema,
  CardSchema,
  LinkCardBody,
  UserIdParams,
} from '../schemas/people.js';
import { withAccess } from '../access.js';

export interface CardsRoutesOptions {
  /** The people and their cards: linking and unlinking are theirs, audited with the admin as the actor. */
  people: Pick<PeopleService, 'get' | 'linkCard' | 'unlinkCard'>;
  presence: KioskPresence;
  store: Pick<StoreReads, 'cards'>;
  clock: Clock;
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

/** RFID cards for admins: a person's cards, linking and unlinking, "tap a card now" and the reader's state. */
export const cardsRoutes: FastifyPluginAsyncTypebox<CardsRoutesOptions> = async (app, deps) => {
  const { people, store, clock } = deps;

  app.get(
    '/api/admin/users/:id/cards',
    {
      schema: {
        operationId: 'listUserCards',
        tags: ['admin'],
        summary: "A person's RFID cards",
        params: UserIdParams,
        response: { 200: Type.Array(CardSchema), 404: ErrorRef },
      },
    },
    async (request) => store.cards.forUser(people.get(request.params.id).id),
  );

  app.post(
    '/api/admin/cards',
    {
      schema: {
        operationId: 'linkCard',
        tags: ['admin'],
        summary: 'Link an RFID card to a person',
        body: LinkCardBody,
        response: { 201: CardSchema, 404: ErrorRef },
      },
    },
    async (request, reply) => {
      return reply.status(201).send(people.linkCard(request.body, request.adminActor));
    },
  );

  app.post(
    '/api/admin/cards/capture',
    {
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
      schema: {
        operationId: 'unlinkCard',
        tags: ['admin'],
        summary: 'Unlink an RFID card',
        params: CardIdParams,
        response: { 204: Type.Null(), 404: ErrorRef },
      },
    },
    async (request, reply) => {
      people.unlinkCard(request.params.cardId, request.adminActor);
      return reply.status(204).send(null);
    },
  );
};

/** Loaded with the other route modules by folder (`build-server.ts`), with what it needs of the box (`app.moodbox`). */
export default async function load(app: FastifyInstance): Promise<void> {
  const { people, presence, store, clock } = app.moodbox;
  await app.register(withAccess('admin', cardsRoutes), { people, presence, store, clock });
}
