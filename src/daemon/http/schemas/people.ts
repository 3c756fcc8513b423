import { Type } from 'typebox';
import { pageOf, PersonName } from './common.js';

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

export const CreateUserBody = Type.Object(
  {
    name: PersonName,
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
    name: Type.Optional(PersonName),
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

export const CaptureCardBody = Type.Object(
  { timeoutS: Type.Integer({ minimum: 1, maximum: 60, default: 20 }) },
  { additionalProperties: false },
);

export const CapturedCardSchema = Type.Object({ cardId: Type.String(), linkedTo: Type.Union([Type.Integer(), Type.Null()]) });

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

export const PlaysPageSchema = pageOf(PlaySchema);

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

export const AuditPageSchema = pageOf(AuditEntrySchema);

/** Everything Moodbox keeps about a person. */
export const ExportSchema = Type.Object({ user: UserViewSchema, cards: Type.Array(CardSchema), plays: Type.Array(PlaySchema) });

export const HistoryRemovedSchema = Type.Object({ removed: Type.Integer() });

export const RegisterBody = Type.Object(
  { name: PersonName, pin: Type.String({ minLength: 4, maxLength: 8, pattern: '^[0-9]+$', description: '4–8 digits.' }) },
  { additionalProperties: false },
);
