import { Type } from 'typebox';

const Name = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '\\S',
  description:
    'Display name, stored in NFKC and unique after case folding ("ＡＤＭＩＮ" is "admin"); invisible, control and bidirectional characters are refused.',
});

/** A refused sign-in; `retryAfterS` (also `Retry-After`) when the next try must wait. */
export const SignInErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: '`MB_ERR_AUTH_FAILED` or `MB_ERR_AUTH_THROTTLED`.' }),
      message: Type.String(),
      retryAfterS: Type.Optional(Type.Integer({ minimum: 1, description: 'Seconds before the next try may be made.' })),
    }),
  },
  { description: 'A refused sign-in.' },
);

export const UserViewSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Type.Enum(['admin', 'member']),
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
});

export const PinSignInBody = Type.Object(
  { name: Name, pin: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const KioskSessionSchema = Type.Object({
  token: Type.String({ description: 'Send as `Authorization: Bearer <token>` on kiosk requests.' }),
  expiresAt: Type.Integer({ description: 'Epoch ms; every request pushes it back by the idle timeout.' }),
  user: Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.Enum(['admin', 'member']) }),
});

export const AdminSignInBody = Type.Object(
  { name: Name, passphrase: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const AdminSessionSchema = Type.Object({
  csrfToken: Type.String({ description: 'Send as `x-csrf-token` on every admin request that changes something.' }),
  expiresAt: Type.Integer(),
  user: Type.Object({ id: Type.Integer(), name: Type.String(), mustChangePin: Type.Boolean() }),
});

export const ChangeOwnPassphraseBody = Type.Object(
  {
    currentPassphrase: Type.String({ minLength: 1, maxLength: 256 }),
    newPassphrase: Type.String({ minLength: 1, maxLength: 256, description: 'At least 10 characters, other than the current one.' }),
  },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  {
    name: Name,
    role: Type.Enum(['admin', 'member']),
    pin: Type.Optional(
      Type.String({ minLength: 1, maxLength: 256, description: 'Members: 4–8 digits. Admins: a passphrase of 10+ characters.' }),
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
    name: Type.Optional(Name),
    role: Type.Optional(Type.Enum(['admin', 'member'])),
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

export const CardIdParams = Type.Object({ cardId: Type.String({ minLength: 1, maxLength: 32 }) });

export const PlaySchema = Type.Object({
  id: Type.Integer(),
  trackId: Type.Union([Type.Integer(), Type.Null()]),
  userId: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Enum(['mood', 'tap', 'skip', 'like']),
  mood: Type.Union([Type.String(), Type.Null()]),
  startedAt: Type.Integer(),
  endedAt: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.Union([Type.Enum(['completed', 'skipped', 'failed', 'interrupted']), Type.Null()]),
});

export const HistoryQuery = Type.Object({
  userId: Type.Optional(Type.Integer({ minimum: 1 })),
  mood: Type.Optional(Type.String({ maxLength: 32 })),
  reason: Type.Optional(Type.Enum(['mood', 'tap', 'skip', 'like'])),
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive.' })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.Integer(),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const RegisterBody = Type.Object(
  { name: Name, pin: Type.String({ minLength: 4, maxLength: 8, pattern: '^[0-9]+$', description: '4–8 digits.' }) },
  { additionalProperties: false },
);

export const StatsQuery = Type.Object({
  from: Type.Integer({ minimum: 0, description: 'Epoch ms, inclusive.' }),
  to: Type.Integer({ minimum: 0, description: 'Epoch ms, exclusive.' }),
});

export const StatsSchema = Type.Object({
  playsPerMoodPerDay: Type.Array(Type.Object({ day: Type.String(), mood: Type.String(), plays: Type.Integer() })),
  moodOverTime: Type.Array(Type.Object({ at: Type.Integer(), mood: Type.String(), confidence: Type.Number(), faces: Type.Integer() })),
});

export const TrackAdminSchema = Type.Object({
  id: Type.Integer(),
  uri: Type.String(),
  title: Type.String(),
  artist: Type.String(),
  album: Type.String(),
  genre: Type.String(),
  language: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  cover: Type.Union([Type.String(), Type.Null()], { description: 'The cover file name in the covers folder, or null.' }),
  coverUrl: Type.Union([Type.String(), Type.Null()], { description: 'Where the cover is served (`/api/covers/<file>`), or null.' }),
  moods: Type.Array(Type.Object({ mood: Type.String(), weight: Type.Number(), origin: Type.String() })),
});

export const TracksQuery = Type.Object({
  mood: Type.Optional(Type.String({ maxLength: 32 })),
  search: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const TrackMoodsBody = Type.Object(
  {
    moods: Type.Array(
      Type.Object(
        {
          mood: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9-]*$' }),
          weight: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 16 },
    ),
  },
  { additionalProperties: false },
);

export const TrackIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
