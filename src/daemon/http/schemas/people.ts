import { Type } from 'typebox';
import { pageOf, PersonName } from './common.js';

/** What an account may do: `admin`, everything; `staff`, the music's controls and a shift's part of the panel; `member`, the kiosk. */
export const RoleSchema = Type.Enum(['admin', 'staff', 'member'], {
  description:
    "`admin`: everything. `staff`: the music's controls, the queue, blocks, guests' requests and the history in the panel, and the kiosk. `member`: the kiosk.",
});

export const UserViewSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  mustChangePin: Type.Boolean(),
  preferences: Type.Object({
    languages: Type.Optional(Type.Array(Type.String())),
    artists: Type.Optional(Type.Array(Type.String())),
    avoidMoods: Type.Optional(Type.Array(Type.String())),
  }),
  createdAt: Type.Integer(),
  signIn: Type.Optional(
    Type.Object(
      {
        failures: Type.Integer({ minimum: 0, description: 'Wrong PINs and passphrases counted against the account, not yet forgotten.' }),
        waitS: Type.Integer({ minimum: 0, description: 'Seconds before the next sign-in try may be made; 0: now.' }),
      },
      {
        description:
          'In the list of accounts only: how much sign-in to the account is being slowed (`POST /api/admin/users/{id}/unlock` clears it).',
      },
    ),
  ),
  activity: Type.Optional(
    Type.Object(
      {
        hasPin: Type.Boolean({ description: 'A PIN or passphrase is set: the person can sign in by name.' }),
        cards: Type.Integer({ minimum: 0, description: 'RFID cards linked to the person.' }),
        plays: Type.Integer({ minimum: 0, description: 'Plays in the history under their name.' }),
        lastSeenAt: Type.Union([Type.Integer(), Type.Null()], {
          description: 'Epoch ms of their last sign-in or play, whichever is later; null when never.',
        }),
      },
      { description: 'In the list of accounts only: how the person can sign in, and how much they use Moodbox.' },
    ),
  ),
});

export const CreateUserBody = Type.Object(
  {
    name: PersonName,
    role: RoleSchema,
    pin: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Members and staff: 4–8 digits. Admins: a passphrase of 10+ characters.' }),
    ),
  },
  { additionalProperties: false },
);

export const PreferencesBody = Type.Object(
  {
    languages: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20, description: 'ISO 639 codes, e.g. `fr`.' })),
    artists: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
    avoidMoods: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    role: Type.Optional(RoleSchema),
    disabled: Type.Optional(Type.Boolean()),
    preferences: Type.Optional(PreferencesBody),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SetPinBody = Type.Object({ pin: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });

export const UserIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const DeleteUserQuery = Type.Object({
  history: Type.Enum(['anonymize', 'remove'], { default: 'anonymize', description: 'Keep their plays without the name, or remove them.' }),
});

export const CardSchema = Type.Object({ cardId: Type.String(), userId: Type.Integer(), label: Type.String(), createdAt: Type.Integer() });

export const LinkCardBody = Type.Object(
  {
    cardId: Type.String({ minLength: 4, maxLength: 32, pattern: '^[0-9A-Za-z]+$' }),
    userId: Type.Integer({ minimum: 1 }),
    label: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const CaptureCardBody = Type.Object(
  { timeoutS: Type.Integer({ minimum: 1, maximum: 60, default: 20 }) },
  { additionalProperties: false },
);

export const CapturedCardSchema = Type.Object({ cardId: Type.String(), linkedTo: Type.Union([Type.Integer(), Type.Null()]) });

export const CardReaderSchema = Type.Object({
  status: Type.Enum(['connected', 'absent', 'faulted', 'off'], {
    description:
      '`connected`: a reader is plugged in and open; `absent`: none is plugged in; `faulted`: it failed (retrying); `off`: card reading is turned off in the configuration.',
  }),
  detail: Type.Union([Type.String(), Type.Null()]),
  capturing: Type.Boolean({ description: 'An admin is waiting for the next card ("tap a card now").' }),
});

export const CardIdParams = Type.Object({ cardId: Type.String({ minLength: 1, maxLength: 32 }) });

export const PlaySchema = Type.Object({
  id: Type.Integer(),
  trackId: Type.Union([Type.Integer(), Type.Null()]),
  userId: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Enum(['mood', 'tap', 'skip', 'like', 'staff', 'guest'], {
    description: 'What put it on; `staff`: chosen by staff from the dashboard; `guest`: asked for by a guest from their phone.',
  }),
  mood: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Integer(),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.Union([Type.Enum(['completed', 'skipped', 'switched', 'failed', 'interrupted']), Type.Null()]),
});

export const PlaysPageSchema = pageOf(PlaySchema);

/** A play as the admin history lists it: with the track's title and artist and the person's name where they are known. */
export const HistoryPlaySchema = Type.Object({
  ...PlaySchema.properties,
  title: Type.Union([Type.String(), Type.Null()], { description: 'The track’s title; null when the track left the library.' }),
  artist: Type.Union([Type.String(), Type.Null()]),
  userName: Type.Union([Type.String(), Type.Null()], { description: 'The person’s name; null for a guest or a deleted account.' }),
});

export const HistoryPageSchema = pageOf(HistoryPlaySchema);

export const HistoryQuery = Type.Object({
  userId: Type.Optional(Type.Integer({ minimum: 1 })),
  mood: Type.Optional(Type.String({ maxLength: 32 })),
  reason: Type.Optional(Type.Enum(['mood', 'tap', 'skip', 'like', 'staff', 'guest'])),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive; after `from` when both are given.' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

/** The audit log's page, optionally of one action only (`mood.hold`). */
export const AuditQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
  action: Type.Optional(Type.String({ pattern: '^[a-z][a-z.-]{0,63}$', description: 'Only the lines of this action.' })),
});

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Integer(),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const AuditPageSchema = pageOf(AuditEntrySchema);

/** A person's expression calibration as stored: the model outputs of their recorded faces (never pictures) and the fitted head. */
export const CalibrationExportSchema = Type.Object({
  modelSha256: Type.String(),
  samples: Type.Array(
    Type.Object({ expression: Type.String(), logits: Type.Array(Type.Number()), embedding: Type.Optional(Type.Array(Type.Number())) }),
  ),
  head: Type.Unknown(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

/** What the recommender learned from a person's plays: weights by feature name (`artist:…`, `fit`, …). */
export const TasteModelSchema = Type.Object({
  weights: Type.Record(Type.String(), Type.Number()),
  squares: Type.Record(Type.String(), Type.Number()),
  examples: Type.Number(),
  updatedAt: Type.Integer(),
});

/** Everything Moodbox keeps about a person. */
export const ExportSchema = Type.Object({
  user: UserViewSchema,
  cards: Type.Array(CardSchema),
  plays: Type.Array(PlaySchema),
  /** The tracks of their plays, with their moods and what the analysis heard in each (every feature, or why it could not be analysed). */
  tracks: Type.Array(
    Type.Object({
      id: Type.Integer(),
      title: Type.String(),
      artist: Type.String(),
      album: Type.String(),
      moods: Type.Array(Type.Object({ mood: Type.String(), weight: Type.Number(), origin: Type.String() })),
      audio: Type.Union([Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])), Type.Null()]),
    }),
  ),
  /** Their likes and skips, newest first. */
  feedback: Type.Array(Type.Object({ trackId: Type.Integer(), kind: Type.Enum(['like', 'skip']), at: Type.Integer() })),
  /** Their learned taste; null when nothing was learned. */
  taste: Type.Union([TasteModelSchema, Type.Null()]),
  /** Their expression calibration, numbers only; null when they have none. */
  calibration: Type.Union([CalibrationExportSchema, Type.Null()]),
});

export const HistoryRemovedSchema = Type.Object({ removed: Type.Integer() });

export const RegisterBody = Type.Object(
  { name: PersonName, pin: Type.String({ minLength: 4, maxLength: 8, pattern: '^[0-9]+$', description: '4–8 digits.' }) },
  { additionalProperties: false },
);
